"""Filters of the registration queue, shared by the page and the API.

They only narrow a queryset already scoped with `visible_to`; a filter is never the boundary.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from funding.filters import ContentFilter
from funding.models import ActivityContent
from khuyencong.models import Province
from registrations.models import Registration, Status
from registrations.permissions import staff_province_slugs

OPEN = "open"


def staff_provinces(request):
    if request is None:
        return Province.objects.none()
    # Registrations are only ever sent to today's provinces.
    return Province.objects.current().filter(slug__in=staff_province_slugs(request.user))


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=[(OPEN, _("Chưa xử lý xong")), *Status.choices],
        method="filter_status",
        empty_label=_("Tất cả"),
        help_text=_("`open` = đã tiếp nhận hoặc đang xem xét / received or being reviewed."),
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Tỉnh, thành phố"),
        queryset=staff_provinces,
        to_field_name="slug",
        empty_label=_("Tất cả"),
    )
    content = ContentFilter(
        label=_("Nội dung"), queryset=ActivityContent.objects.all(), empty_label=_("Tất cả")
    )
    q = django_filters.CharFilter(
        label=_("Tìm kiếm"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã hồ sơ, tên, MST, SĐT")}
        ),
    )

    class Meta:
        model = Registration
        fields = ["status", "province", "content", "q"]

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(status=value)

    def filter_q(self, queryset, name, value):
        # Folds case and diacritics the same way on SQLite and PostgreSQL.
        return queryset.search(value)
