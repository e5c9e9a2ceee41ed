"""Views of the base: the API tokens page, and the error view the root urlconf names."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import defaults

from khuyencong import tokens
from khuyencong.middleware import is_api


def server_error(request):
    """An unhandled error (already logged by Django): JSON on the API, the 500 page elsewhere."""
    if is_api(request):
        message = _("Lỗi máy chủ: yêu cầu chưa được thực hiện. Hãy thử lại sau.")
        return JsonResponse({"detail": message}, status=500)
    return defaults.server_error(request)


@login_required
def api_tokens(request):
    """The signed-in user's API tokens: when each was issued and expires; revoke any of them."""
    if request.method == "POST":
        if not tokens.revoke(request.user, request.POST.get("key", "")):
            raise Http404
        messages.success(
            request, _("Đã thu hồi token; chương trình dùng token đó phải lấy token mới.")
        )
        return redirect("api-tokens-page")
    return render(request, "accounts/tokens.html", {"tokens": tokens.of(request.user)})
