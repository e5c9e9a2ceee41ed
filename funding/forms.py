"""The allocation form (saved only through funding.writing) and the allocation page's filters."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from funding.models import Allocation, Fund
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
