"""Form pieces every app shares: money typed the way Vietnamese offices type it."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, flatatt
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from khuyencong import datacache
from khuyencong.money import check_vnd, format_trieu, parse_money

MONEY_HELP = _(
    "Đơn vị: triệu đồng, ví dụ 30.722,3; hoặc gõ số đồng kèm 'đ', ví dụ 30.722.300.000 đ."
)


class MoneyInput(forms.TextInput):
    """A text box showing an amount in triệu with the unit written after it."""

    unit = _("triệu đồng")

    def __init__(self, attrs=None):
        defaults = {"inputmode": "decimal", "autocomplete": "off", "class": "money"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        # Integer VND from the database shows in triệu; what the user typed shows unchanged.
        if isinstance(value, int) and not isinstance(value, bool):
            return format_trieu(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html(
            '<span class="money-input">{}<span class="unit" aria-hidden="true">{}</span></span>',
            box,
            self.unit,
        )


class MoneyField(forms.Field):
    """An amount typed in triệu đồng (`30.722,3`) or in đồng (`30.722.300.000 đ`).

    The cleaned value is integer VND (None when left empty and not required).
    """

    widget = MoneyInput
    default_error_messages = {"required": _("Hãy nhập số tiền.")}

    def __init__(self, *, label=None, help_text=None, **kwargs):
        if label is not None:
            label = format_lazy("{} ({})", label, _("triệu đồng"))
        super().__init__(label=label, help_text=help_text or MONEY_HELP, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            return parse_money(value)
        return check_vnd(value)  # a number handed in by code is already đồng

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("placeholder", "0")
        return attrs


class CommaSelect(forms.Select):
    """One drop-down for a multiple-choice filter: pages pick one value, the API may send many."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [part.strip() for v in values if v for part in str(v).split(",") if part.strip()]

    def render(self, name, value, attrs=None, renderer=None):
        # The same markup as Django's select templates, written here: through the template
        # engine the 63 provinces and the other lists cost a list page ~8 ms of its ~35.
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )


def compact_filter_form(form):
    """Show a filter form's multiple-choice lists as drop-downs with a 'Tất cả' choice."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.SelectMultiple):
            field.widget = CommaSelect(choices=[("", _("Tất cả")), *_choices(field)])
    return form


def _choices(field):
    if isinstance(field, forms.ModelChoiceField):
        # Reference lists (provinces, funds, contents) are read once per version of the data;
        # unpacking field.choices would COUNT the rows, then read them through a cursor.
        queryset, label = field.queryset, field.label_from_instance
        return datacache.for_queryset(
            "choices", queryset, lambda: [(field.prepare_value(o), label(o)) for o in queryset]
        )
    return field.choices


def show_errors(form, error: ValidationError) -> None:
    """Show a write path's refusals (checked under its lock) on the bound form of the page.

    They replace what the form found on its own: the write path's verdict is the one that holds.
    """
    form._errors = ErrorDict()
    form.cleaned_data = {}
    for name, errors in error.update_error_dict({}).items():
        form.add_error(name if name in form.fields else None, errors)


def unknown_parameters(data, known, ignore=()) -> ValidationError | None:
    """The refusal of query parameters a filter form does not know, None when all are known.

    django-filter and Django forms ignore what they do not know; a filter with a typo
    (`provnce=`) would then answer for the whole country: a wrong report, or a whole-table export.
    """
    unknown = sorted(set(data) - set(known) - set(ignore))
    if not unknown:
        return None
    return ValidationError(
        _("Không có bộ lọc %(unknown)s. Các bộ lọc dùng được: %(known)s."),
        code="unknown_parameter",
        params={
            "unknown": ", ".join(f"“{name}”" for name in unknown),
            "known": ", ".join(known),
        },
    )
