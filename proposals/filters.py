"""The proposal list filters, shared by the list page and /api/v1/proposals/.

They only narrow a queryset already scoped with `Proposal.objects.visible_to(user)`:
django-filter ignores unknown parameters, so a filter is never the security boundary.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.filters import CommaSelectMultiple, ProvincesFilter, YearFilter
from funding.filters import ContentsFilter, FundsFilter
from funding.models import ActivityContent, ActivityType
from khuyencong.models import Unit
from proposals.models import Kind, Proposal, State


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm kiếm"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã, tên đề án hoặc đơn vị thực hiện")}
        ),
    )
    province = ProvincesFilter()
    year = YearFilter(label=_("Năm"))
    year_from = YearFilter(field_name="year", lookup_expr="gte", label=_("Từ năm"))
    year_to = YearFilter(field_name="year", lookup_expr="lte", label=_("Đến năm"))
    fund = FundsFilter()
    state = django_filters.MultipleChoiceFilter(
        label=_("Trạng thái"), choices=State.choices, widget=CommaSelectMultiple, distinct=False
    )
    content = ContentsFilter(
        label=_("Nội dung hoạt động"),
        queryset=ActivityContent.objects.all(),
        widget=CommaSelectMultiple,
        distinct=False,
    )
    activity = django_filters.ModelMultipleChoiceFilter(
        label=_("Loại hoạt động"),
        queryset=ActivityType.objects.all(),
        to_field_name="key",
        widget=CommaSelectMultiple,
        distinct=False,
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Loại đề án"), choices=Kind.choices, widget=CommaSelectMultiple, distinct=False
    )
    unit_kind = django_filters.MultipleChoiceFilter(
        field_name="unit__kind",
        label=_("Loại đơn vị chủ trì"),
        choices=Unit.Kind.choices,
        widget=CommaSelectMultiple,
        distinct=False,
    )

    class Meta:
        model = Proposal
        fields = [
            "q",
            "province",
            "year",
            "year_from",
            "year_to",
            "fund",
            "state",
            "content",
            "activity",
            "kind",
            "unit_kind",
        ]

    def search(self, queryset, name, value):
        # Folds case and diacritics the same way on SQLite and PostgreSQL ("duc" finds "ĐỨC").
        return queryset.search(value)
