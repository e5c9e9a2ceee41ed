"""Reading one spreadsheet cell into a Python value, and writing one safely.

Reading accepts what Vietnamese offices type: money as whole đồng in a number cell or as triệu
written `30.722,3` in a text cell (`khuyencong.money.parse_money`), dates as date cells or
`dd/mm/yyyy`, choices by their label or key; the apostrophe `khuyencong.sheets` puts before
a formula-like text comes off again.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import override

from exchange.sheets import CHOICE, DATE, INT, MONEY, TEXT, YEAR, Column
from facilities.models import AreaClass, LegalForm
from funding.models import ActivityContent, ActivityType, Fund
from khuyencong.models import Province
from khuyencong.money import check_vnd, parse_money
from khuyencong.sheets import unquote
from khuyencong.text import normalise
from khuyencong.validators import validate_year
from proposals.models import Kind, State


class CellError(Exception):
    """A cell that cannot be read; the message is Vietnamese and names what was found."""


@dataclass
class ChoiceList:
    """A drop-down list: keys stored in the database, labels shown in the file."""

    name: str
    options: list[tuple[str, str]]
    aliases: dict[str, str]

    @classmethod
    def build(cls, name, options, extra_aliases=()):
        options = [(str(key), str(label)) for key, label in options]
        aliases = {}
        for key, label in options:
            aliases.setdefault(normalise(label), key)
            aliases.setdefault(normalise(key), key)
        for alias, key in extra_aliases:
            aliases.setdefault(normalise(str(alias)), str(key))
        return cls(name, options, aliases)

    @property
    def labels(self) -> list[str]:
        return [label for _key, label in self.options]

    def label_of(self, key) -> str:
        return dict(self.options).get(str(key), str(key))

    def resolve(self, text: str) -> str | None:
        return self.aliases.get(normalise(text))


def choice_lists(province_slugs=None) -> dict[str, ChoiceList]:
    """Every list a sheet picks from; `province_slugs` narrows the province list (None: all)."""
    with override("vi"):
        provinces = Province.objects.order_by("name")
        if province_slugs is not None:
            provinces = provinces.filter(slug__in=province_slugs)
        contents = list(ActivityContent.objects.order_by("number"))
        activities = list(ActivityType.objects.order_by("content", "order", "key"))
        funds = list(Fund.objects.order_by("order"))
        return {
            "legal_form": ChoiceList.build("legal_form", LegalForm.choices),
            "area_class": ChoiceList.build("area_class", AreaClass.choices),
            "kind": ChoiceList.build("kind", Kind.choices),
            "state": ChoiceList.build("state", State.choices),
            "fund": ChoiceList.build(
                "fund",
                [(f.key, f.name) for f in funds],
                [(f.short_name, f.key) for f in funds],
            ),
            "content": ChoiceList.build(
                "content",
                [(c.number, str(c)) for c in contents],
                [(c.short_name, c.number) for c in contents]
                + [(c.name, c.number) for c in contents],
            ),
            "activity": ChoiceList.build("activity", [(a.key, a.name) for a in activities]),
            "province": ChoiceList.build("province", [(p.slug, p.name) for p in provinces]),
        }


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return unquote(str(value).strip())


def _read_money(value) -> int:
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(
                f"Ô số {value} có phần lẻ: ô kiểu số được hiểu là số đồng, mà tiền đồng không "
                "có phần lẻ. Để nhập theo triệu đồng hãy gõ dạng chữ, ví dụ 30.722,3."
            )
        value = int(value)  # a number cell holds a float even for whole đồng
    try:
        if isinstance(value, str):
            return parse_money(unquote(value))
        return check_vnd(value)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from error


def _read_int(value, what="số") -> int:
    if isinstance(value, bool):
        raise CellError(f"Cần một {what} nguyên.")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"Cần một {what} nguyên, không phải {value}.")
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise CellError(f"Cần một {what} không âm.")
        return value
    text = str(value).strip().replace(" ", "")
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", text):
        text = text.replace(".", "")
    if not re.fullmatch(r"[0-9]+", text):  # ASCII: isdigit() and int() also read ١٢٣
        raise CellError(f"Cần một {what} nguyên, không phải “{value}”.")
    return int(text)


def _read_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"Ngày “{text}” không hợp lệ: hãy ghi dạng dd/mm/yyyy, ví dụ 15/03/2026.")


def _read_choice(value, column: Column, lists: dict[str, ChoiceList]) -> str:
    choices = lists[column.choices]
    text = _as_text(value)
    key = choices.resolve(text)
    if key is None:
        shown = ", ".join(choices.labels[:12]) + (" …" if len(choices.labels) > 12 else "")
        raise CellError(f"“{text}” không có trong danh mục {column.header.lower()}: {shown}.")
    return key


def read_cell(value, column: Column, lists: dict[str, ChoiceList]):
    """The Python value of one cell: None when blank; raises CellError when unreadable."""
    if _is_blank(value):
        return None
    if column.kind == TEXT:
        return _as_text(value)
    if column.kind == MONEY:
        return _read_money(value)
    if column.kind == INT:
        return _read_int(value)
    if column.kind == YEAR:
        year = _read_int(value, "năm")
        try:
            validate_year(year)
        except ValidationError as error:
            raise CellError(error.messages[0]) from None
        return year
    if column.kind == DATE:
        return _read_date(value)
    if column.kind == CHOICE:
        return _read_choice(value, column, lists)
    raise AssertionError(column.kind)  # pragma: no cover
