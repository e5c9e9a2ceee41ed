"""The report filters, shared by the dashboard, the PDF, the Excel workbook and the API."""

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from funding.models import ActivityContent, ActivityType, Fund
from khuyencong.forms import unknown_parameters
from khuyencong.models import Province
from khuyencong.text import normalise
from reports.summary import ReportFilters

YEAR_MIN, YEAR_MAX = 1990, 2100

_FLAG_VALUES = {
    "": False,
    "0": False,
    "false": False,
    "off": False,
    "no": False,
    "1": True,
    "true": True,
    "on": True,
    "yes": True,
}


def _is_set(value) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    return _FLAG_VALUES.get(str(value).strip().lower(), False)


class FlagInput(forms.CheckboxInput):
    """A checkbox that hands the raw value to the field, so `rollup=0` means no."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=_is_set)

    def format_value(self, value):
        return "1"

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class FlagField(forms.Field):
    """`1`, `true`, `on`, `yes`; or absent, `0`, `false`, `off`, `no`; nothing else."""

    widget = FlagInput
    default_error_messages = {
        "invalid": _("Giá trị “%(value)s” không hợp lệ: dùng 1 (có) hoặc 0 (không)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value is None or value is True or value is False:
            return bool(value)
        key = str(value).strip().lower()
        if key not in _FLAG_VALUES:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return _FLAG_VALUES[key]


def _year_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "invalid": _("Năm phải là một số, ví dụ 2016."),
            "min_value": _("Năm phải từ %(limit_value)s trở đi."),
            "max_value": _("Năm phải đến %(limit_value)s là cùng."),
        },
        widget=forms.NumberInput(attrs={"placeholder": "2016", "class": "year"}),
    )


class SummaryFilterForm(forms.Form):
    """`year_from`, `year_to`, `province` (repeatable slugs), `fund`, `content`, `activity`
    (a SPEC §3.1 key), `rollup=1`; any other parameter is refused.

    Any existing province validates here; whether the user may see it is the summary's
    business (an invisible province answers 404, like any other object out of scope).
    """

    year_from = _year_field(_("Từ năm"))
    year_to = _year_field(_("Đến năm"))
    province = forms.ModelMultipleChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=Province.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={
            "invalid_choice": _("Không có tỉnh, thành phố mã “%(value)s”."),
            "invalid_pk_value": _("Mã tỉnh, thành phố “%(pk)s” không hợp lệ."),
        },
        widget=forms.SelectMultiple(attrs={"size": 9}),
    )
    rollup = FlagField(
        label=_("Gộp tỉnh cũ vào tỉnh hiện nay"),
        help_text=_("Ví dụ: Bắc Ninh gồm cả số liệu của Bắc Giang trước 1/7/2025."),
    )
    fund = forms.ModelChoiceField(
        label=_("Nguồn kinh phí"),
        queryset=Fund.objects.all(),
        to_field_name="key",
        required=False,
        empty_label=_("Tất cả các nguồn"),
        error_messages={
            "invalid_choice": _(
                "Nguồn kinh phí không hợp lệ: dùng national, provincial hoặc district."
            )
        },
    )
    content = forms.ModelChoiceField(
        label=_("Nội dung hoạt động"),
        queryset=ActivityContent.objects.all(),
        required=False,
        empty_label=_("Tất cả các nội dung"),
        error_messages={"invalid_choice": _("Nội dung hoạt động phải là một số từ 1 đến 9.")},
    )
    activity = forms.ModelChoiceField(
        label=_("Loại hoạt động"),
        queryset=ActivityType.objects.select_related("content"),
        to_field_name="key",
        required=False,
        empty_label=_("Tất cả các loại hoạt động"),
        error_messages={
            "invalid_choice": _("Không có loại hoạt động mã “%(value)s” (ví dụ: machinery).")
        },
    )

    def __init__(self, data=None, *, scope=None, ignore=(), **kwargs):
        super().__init__(data, **kwargs)
        self.ignore = ignore  # parameters that belong to the face, not the report (`format`)
        # Offer only the provinces in scope; computed when the widget renders, not for the API.
        self.fields["province"].widget.choices = CallableChoiceIterator(
            lambda: _province_choices(scope)
        )

    def clean(self):
        cleaned = super().clean()
        unknown = unknown_parameters(self.data, list(self.fields), self.ignore)
        if unknown:
            raise unknown
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        content, activity = cleaned.get("content"), cleaned.get("activity")
        if content and activity and activity.content_id != content.number:
            self.add_error(
                "activity",
                _(
                    "Loại hoạt động “%(activity)s” thuộc nội dung %(its)s, "
                    "không thuộc nội dung %(asked)s."
                )
                % {"activity": activity.label, "its": activity.content_id, "asked": content.number},
            )
        if year_from and year_to and year_to < year_from:
            self.add_error(
                "year_to",
                _("Năm cuối (%(to)s) phải từ năm đầu (%(from)s) trở đi.")
                % {"to": year_to, "from": year_from},
            )
        return cleaned

    def filters(self) -> ReportFilters:
        """The validated filters; call after is_valid()."""
        data = self.cleaned_data
        return ReportFilters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            provinces=tuple(sorted({p.slug for p in data.get("province") or ()})),
            rollup=bool(data.get("rollup")),
            fund=data["fund"].key if data.get("fund") else None,
            content=data["content"].number if data.get("content") else None,
            activity=data["activity"].key if data.get("activity") else None,
        )

    def errors_as_api(self) -> dict:
        """Errors in the API's shape: {"field": ["message"]}."""
        return {
            ("non_field_errors" if field == "__all__" else field): [e["message"] for e in errors]
            for field, errors in self.errors.get_json_data().items()
        }


def _province_choices(scope):
    """The provinces a user may pick: today's first, then the ones that ended in 2025."""
    provinces = Province.objects.all()
    if scope is not None:
        provinces = provinces.filter(slug__in=scope)
    current, former = [], []
    # Alphabetical the Vietnamese way ('Đà Nẵng' after 'Cần Thơ', not after 'Yên Bái').
    for province in sorted(provinces, key=lambda p: normalise(p.name)):
        if province.valid_to is None:
            current.append((province.slug, province.name))
        else:
            former.append((province.slug, province.name))
    return [
        (_("Tỉnh, thành phố hiện nay"), current),
        (_("Tỉnh, thành phố đến 30/6/2025"), former),
    ]
