from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from khuyencong import access


@login_required
def home(request):
    memberships = access._memberships(request.user)
    return render(
        request,
        "home.html",
        {"memberships": memberships, "is_national": access.is_national(request.user)},
    )
