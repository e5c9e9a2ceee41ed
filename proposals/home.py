"""The home page: who the user is, and what waits for them (queue, overdue, drafts).

Its counts are proposal concepts, so it lives here; the root urlconf includes this module at ""
so the URL stays `/` and its name `home`.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from khuyencong import access
from proposals import implementation, lifecycle
from proposals.models import Proposal, State


@login_required
def home(request):
    """Greets the user with their roles, and counts what waits for them."""
    user = request.user
    visible = Proposal.objects.visible_to(user)
    return render(
        request,
        "home.html",
        {
            "memberships": access.memberships(user),
            "is_national": access.is_national(user),
            "queue_count": lifecycle.queue_for(user).count(),
            "overdue_count": implementation.overdue().filter(pk__in=visible.values("pk")).count(),
            "draft_count": visible.filter(state=State.DRAFT).count(),
        },
    )


urlpatterns = [path("", home, name="home")]
