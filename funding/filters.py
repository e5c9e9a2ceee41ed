"""Filters for allocation and plan lists. They narrow querysets already scoped by `visible_to`."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from facilities.filters import CommaSelectMultiple, ProvincesFilter
from funding.models import Allocation, Fund, Plan


class FundsFilter(django_filters.ModelMultipleChoiceFilter):
    """`fund=provincial,district` or repeated; keys national | provincial | district."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Nguồn kinh phí"))
        kwargs.setdefault("queryset", Fund.objects.all())
        kwargs.setdefault("widget", CommaSelectMultiple)
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class AllocationFilter(django_filters.FilterSet):
    province = ProvincesFilter()
    year = django_filters.NumberFilter(label=_("Năm"))
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("Từ năm"))
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("Đến năm"))
    fund = FundsFilter()

    class Meta:
        model = Allocation
        fields = ["province", "year", "year_from", "year_to", "fund"]


class PlanFilter(django_filters.FilterSet):
    province = ProvincesFilter()
    fund = FundsFilter()
    year = django_filters.NumberFilter(
        method="covering", label=_("Kế hoạch bao gồm năm / plans covering this year")
    )

    class Meta:
        model = Plan
        fields = ["province", "fund", "year"]

    def covering(self, queryset, name, value):
        return queryset.filter(Q(year_from__lte=value) & Q(year_to__gte=value))
