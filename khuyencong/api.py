"""Pieces every app's REST API shares: money in JSON, strict filters, paging, errors (SPEC §9).

Errors are JSON: `{"field": ["message"]}` or `{"detail": "message"}`; 400 invalid input,
403 role may not, 404 not visible to you, 409 state changed under you.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.fields import get_error_detail
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.serializer_helpers import ReturnList
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from khuyencong import access, datacache, tokens
from khuyencong.datacache import CachedCountPaginator
from khuyencong.errors import StaleVersion, as_busy
from khuyencong.money import MAX_VND, check_vnd
from khuyencong.people import display_name

# Query parameters every list understands besides its filters.
GENERAL_PARAMETERS = frozenset({"page", "page_size", "ordering", "format"})


PROVINCE_MESSAGES = {
    "does_not_exist": _("Không có tỉnh “{value}”: dùng mã định danh, ví dụ bac-ninh."),
}
FUND_MESSAGES = {
    "does_not_exist": _("Không có nguồn kinh phí “{value}”: national, provincial hoặc district."),
}
CONTENT_MESSAGES = {
    "does_not_exist": _("Không có nội dung hoạt động số {pk_value}: từ 1 đến 9."),
}
UNIT_MESSAGES = {
    "does_not_exist": _("Không có đơn vị số {pk_value}: dùng id trong /api/v1/units/."),
    "incorrect_type": _("Đơn vị là một số (id) trong /api/v1/units/."),
}
ACTIVITY_MESSAGES = {
    "does_not_exist": _(
        "Không có loại hoạt động “{pk_value}”: dùng mã trong /api/v1/activities/, ví dụ machinery."
    ),
    "incorrect_type": _("Loại hoạt động là một mã (chuỗi), ví dụ machinery."),
}


@extend_schema_field({"type": "string", "nullable": True})
class PersonField(serializers.ReadOnlyField):
    """A user as the portal writes people's names (`khuyencong.people.display_name`); null when
    there is none."""

    def to_representation(self, user):
        return display_name(user)


class VndField(serializers.IntegerField):
    """Integer VND as a JSON number: no floats, no strings, no negatives, at most MAX_VND."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_VND)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return check_vnd(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class Pagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `page_size` may be asked for, up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500
    # `count` over every visible row (100 000 for the ministry) once per version of the data.
    django_paginator_class = CachedCountPaginator


class CachedPagesMixin:
    """A list whose answers are kept in khuyencong.datacache until the data changes.

    Only for lists whose rows and representation depend on nothing but the data, the URL and
    the caller's roles and provinces (`access.viewer_key`): a national list's page costs
    tens of milliseconds of queries and serialisation, and callers ask for the same pages.
    Errors (400 for a bad filter, 404 for a page past the end) raise and are never kept.
    """

    def list(self, request, *args, **kwargs):
        def answer():
            data = super(CachedPagesMixin, self).list(request, *args, **kwargs).data
            # Plain lists: DRF's ReturnList holds its serializer, which the cache cannot keep.
            if isinstance(data, dict):
                return {key: _plain(value) for key, value in data.items()}
            return _plain(data)

        # The absolute URL: `next` and `previous` links name the host that was asked.
        key = (
            type(self).__qualname__,
            access.viewer_key(request.user),
            request.build_absolute_uri(),
        )
        return Response(datacache.cached("api-list", key, answer))


def _plain(value):
    return list(value) if isinstance(value, ReturnList) else value


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter that answers 400 to query parameters it does not know.

    A misspelt filter (`?provice=bac-ninh`) would otherwise be ignored silently and return
    everything in scope, which an integrating program would take for the filtered answer.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        known = set(GENERAL_PARAMETERS)
        if filterset is not None:
            known |= set(filterset.filters)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            message = _("Tham số không được hỗ trợ. Các tham số hợp lệ: {known}.").format(
                known=", ".join(sorted(known))
            )
            raise exceptions.ValidationError({name: [message] for name in unknown})
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        return filterset.qs


class Conflict(exceptions.APIException):
    """409; keyword arguments travel beside `detail` as they are (e.g. `current_version`)."""

    status_code = 409
    default_detail = _("Dữ liệu đã thay đổi trong lúc bạn thao tác. Hãy tải lại.")
    default_code = "conflict"

    def __init__(self, detail=None, code=None, **extra):
        super().__init__(detail, code)
        if extra:
            self.detail = {"detail": self.detail, **extra}


class BadRequest(exceptions.APIException):
    status_code = 400
    default_detail = _("Yêu cầu không hợp lệ.")
    default_code = "invalid"


def as_api_errors(error: DjangoValidationError) -> dict:
    """Django's ValidationError as `{"field": ["message"]}`, as a serializer reports it.

    Messages written for pages may carry a link (`<a href>` to a duplicate): JSON gets text.
    """
    errors = {}
    for name, messages in error.update_error_dict({}).items():
        key = "non_field_errors" if name == NON_FIELD_ERRORS else name
        errors[key] = [strip_tags(str(m)) for e in messages for m in e]
    return errors


