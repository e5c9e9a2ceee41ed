"""The allocation and plan forms (saved only through funding.writing) and the list filters."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from funding.models import ActivityContent, ActivityType, Allocation, Fund, OutputIndicator, Plan
from funding.permissions import AllocationRights
from khuyencong.access import visible_province_slugs
from khuyencong.forms import MoneyField
from khuyencong.models import MERGER_DATE, Province
from khuyencong.money import format_trieu

FIRST_YEAR = 2000


def current_year() -> int:
    return timezone.localdate().year


def province_label(province: Province) -> str:
    if province.valid_to:
        return _("%(name)s (đến %(date)s)") % {
            "name": province.name,
            "date": province.valid_to.strftime("%d/%m/%Y"),
        }
    return province.name


class AllocationForm(forms.ModelForm):
    """A new allocation, or a changed amount of an existing one (its key stays fixed)."""

    amount_vnd = MoneyField(label=_("Kinh phí phân bổ"))
    # The version the editor read: a save over a newer one is refused (funding.writing).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Allocation
        fields = ["year", "fund", "province", "amount_vnd", "decision_number", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.rights = AllocationRights(user)
        self.user = user
        year = self.fields["year"]
        year.min_value, year.max_value = FIRST_YEAR, current_year() + 5
        year.widget = forms.NumberInput(
            attrs={"min": FIRST_YEAR, "max": current_year() + 5, "inputmode": "numeric"}
        )
        year.localize = False
        province = self.fields["province"]
        province.label_from_instance = province_label
        province.queryset = self.rights.provinces()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            for name in ("year", "fund", "province"):
                self.fields[name].disabled = True
        elif not self.is_bound:
            # Offer only provinces that existed in the chosen year: today's 34 from 2026 on.
            province.queryset = province.queryset.existing_in(self.initial_year())
        if province.queryset.count() == 1:
            province.empty_label = None
        else:
            province.empty_label = _("— Chọn tỉnh, thành phố —")
        self.fields["fund"].empty_label = None
        if not self.instance.pk and not self.is_bound and "fund" not in self.initial:
            # Start each user on a fund they may enter.
            self.initial["fund"] = Fund.NATIONAL if self.rights.national else Fund.PROVINCIAL
        self.fields["fund"].help_text = _(
            "Quốc gia (KCQG) do Cục Khuyến công nhập; địa phương do Sở Công Thương nhập."
        )

    def initial_year(self) -> int:
        try:
            return int(self.initial.get("year") or current_year())
        except (TypeError, ValueError):
            return current_year()

    def clean(self):
        data = super().clean()
        province, year, fund = data.get("province"), data.get("year"), data.get("fund")
        if not (province and year and fund):
            return data
        if not self.instance.pk:
            self._check_key(province, year, fund)
        amount = data.get("amount_vnd")
        if amount is not None and self.instance.pk:
            # Kept up to date by every approval under this row's lock (funding.writing holds it).
            approved = self.instance.committed_vnd
            if amount < approved:
                self.add_error(
                    "amount_vnd",
                    _(
                        "Đã phê duyệt %(approved)s triệu đồng từ phân bổ này; kinh phí phân bổ "
                        "không được thấp hơn mức đó."
                    )
                    % {"approved": format_trieu(approved)},
                )
        return data

    def _post_clean(self):
        super()._post_clean()
        # Our duplicate message (with the amount and a link) replaces the constraint's generic one.
        errors = self._errors.get(NON_FIELD_ERRORS)
        if errors and any(e.code == "duplicate" for e in errors.as_data()):
            errors.data = [e for e in errors.as_data() if e.code != "unique_together"]

    def _check_key(self, province, year, fund):
        if not province.existed_in(year):
            self.add_error(
                "province",
                _(
                    "%(province)s đã sáp nhập vào %(successor)s từ %(date)s; phân bổ năm "
                    "%(year)s hãy nhập cho %(successor)s."
                )
                % {
                    "province": province.name,
                    "successor": province.today().name,
                    "date": MERGER_DATE.strftime("%d/%m/%Y"),
                    "year": year,
                },
            )
            return
        may, refusal = self.rights.may_enter(fund.pk, province.pk)
        if not may:
            self.add_error("fund", refusal)
            return
        existing = Allocation.objects.filter(province=province, year=year, fund=fund).first()
        if existing is not None:
            message = format_html(
                '{} <a href="{}">{}</a>',
                _("Đã có phân bổ %(fund)s năm %(year)s của %(province)s (%(amount)s triệu đồng).")
                % {
                    "fund": fund.short_name,
                    "year": year,
                    "province": province.name,
                    "amount": format_trieu(existing.amount_vnd),
                },
                reverse("funding:edit", args=[existing.pk]),
                _("Sửa phân bổ đó"),
            )
            self.add_error(None, forms.ValidationError(message, code="duplicate"))


class AllocationFilterForm(forms.Form):
    """Narrows the allocation page; the rows are already scoped with `visible_to`."""

    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=2100,
        localize=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"), queryset=Province.objects.none(), required=False
    )
    fund = forms.ModelChoiceField(
        label=_("Nguồn kinh phí"), queryset=Fund.objects.all(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = Province.objects.all()
        slugs = visible_province_slugs(user)
        if slugs is not None:
            provinces = provinces.filter(slug__in=slugs)
        self.fields["province"].queryset = provinces
        self.fields["province"].label_from_instance = province_label
        self.fields["province"].empty_label = _("Tất cả")
        self.fields["fund"].empty_label = _("Tất cả")

    def apply(self, allocations):
        if not self.is_valid():
            return allocations
        for name in ("year", "province", "fund"):
            value = self.cleaned_data.get(name)
            if value is not None:
                allocations = allocations.filter(**{name: value})
        return allocations


# What a plan's page and API write (its targets aside): funding.writing.save_plan's fields.
PLAN_FIELDS = (
    "province",
    "fund",
    "year_from",
    "year_to",
    "target_support_vnd",
    "target_proposals",
    "note",
)


class PlanForm(forms.ModelForm):
    """A period plan: its province, fund and years (fixed once entered), its target money and
    number of proposals. The counted targets are PlanTargetFormSet's rows."""

    target_support_vnd = MoneyField(label=_("Kinh phí hỗ trợ mục tiêu"))
    # The version the editor read: a save over a newer one is refused (funding.writing).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        fields = list(PLAN_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "year_to": _("Kế hoạch 5 năm, hoặc định hướng 10 năm (ví dụ 2021–2030)."),
            "target_proposals": _("Để trống nếu kế hoạch không giao số đề án."),
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.rights = AllocationRights(user)
        for name in ("year_from", "year_to"):
            self.fields[name].localize = False
            self.fields[name].widget = forms.NumberInput(attrs={"inputmode": "numeric"})
        province = self.fields["province"]
        province.label_from_instance = province_label
        province.queryset = self.rights.provinces()
        province.empty_label = None if province.queryset.count() == 1 else _("— Chọn tỉnh —")
        self.fields["fund"].empty_label = None
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            for name in ("province", "fund"):
                self.fields[name].disabled = True
        elif not self.is_bound and "fund" not in self.initial:
            self.initial["fund"] = Fund.NATIONAL if self.rights.national else Fund.PROVINCIAL

    def clean(self):
        data = super().clean()
        fund, province = data.get("fund"), data.get("province")
        if fund and province and not self.instance.pk:
            may, refusal = self.rights.may_enter(fund.pk, province.pk)
            if not may:
                self.add_error("fund", refusal)
        return data

    def values(self) -> dict:
        """The plan's values for funding.writing.save_plan."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


def _indicator_label(indicator: OutputIndicator) -> str:
    return f"{indicator.label} ({indicator.unit_label})"


class PlanTargetForm(forms.Form):
    """One counted target: an output indicator (its actuals added up), or an activity type or
    a content (its proposals counted); a content with an indicator narrows it."""

    content = forms.ModelChoiceField(
        label=_("Nội dung"),
        queryset=ActivityContent.objects.all(),
        required=False,
        empty_label="—",
    )
    activity = forms.ModelChoiceField(
        label=_("Loại hoạt động"),
        queryset=ActivityType.objects.select_related("content"),
        required=False,
        empty_label="—",
    )
    indicator = forms.ModelChoiceField(
        label=_("Chỉ tiêu đầu ra"),
        queryset=OutputIndicator.objects.all(),
        required=False,
        empty_label="—",
    )
    count = forms.IntegerField(
        label=_("Mục tiêu"), min_value=0, max_value=1_000_000_000, localize=False
    )
    description = forms.CharField(label=_("Diễn giải"), max_length=255, required=False)
    unit = forms.CharField(label=_("Đơn vị"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].label_from_instance = lambda a: f"{a.content_id}. {a.label}"
        self.fields["indicator"].label_from_instance = _indicator_label

    def clean(self):
        data = super().clean()
        if not (data.get("content") or data.get("activity") or data.get("indicator")):
            raise forms.ValidationError(
                _("Hãy chọn nội dung, loại hoạt động hoặc chỉ tiêu đầu ra.")
            )
        return data

    @classmethod
    def initial_for(cls, target) -> dict:
        return {
            "content": target.content_id,
            "activity": target.activity_id,
            "indicator": target.indicator_id,
            "count": target.count,
            "description": target.description,
            "unit": target.unit,
        }


PlanTargetFormSet = forms.formset_factory(PlanTargetForm, extra=3, can_delete=True)


def target_rows(formset) -> list[dict]:
    """The targets a valid formset holds, in order, for funding.writing.save_plan."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class PlanFilterForm(AllocationFilterForm):
    """Narrows the plan list: `year` keeps the plans covering that year."""

    def apply(self, plans):
        if not self.is_valid():
            return plans
        year = self.cleaned_data.get("year")
        if year is not None:
            plans = plans.filter(year_from__lte=year, year_to__gte=year)
        for name in ("province", "fund"):
            value = self.cleaned_data.get(name)
            if value is not None:
                plans = plans.filter(**{name: value})
        return plans
