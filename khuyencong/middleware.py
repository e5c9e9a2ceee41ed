import logging
import time
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from khuyencong import logs
from khuyencong.errors import DomainError, as_busy

access_log = logging.getLogger("khuyencong.access")


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the switch (the cookie).

    Offices often run English browsers; the browser's Accept-Language must not decide.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # Don't let one request's language leak into whatever this thread runs next.
        translation.deactivate()
        return response


class DomainErrorPages:
    """Pages answer a domain refusal once, here: its status and the Vietnamese error page.

    NotPermitted → 403, StateConflict → 409 (a row lock not had in time is one too), Invalid
    and other DomainErrors → 400, each with the reason and a way back. The API maps the same
    errors to JSON in `khuyencong.api.exception_handler`; DRF catches them before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        error = as_busy(exception) or exception
        if not isinstance(error, DomainError):
            return None
        context = {"reason": error.message, "back": _way_back(request)}
        return render(request, f"{error.status}.html", context, status=error.status)


def _way_back(request) -> str:
    """The page the user came from, when it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request, status: int, message: str):
    """A refusal before any view ran: `{"detail": message}` on the API, else the error page."""
    if is_api(request):
        return JsonResponse({"detail": str(message)}, status=status)
    template = f"{status}.html" if status in (400, 403, 409) else "400.html"
    context = {"reason": message, "back": _way_back(request)}
    return render(request, template, context, status=status)


class RequestSizeLimit:
    """A body larger than MAX_REQUEST_BYTES answers 413 before a byte of it is read.

    The size is the announced Content-Length: Django reads no further than that (and nothing
    when it is absent), so a body that lies about its length is cut at the announced size.
    A reverse proxy in front should refuse the same size itself (README, MAX_REQUEST_BYTES).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length is not a number
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            message = _(
                "Dữ liệu gửi lên quá lớn: tối đa %(mb)s MB cho một lần gửi (kể cả tệp đính kèm)."
            ) % {"mb": limit // (1024 * 1024) or 1}
            return refusal(request, 413, message)
        return self.get_response(request)


class RefuseNulCharacters:
    """A NUL character in a query or form parameter answers 400 here, once for every view.

    PostgreSQL cannot hold or compare text containing NUL; a search for it would be a 500.
    JSON bodies are checked by the API's parser (khuyencong.parsers.JSONParser).
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        parameters = [request.GET]
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            parameters.append(request.POST)
        for query in parameters:
            for name, values in query.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    message = _(
                        "Tham số “%(name)s” chứa ký tự NUL (%%00): không được chấp nhận."
                    ) % {"name": name.replace("\x00", "%00")}
                    return refusal(request, 400, message)
        return self.get_response(request)


class RequestContext:
    """First in the chain: a request id (the proxy's X-Request-ID when plain, else a new one)
    on every log line and on the answer, and one access line with the user and the time taken.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if logs.SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = rid
        rid_token = logs.request_id.set(rid)
        request_token = logs.current_request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            logs.current_request.reset(request_token)
            logs.request_id.reset(rid_token)


class NoStoreWhenSignedIn:
    """Answers to a signed-in user (pages, API, exports) are never kept by a browser or proxy:
    a shared office computer must not show the next person yesterday's figures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
