"""Filters for facility lists, shared by the pages and the API.

They only narrow a queryset that is already scoped with `visible_to`: django-filter ignores
unknown parameters, so a filter is never the security boundary.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.models import AreaClass, Facility, LegalForm
from khuyencong.access import visible_province_slugs
from khuyencong.models import Province


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


class CommaSelectMultiple(forms.SelectMultiple):
    """A multiple choice read from repeated parameters or one comma-separated value."""

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name) or []
        return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


class ProvincesFilter(django_filters.ModelMultipleChoiceFilter):
    """`province=bac-ninh&province=bac-giang` or `province=bac-ninh,bac-giang`, by slug.

    Offers only the provinces the user may see; rows are scoped by `visible_to` regardless.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Tỉnh, thành phố"))
        kwargs.setdefault("queryset", visible_provinces)
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", CommaSelectMultiple)
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year between 1990 and 2100: anything else is a clear 400, never an overflow in SQL."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1990)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)
