"""Pieces every app's REST API shares: money in JSON, strict filters, paging, errors (SPEC §9).

Errors are JSON: `{"field": ["message"]}` or `{"detail": "message"}`; 400 invalid input,
403 role may not, 404 not visible to you, 409 state changed under you.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.fields import get_error_detail
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.serializer_helpers import ReturnList
from rest_framework.validators import UniqueValidator
from rest_framework.views import exception_handler as drf_exception_handler

from khuyencong import access, datacache
from khuyencong.datacache import CachedCountPaginator
from khuyencong.errors import as_busy
from khuyencong.money import MAX_VND, check_vnd

# Query parameters every list understands besides its filters.
GENERAL_PARAMETERS = frozenset({"page", "page_size", "ordering", "format"})


# DRF ships few Vietnamese messages: ours replace its English ones on every field of the API.
_FIELD_MESSAGES = {
    "required": _("Trường này là bắt buộc."),
    "null": _("Trường này không được để trống (null)."),
    "blank": _("Trường này không được bỏ trống."),
    "invalid_choice": _("“{input}” không phải là lựa chọn hợp lệ."),
    "max_length": _("Dài quá mức cho phép: tối đa {max_length}."),
    "min_length": _("Ngắn hơn mức tối thiểu: ít nhất {min_length}."),
    "min_value": _("Giá trị phải lớn hơn hoặc bằng {min_value}."),
    "max_value": _("Giá trị phải nhỏ hơn hoặc bằng {max_value}."),
    "max_string_length": _("Giá trị quá dài."),
    "not_a_list": _("Cần một danh sách, không phải {input_type}."),
    "empty": _("Danh sách này không được để trống."),
    "incorrect_type": _("Sai kiểu: cần một mã số (id), không phải {data_type}."),
    "datetime": _("Cần một ngày (YYYY-MM-DD), không phải ngày giờ."),
    "date": _("Cần ngày giờ (ISO 8601), không phải ngày."),
}
_INVALID_MESSAGES = [  # the most specific class first
    (
        serializers.BaseSerializer,
        _("Dữ liệu không hợp lệ: cần một đối tượng JSON, không phải {datatype}."),
    ),
    (serializers.IntegerField, _("Cần một số nguyên.")),
    (serializers.BooleanField, _("Cần true hoặc false.")),
    (serializers.DateField, _("Ngày không hợp lệ: dùng định dạng YYYY-MM-DD.")),
    (serializers.DateTimeField, _("Ngày giờ không hợp lệ: dùng ISO 8601.")),
    (serializers.EmailField, _("Hãy nhập một địa chỉ thư điện tử hợp lệ.")),
    (serializers.CharField, _("Cần một chuỗi ký tự.")),
    (serializers.SlugRelatedField, _("Giá trị không hợp lệ.")),
]
_DOES_NOT_EXIST = [
    (serializers.SlugRelatedField, _("Không có “{value}”.")),
    (serializers.PrimaryKeyRelatedField, _("Không có mã {pk_value} (hoặc bạn không được xem).")),
]


_LIMIT_VALIDATORS = [
    (MaxLengthValidator, "max_length", "max_length"),
    (MinLengthValidator, "min_length", "min_length"),
    (MaxValueValidator, "max_value", "max_value"),
    (MinValueValidator, "min_value", "min_value"),
]


def _first(field, table):
    return next((message for cls, message in table if isinstance(field, cls)), None)


def speak_vietnamese(field) -> None:
    """Give one API field (and the items of a list field) Vietnamese error messages.

    Only DRF's own defaults are replaced; messages a serializer gave a field stay.
    """
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    messages = field.error_messages
    replacements = {key: _FIELD_MESSAGES[key] for key in messages.keys() & _FIELD_MESSAGES.keys()}
    for key, table in (("invalid", _INVALID_MESSAGES), ("does_not_exist", _DOES_NOT_EXIST)):
        if key in messages and (message := _first(field, table)):
            replacements[key] = message
    for key, message in replacements.items():
        if messages[key] is defaults.get(key):
            messages[key] = message
    # Length, range and uniqueness checks were built with the English text at __init__.
    for validator in field.validators:
        if isinstance(validator, UniqueValidator):
            validator.message = _("Giá trị này đã được dùng; hãy chọn giá trị khác.")
            continue
        for cls, key, limit in _LIMIT_VALIDATORS:
            if isinstance(validator, cls) and getattr(field, limit, None) is not None:
                validator.message = str(messages[key]).format(**{limit: getattr(field, limit)})
    for child in (getattr(field, "child", None), getattr(field, "child_relation", None)):
        if child is not None:
            speak_vietnamese(child)


class VietnameseErrors:
    """Serializer mixin: every field answers in Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        speak_vietnamese(self)

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            speak_vietnamese(field)
        return fields


PROVINCE_MESSAGES = {
    "does_not_exist": _("Không có tỉnh “{value}”: dùng mã định danh, ví dụ bac-ninh."),
}
FUND_MESSAGES = {
    "does_not_exist": _("Không có nguồn kinh phí “{value}”: national, provincial hoặc district."),
}
CONTENT_MESSAGES = {
    "does_not_exist": _("Không có nội dung hoạt động số {pk_value}: từ 1 đến 9."),
}


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
    """Django's ValidationError as `{"field": ["message"]}`, as a serializer reports it."""
    detail = get_error_detail(error)
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    if NON_FIELD_ERRORS in detail:
        detail["non_field_errors"] = detail.pop(NON_FIELD_ERRORS)
    return detail


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
    elif isinstance(getattr(exc, "status", None), int) and hasattr(exc, "message"):
        mapped = {403: exceptions.PermissionDenied, 409: Conflict}.get(exc.status, BadRequest)
        exc = mapped(exc.message)
    return drf_exception_handler(exc, context)


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


class ObtainToken(ObtainAuthToken):
    """`POST {"username", "password"}` → `{"token"}`; a locked-out login answers 429.

    django-axes' backend needs the request: DRF's token serializer passes it, and axes marks
    the request when it refuses, even a correct password, after too many failures.
    """

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut() from None
            raise
