"""Forms of the proposal pages. Parsing lives here; rules live in editing.py and lifecycle.py."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities.models import Facility, LegalForm, normalise_tax_code
from funding.models import ActivityType, OutputIndicator
from khuyencong.forms import MoneyField
from khuyencong.models import Province, Unit
from proposals.attachments import check_upload
from proposals.editing import default_unit
from proposals.models import (
    EDITABLE_FIELDS,
    Attachment,
    Beneficiary,
    OutcomeIndicator,
    Payment,
    Proposal,
)
from proposals.permissions import creatable_province_slugs

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class ActivitySelect(forms.Select):
    """Activity types grouped by content; each option names its content (`data-content`) so
    static/js/proposal-form.js can offer only the chosen content's. The model's clean decides."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.content_of = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        content = self.content_of.get(str(value))
        if content is not None:
            option["attrs"]["data-content"] = str(content)
        return option


def activity_choices(widget: ActivitySelect) -> list:
    """[("", "---"), (content, [(key, name), …]), …] and the widget's key → content map."""
    groups: dict = {}
    for activity in ActivityType.objects.select_related("content"):
        groups.setdefault(activity.content, []).append((activity.key, activity.label))
        widget.content_of[activity.key] = activity.content_id
    return [("", "---------"), *((str(content), rows) for content, rows in groups.items())]