def _from_django_validation(error: DjangoValidationError) -> exceptions.APIException:
    detail = get_error_detail(error)
    if isinstance(detail, list):
        return BadRequest(" ".join(str(m) for m in detail))
    if set(detail) == {NON_FIELD_ERRORS}:
        return BadRequest(" ".join(str(m) for m in detail[NON_FIELD_ERRORS]))
    if NON_FIELD_ERRORS in detail:
        detail["non_field_errors"] = detail.pop(NON_FIELD_ERRORS)
    return exceptions.ValidationError(detail)


_EXCEPTION_MESSAGES = [
    (
        exceptions.NotAuthenticated,
        _("Chưa xác thực: hãy đăng nhập, hoặc gửi tiêu đề Authorization: Token <token>."),
    ),
    (exceptions.AuthenticationFailed, _("Thông tin xác thực không đúng hoặc token không hợp lệ.")),
    (exceptions.ParseError, _("Không đọc được dữ liệu gửi lên: JSON sai cú pháp.")),
    (
        exceptions.UnsupportedMediaType,
        _("Kiểu nội dung không được hỗ trợ: hãy gửi application/json."),
    ),
    (exceptions.NotAcceptable, _("Không đáp ứng được tiêu đề Accept: API trả về JSON.")),
]


def exception_handler(exc, context):
    """DRF's handler, plus the domain's exceptions mapped to their HTTP meaning.

    Django's ValidationError (model and domain rules) is 400 by field; a domain exception
    carrying `status` and `message` (the lifecycle's NotPermitted 403, StateConflict 409,
    TransitionError 400) answers `{"detail": message}` with that status; a row lock not had in
    time is the StateConflict "busy, try again".
    """
    for cls, message in _EXCEPTION_MESSAGES:
        if type(exc) is cls:
            exc.detail = exceptions.ErrorDetail(str(message), code=exc.default_code)
    exc = as_busy(exc) or exc
    if isinstance(exc, Http404):
        # Django's message names the model in English; "not found" says all a caller may know.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    elif isinstance(exc, StaleVersion):
        exc = Conflict(
            exc.message,
            current_version=exc.current_version,
            changes=[_change_json(change) for change in exc.changes],
        )
    elif isinstance(getattr(exc, "status", None), int) and hasattr(exc, "message"):
        mapped = {403: exceptions.PermissionDenied, 409: Conflict}.get(exc.status, BadRequest)
        exc = mapped(exc.message)
    return drf_exception_handler(exc, context)


def _change_json(change) -> dict:
    """One field changed since the caller's version: `field` is the API's name for it."""
    when = change.when.isoformat() if change.when else None
    return {
        "field": change.field,
        "label": change.label,
        "old": change.old,
        "new": change.new,
        "who": change.who,
        "when": when,
    }


class ApiViewMixin:
    """What every view of /api/v1/ shares: strict filters, ordering, paging, error mapping."""

    filter_backends = [StrictFilterBackend, OrderingFilter]
    pagination_class = Pagination
    # Ids are integers: anything else is "not found" at the router, never a 500 in a lookup.
    lookup_value_regex = r"\d+"

    def get_exception_handler(self):
        return exception_handler


def form_errors(form) -> dict:
    """A bound Django form's errors as API field errors (HTML links in messages become text)."""
    errors = {}
    for name, messages in form.errors.items():
        key = "non_field_errors" if name == NON_FIELD_ERRORS else name
        errors[key] = [strip_tags(str(m)) for m in messages]
    return errors


class LockedOut(exceptions.APIException):
    status_code = 429
    default_detail = _(
        "Tài khoản tạm bị khóa sau nhiều lần đăng nhập sai. Hãy thử lại sau hoặc liên hệ quản trị."
    )
    default_code = "locked_out"


class TokenAnswer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Gửi trong tiêu đề Authorization: Token <token>."))
    expiry = serializers.DateTimeField()


class TokenRow(serializers.Serializer):
    key = serializers.CharField(source="token_key", help_text=_("Các ký tự đầu của token."))
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        return token.pk == getattr(self.context["request"].auth, "pk", None)


class ObtainToken(APIView):
    """`POST {"username", "password"}` → `{"token", "expiry"}`; `DELETE` revokes the token the
    request carries. A locked-out login answers 429.

    django-axes' backend needs the request: DRF's token serializer passes it, and axes marks
    the request when it refuses, even a correct password, after too many failures.
    """

    throttle_classes = ()

    def get_permissions(self):
        return [] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=AuthTokenSerializer, responses=TokenAnswer, auth=[])
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut() from None
            raise
        instance, token = tokens.issue(serializer.validated_data["user"])
        return Response(TokenAnswer({"token": token, "expiry": instance.expiry}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if request.auth is None:
            raise exceptions.ValidationError(
                {"detail": _("Yêu cầu này không gửi token nào để thu hồi.")}
            )
        request.auth.delete()
        return Response(status=204)


class TokenList(APIView):
    """`GET`: the caller's live tokens (key, created, expiry, current); `DELETE {key}/`
    revokes one of them."""

    @extend_schema(responses=TokenRow(many=True))
    def get(self, request):
        rows = tokens.of(request.user)
        return Response(TokenRow(rows, many=True, context={"request": request}).data)


class TokenDetail(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, key):
        if not tokens.revoke(request.user, key):
            raise Http404
        return Response(status=204)
