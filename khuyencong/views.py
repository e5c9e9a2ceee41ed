"""Error views the root urlconf names (handler500)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from khuyencong.middleware import is_api


def server_error(request):
    """An unhandled error (already logged by Django): JSON on the API, the 500 page elsewhere."""
    if is_api(request):
        message = _("Lỗi máy chủ: yêu cầu chưa được thực hiện. Hãy thử lại sau.")
        return JsonResponse({"detail": message}, status=500)
    return defaults.server_error(request)