class ProposalForm(forms.ModelForm):
    support_vnd = MoneyField(label=gettext_lazy("Kinh phí khuyến công hỗ trợ"))
    counterpart_vnd = MoneyField(label=gettext_lazy("Vốn đối ứng"), required=False)
    other_vnd = MoneyField(label=gettext_lazy("Nguồn khác"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Not model fields of the form: the importer reads Meta.fields, and a file that names no
    # unit keeps the proposal's (or gets `default_unit` from save_proposal).
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị chủ trì"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("— trung tâm khuyến công của tỉnh —"),
        help_text=gettext_lazy("Chỉ các đơn vị được thực hiện đề án tại tỉnh của đề án."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    class Meta:
        model = Proposal
        fields = [*EDITABLE_FIELDS, "activity"]
        widgets = {
            "activity": ActivitySelect,
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "scale": forms.Textarea(attrs={"rows": 2}),
            "schedule": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "year": forms.NumberInput(attrs={"min": 2000, "max": 2100}),
        }
        help_texts = {
            "province": gettext_lazy(
                "Tỉnh tại thời điểm của năm kế hoạch: đề án năm 2023 thuộc Hòa Bình, "
                "năm 2026 thuộc Phú Thọ."
            ),
        }

    def __init__(self, *args, user, activity_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        slugs = creatable_province_slugs(user)
        provinces = Province.objects.all()
        if slugs is not None:
            provinces = provinces.filter(slug__in=slugs)
        self.fields["province"].queryset = provinces
        activity = self.fields["activity"]
        activity.choices = activity_choices(activity.widget)
        # A new proposal entered on the page names its activity type (SPEC §3.1); one entered
        # before the catalogue existed may stay without until someone chooses. The Excel import
        # (whose sheet has no such column) keeps the proposal's.
        activity.required = activity_required and not (
            self.instance.pk and self.instance.activity_id is None
        )
        self._limit_units(user, provinces)
        if not self.instance.pk and not self.initial.get("year"):
            self.initial["year"] = timezone.localdate().year
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["code"].disabled = True

    def _limit_units(self, user, provinces):
        """The unit select offers the units that may work in the proposal's province (the
        chosen one, the proposal's, or the user's only one); the model checks the choice."""
        chosen = self.data.get(self.add_prefix("province")) if self.is_bound else None
        if chosen:
            province = provinces.filter(slug=chosen).first()
        elif self.instance.province_id:
            province = self.instance.province
        else:
            # A provincial user's one province of today (not the ones it absorbed) comes first.
            today = list(provinces.current()[:2])
            province = today[0] if len(today) == 1 else None
            if province is not None and not self.initial.get("province"):
                self.initial["province"] = province.slug
        current = Q(pk=self.instance.unit_id) if self.instance.unit_id else Q(pk__in=[])
        units = Unit.objects.working_in(province) if province else Unit.objects.all()
        self.fields["unit"].queryset = units.filter(Q(active=True) | current).select_related(
            "province"
        )
        kept = list(self.instance.partners.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["partners"].queryset = Unit.objects.filter(
            Q(active=True) | Q(pk__in=kept)
        ).select_related("province")
        if self.instance.pk:
            self.initial["unit"] = self.instance.unit_id
            self.initial["partners"] = kept
        elif province is not None:
            self.initial["unit"] = default_unit(user, province)

    def clean(self):
        cleaned = super().clean()
        for name in ("counterpart_vnd", "other_vnd"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        if "unit" not in self.errors:
            # No choice keeps the proposal's unit; a new one gets save_proposal's default.
            unit = cleaned.get("unit") or (self.instance.unit if self.instance.unit_id else None)
            self.instance.unit = unit
        return cleaned


class BeneficiaryForm(forms.Form):
    """One beneficiary row: pick an existing facility, or describe a new one inline."""

    facility = forms.ModelChoiceField(
        queryset=Facility.objects.none(), required=False, label=gettext_lazy("Cơ sở")
    )
    new_name = forms.CharField(
        label=gettext_lazy("hoặc tên cơ sở mới"), required=False, max_length=255
    )
    new_legal_form = forms.ChoiceField(
        label=gettext_lazy("Loại hình"), choices=[("", "—"), *LegalForm.choices], required=False
    )
    new_tax_code = forms.CharField(label=gettext_lazy("Mã số thuế"), required=False, max_length=20)
    support_vnd = MoneyField(label=gettext_lazy("Hỗ trợ"), required=False)
    counterpart_vnd = MoneyField(label=gettext_lazy("Đối ứng"), required=False)

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            self.fields["facility"].queryset = facilities

    def clean(self):
        cleaned = super().clean()
        facility, name = cleaned.get("facility"), (cleaned.get("new_name") or "").strip()
        if facility and name:
            self.add_error("new_name", _("Chọn cơ sở có sẵn hoặc nhập cơ sở mới, không cả hai."))
        if not facility and name and not cleaned.get("new_legal_form"):
            self.add_error("new_legal_form", _("Hãy chọn loại hình của cơ sở mới."))
        # A new facility's tax code is checked where every facility's is (facilities.writing);
        # one typed beside a chosen facility must be that facility's, never dropped unseen.
        typed = normalise_tax_code(cleaned.get("new_tax_code"))
        if facility and typed and typed != (facility.tax_code or ""):
            self.add_error(
                "new_tax_code",
                _(
                    "%(code)s không phải mã số thuế của cơ sở đã chọn (%(name)s: %(own)s). "
                    "Hãy xóa ô này hoặc chọn đúng cơ sở."
                )
                % {"code": typed, "name": facility.name, "own": facility.tax_code or "—"},
            )
        if (facility or name) and cleaned.get("support_vnd") is None:
            cleaned["support_vnd"] = 0
        if (facility or name) and cleaned.get("counterpart_vnd") is None:
            cleaned["counterpart_vnd"] = 0
        return cleaned

    @property
    def is_blank(self):
        data = getattr(self, "cleaned_data", {})
        return not data.get("facility") and not (data.get("new_name") or "").strip()


class BaseBeneficiaryFormSet(forms.BaseFormSet):
    def __init__(self, *args, facilities=None, **kwargs):
        self.facilities = facilities
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"facilities": self.facilities}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            facilities=self.facilities,
        )
        self.add_fields(form, None)
        return form

    def rows(self, province) -> list[Beneficiary]:
        """Beneficiary objects from the filled rows; new facilities are created by `save_new`."""
        rows = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form) or form.is_blank:
                continue
            data = form.cleaned_data
            facility = data.get("facility")
            if facility is None:
                # Entered with the proposal by `save_proposal`, under the rules of every facility;
                # new facilities belong to today's provinces (an absorbed one's successor).
                facility = Facility(
                    name=data["new_name"].strip(),
                    legal_form=data["new_legal_form"],
                    tax_code=data.get("new_tax_code") or None,
                    province=province.today(),
                )
            rows.append(
                Beneficiary(
                    facility=facility,
                    support_vnd=data["support_vnd"],
                    counterpart_vnd=data["counterpart_vnd"],
                )
            )
        return rows


BeneficiaryFormSet = forms.formset_factory(
    BeneficiaryForm, formset=BaseBeneficiaryFormSet, extra=2, can_delete=True
)


class CatalogueIndicatorField(forms.ModelChoiceField):
    """An output indicator of the catalogue (SPEC §3.2), shown with its unit."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", OutputIndicator.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Chỉ tiêu"))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": gettext_lazy("Chỉ tiêu không có trong danh mục.")},
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.label} ({obj.unit_label})"


class IndicatorForm(forms.Form):
    """One planned output: a catalogue indicator, or an "other" one with its own name and unit
    (shown, never summed: a capacity of 60.000 tấn/năm)."""

    indicator = CatalogueIndicatorField()
    name = forms.CharField(label=gettext_lazy("hoặc chỉ tiêu khác"), required=False, max_length=255)
    unit = forms.CharField(
        label=gettext_lazy("Đơn vị (chỉ tiêu khác)"), required=False, max_length=40
    )
    # Localised: 60.000 is read as sixty thousand, as people write it.
    planned = forms.IntegerField(
        label=gettext_lazy("Kế hoạch"), min_value=0, required=False, localize=True
    )

    def clean(self):
        cleaned = super().clean()
        indicator, name = cleaned.get("indicator"), (cleaned.get("name") or "").strip()
        if indicator and name:
            self.add_error(
                "name", _("Chọn chỉ tiêu trong danh mục hoặc ghi chỉ tiêu khác, không cả hai.")
            )
        if (indicator or name) and cleaned.get("planned") is None and "planned" not in self.errors:
            self.add_error("planned", _("Hãy nhập số kế hoạch."))
        if not indicator and not name and (cleaned.get("unit") or "").strip():
            self.add_error("name", _("Hãy ghi tên chỉ tiêu khác."))
        return cleaned

    def row(self) -> OutcomeIndicator | None:
        """The planned row, or None for a blank or deleted one."""
        data = getattr(self, "cleaned_data", {})
        if data.get("DELETE") or not (data.get("indicator") or (data.get("name") or "").strip()):
            return None
        if data.get("indicator"):
            return OutcomeIndicator(indicator=data["indicator"], planned=data["planned"])
        return OutcomeIndicator(
            name=data["name"].strip(),
            unit=(data.get("unit") or "").strip(),
            planned=data["planned"],
        )


class BaseIndicatorFormSet(forms.BaseFormSet):
    def rows(self) -> list[OutcomeIndicator]:
        return [row for row in (form.row() for form in self.forms) if row is not None]


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseIndicatorFormSet, extra=2, can_delete=True
)


def initial_indicators(proposal) -> list[dict]:
    if not proposal.pk:
        return []
    return [
        {"indicator": i.indicator_id, "name": i.name, "unit": i.unit, "planned": i.planned}
        for i in proposal.indicators.all()
    ]


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "description"]
        help_texts = {"file": gettext_lazy("PDF, Word, Excel hoặc ảnh PNG/JPG, tối đa 20 MB.")}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.mime = check_upload(upload)
        return upload


class TransitionForm(forms.Form):
    """The fields one transition takes (SPEC §5), built from the lifecycle table.

    Acceptance adds the council, the minutes and, per beneficiary and indicator, the actuals.
    """

    comment = forms.CharField(
        label=gettext_lazy("Ý kiến, lý do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60)
    decision_date = forms.DateField(label=gettext_lazy("Ngày quyết định"), widget=DATE_INPUT)
    approved_support_vnd = MoneyField(label=gettext_lazy("Kinh phí phê duyệt"))
    accepted_on = forms.DateField(label=gettext_lazy("Ngày nghiệm thu"), widget=DATE_INPUT)
    support_vnd = MoneyField(label=gettext_lazy("Kinh phí khuyến công thực tế"))
    counterpart_vnd = MoneyField(label=gettext_lazy("Vốn đối ứng thực tế"))
    other_vnd = MoneyField(label=gettext_lazy("Nguồn khác thực tế"))
    council = forms.CharField(
        label=gettext_lazy("Thành viên hội đồng nghiệm thu"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Mỗi người một dòng: họ tên, chức vụ, vai trò trong hội đồng."),
    )
    minutes = forms.FileField(
        label=gettext_lazy("Biên bản nghiệm thu"),
        help_text=gettext_lazy("PDF, Word hoặc ảnh chụp biên bản có chữ ký."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, transition, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        wanted = set(transition.requires) | set(transition.optional) | {"comment", "version"}
        if transition.action == "accept":
            wanted |= {"minutes"}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
            elif name not in transition.requires and name not in ("version",):
                self.fields[name].required = False
        if "comment" in transition.requires:
            self.fields["comment"].required = True
        self.fields["version"].initial = proposal.version
        today = timezone.localdate()
        for name in ("decision_date", "accepted_on"):
            if name in self.fields:
                self.fields[name].initial = today
        if "approved_support_vnd" in self.fields:
            self.fields["approved_support_vnd"].initial = proposal.support_vnd
        if "support_vnd" in self.fields:
            self.fields["support_vnd"].initial = proposal.final_support_vnd
            self.fields["counterpart_vnd"].initial = proposal.final_counterpart_vnd
            self.fields["other_vnd"].initial = proposal.final_other_vnd or 0
        self.beneficiary_rows, self.indicator_rows, self.unplanned_rows = [], [], []
        self.row_errors = {}
        if transition.action == "accept":
            self._add_actual_fields(proposal)

    def _add_actual_fields(self, proposal):
        for b in proposal.beneficiaries.select_related("facility"):
            s_name, c_name = f"ben_{b.pk}_support", f"ben_{b.pk}_counterpart"
            self.fields[s_name] = MoneyField(label=gettext_lazy("Hỗ trợ"), required=False)
            self.fields[c_name] = MoneyField(label=gettext_lazy("Đối ứng"), required=False)
            self.fields[s_name].initial = b.support_vnd
            self.fields[c_name].initial = b.counterpart_vnd
            self.beneficiary_rows.append((b, self[s_name], self[c_name]))
        planned = list(proposal.indicators.select_related("indicator"))
        for indicator in planned:
            name = f"ind_{indicator.pk}"
            self.fields[name] = forms.IntegerField(
                label=indicator.label,
                min_value=0,
                required=False,
                initial=indicator.planned,
                localize=True,
            )
            self.indicator_rows.append((indicator, self[name]))
        # Indicators achieved without being planned: a few rows to add from the catalogue.
        taken = [i.indicator_id for i in planned if i.indicator_id]
        self.unplanned_rows = []
        for n in range(self.UNPLANNED_ROWS):
            key_name, actual_name = f"new_{n}_indicator", f"new_{n}_actual"
            self.fields[key_name] = CatalogueIndicatorField(
                queryset=OutputIndicator.objects.exclude(pk__in=taken)
            )
            self.fields[actual_name] = forms.IntegerField(
                label=gettext_lazy("Thực hiện"), min_value=0, required=False, localize=True
            )
            self.unplanned_rows.append((self[key_name], self[actual_name]))

    UNPLANNED_ROWS = 3
    # Rules of the lifecycle refused by row: shown beside their table, not above the form.
    ROW_ERRORS = ("beneficiaries", "indicators")

    def add_domain_error(self, field, message):
        if field in self.ROW_ERRORS:
            self.row_errors.setdefault(field, []).append(message)
        else:
            self.add_error(field if field in self.fields else None, message)

    def clean(self):
        cleaned = super().clean()
        for key, actual in getattr(self, "unplanned_rows", []):
            if cleaned.get(key.name) and cleaned.get(actual.name) is None:
                self.add_error(actual.name, _("Hãy nhập số thực hiện."))
            if cleaned.get(actual.name) is not None and not cleaned.get(key.name):
                self.add_error(key.name, _("Hãy chọn chỉ tiêu."))
        return cleaned

    def main_fields(self):
        """The fields of the transition itself, without the per-row actuals."""
        return [f for f in self.visible_fields() if not f.name.startswith(("ben_", "ind_", "new_"))]

    def clean_minutes(self):
        upload = self.cleaned_data.get("minutes")
        if upload:
            check_upload(upload)
        return upload

    def payload(self) -> dict:
        """What lifecycle.perform takes: the cleaned fields plus per-row actuals."""
        data = {
            k: v for k, v in self.cleaned_data.items() if not k.startswith(("ben_", "ind_", "new_"))
        }
        actuals = {}
        for b, support, counterpart in self.beneficiary_rows:
            s_value, c_value = (
                self.cleaned_data.get(support.name),
                self.cleaned_data.get(counterpart.name),
            )
            if s_value is not None or c_value is not None:
                actuals[b.pk] = (s_value or 0, c_value or 0)
        data["beneficiary_actuals"] = actuals
        data["indicator_actuals"] = {
            indicator.pk: self.cleaned_data[field.name]
            for indicator, field in self.indicator_rows
            if self.cleaned_data.get(field.name) is not None
        }
        data["indicators"] = [
            {"indicator": self.cleaned_data[key.name], "actual": self.cleaned_data[actual.name]}
            for key, actual in self.unplanned_rows
            if self.cleaned_data.get(key.name)
        ]
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ProgressForm(forms.Form):
    month = forms.DateField(
        label=gettext_lazy("Tháng báo cáo"),
        input_formats=["%m/%Y", "%d/%m/%Y"],
        widget=forms.DateInput(format="%m/%Y", attrs={"placeholder": "mm/yyyy"}),
        help_text=gettext_lazy("Ví dụ 11/2026."),
    )
    percent_complete = forms.IntegerField(
        label=gettext_lazy("Khối lượng hoàn thành (%)"), min_value=0, max_value=100
    )
    narrative = forms.CharField(
        label=gettext_lazy("Tình hình thực hiện, khó khăn, kiến nghị"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField(
        label=gettext_lazy("Ảnh, tài liệu"),
        required=False,
        help_text=gettext_lazy("Có thể chọn nhiều tệp: ảnh PNG/JPG, PDF, Word, Excel."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = timezone.localdate().replace(day=1)

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        for upload in uploads:
            check_upload(upload)
        return uploads


class ProgressCommentForm(forms.Form):
    department_comment = forms.CharField(
        label=gettext_lazy("Ý kiến của Sở"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=Payment.Kind.choices)
    amount_vnd = MoneyField(label=gettext_lazy("Số tiền"))
    note = forms.CharField(label=gettext_lazy("Nội dung"), required=False, max_length=500)


class PaymentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Duyệt")), ("refuse", gettext_lazy("Từ chối"))]
    )
    reason = forms.CharField(label=gettext_lazy("Lý do"), required=False, max_length=500)
