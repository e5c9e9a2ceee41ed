from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from khuyencong.errors import DomainError, as_busy


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
