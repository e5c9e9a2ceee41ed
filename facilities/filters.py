"""Filters for facility lists, shared by the pages and the API.

They only narrow a queryset that is already scoped with `visible_to`: django-filter ignores
unknown parameters, so a filter is never the security boundary.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.models import AreaClass, Facility, LegalForm, Province
from khuyencong.access import visible_province_slugs


def visible_provinces(request):
    """The provinces a user may pick in a filter (every province for national users)."""
    provinces = Province.objects.all()
    slugs = visible_province_slugs(request.user) if request is not None else None
    if slugs is not None:
        provinces = provinces.filter(slug__in=slugs)
    return provinces


class FacilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm kiếm"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên, mã số thuế hoặc địa chỉ")}
        ),
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Tỉnh, thành phố"), queryset=visible_provinces, empty_label=_("Tất cả")
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Loại hình"), choices=LegalForm.choices, empty_label=_("Tất cả")
    )
    area_class = django_filters.ChoiceFilter(
        label=_("Địa bàn"), choices=AreaClass.choices, empty_label=_("Tất cả")
    )

    class Meta:
        model = Facility
        fields = ["q", "province", "legal_form", "area_class"]

    def filter_q(self, queryset, name, value):
        # Folds case and diacritics the same way on SQLite and PostgreSQL ("duc" finds "ĐỨC").
        return queryset.search(value)
