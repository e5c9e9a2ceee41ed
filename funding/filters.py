"""Filters for allocation, plan and activity-type lists; they narrow querysets already
scoped by `visible_to` (the catalogues are not scoped)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from facilities.filters import CommaSelectMultiple, ProvincesFilter, YearFilter
from funding.models import ActivityContent, ActivityType, Allocation, Fund, Plan


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
    year = YearFilter(label=_("Năm"))
    year_from = YearFilter(field_name="year", lookup_expr="gte", label=_("Từ năm"))
    year_to = YearFilter(field_name="year", lookup_expr="lte", label=_("Đến năm"))
    fund = FundsFilter()

    class Meta:
        model = Allocation
        fields = ["province", "year", "year_from", "year_to", "fund"]


class PlanFilter(django_filters.FilterSet):
    province = ProvincesFilter()
    fund = FundsFilter()
    year = YearFilter(method="covering", label=_("Kế hoạch bao gồm năm / plans covering this year"))

    class Meta:
        model = Plan
        fields = ["province", "fund", "year"]

    def covering(self, queryset, name, value):
        return queryset.filter(Q(year_from__lte=value) & Q(year_to__gte=value))


def _check_content_numbers(values):
    """Content numbers are 1–9: a huge or non-numeric value is an invalid choice, not an
    integer overflow in the database."""
    for value in values:
        text = str(value).strip()
        if not text.isdigit() or not 1 <= int(text) <= 99:
            raise forms.ValidationError(
                _("Nội dung hoạt động không hợp lệ: %(v)s (từ 1 đến 9).") % {"v": text[:20]},
                code="invalid_choice",
            )


class ContentsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        _check_content_numbers(value)
        return super()._check_values(value)


class ContentField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _check_content_numbers([value])
        return super().to_python(value)


class ContentsFilter(django_filters.ModelMultipleChoiceFilter):
    """`content=3` or `content=1,3`; numbers 1–9 (SPEC §3)."""

    field_class = ContentsField


class ContentFilter(django_filters.ModelChoiceFilter):
    field_class = ContentField


class ActivityTypeFilter(django_filters.FilterSet):
    """`content=3`: the activity types a proposal of content 3 may name."""

    content = ContentsFilter(
        label=_("Nội dung hoạt động"),
        queryset=ActivityContent.objects.all(),
        widget=CommaSelectMultiple,
        distinct=False,
    )

    class Meta:
        model = ActivityType
        fields = ["content"]
