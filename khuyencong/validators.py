"""What a field may hold, checked once on the model field so forms, API and imports agree.

Text that reaches a mail subject, a file name or a path (codes, numbers, names) is one line
without control characters; no text may reverse its own direction (bidi overrides make
“ABC‮321” read as another code); digits are ASCII (Python reads `١٢٣` as 123); years and
dates of the programme lie between YEAR_MIN and a few years ahead.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# The programme's records start in the 2000s (the oldest history kept dates from 2012);
# plans are made at most a few years ahead.
YEAR_MIN = 2000
YEARS_AHEAD = 5

# Embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\t")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_TAX_CODE = re.compile(r"[0-9A-Za-z]+(-[0-9A-Za-z]+)*")
_KEY = re.compile(r"[a-z][a-z0-9_]*")


def year_max() -> int:
    return timezone.localdate().year + YEARS_AHEAD


def validate_year(year) -> None:
    """A plan or proposal year: YEAR_MIN to this year + YEARS_AHEAD."""
    if year is not None and not YEAR_MIN <= year <= year_max():
        raise ValidationError(
            _("Năm phải từ %(min)s đến %(max)s.") % {"min": YEAR_MIN, "max": year_max()},
            code="year_range",
        )


def validate_date(day) -> None:
    """A decision, approval or report date: in the years validate_year allows."""
    if isinstance(day, datetime.date) and not YEAR_MIN <= day.year <= year_max():
        raise ValidationError(
            _("Ngày phải trong các năm từ %(min)s đến %(max)s.")
            % {"min": YEAR_MIN, "max": year_max()},
            code="date_range",
        )


def _refuse_bidi(value: str) -> None:
    if any(ch in BIDI_CONTROLS for ch in value):
        raise ValidationError(
            _("Không được chứa ký tự điều khiển chiều văn bản (U+202A–U+202E, U+2066–U+2069)."),
            code="bidi",
        )


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def validate_text(value: str) -> None:
    """Multi-line text: line breaks and tabs are fine, other control characters are not."""
    _refuse_bidi(value)
    if any(_is_control(ch) and ch not in _LINE_BREAKS for ch in value):
        raise ValidationError(_("Không được chứa ký tự điều khiển."), code="control")


def validate_single_line(value: str) -> None:
    """One line (a name, a number, anything that may reach a mail subject): no control chars."""
    _refuse_bidi(value)
    if any(_is_control(ch) for ch in value):
        raise ValidationError(
            _("Chỉ được viết trên một dòng, không có ký tự điều khiển (xuống dòng, tab…)."),
            code="control",
        )


def validate_code(value: str) -> None:
    """A record's code: one line, and nothing a path would read (`/`, `\\`, `..`)."""
    validate_single_line(value)
    if "/" in value or "\\" in value or ".." in value:
        raise ValidationError(
            _("Mã không được chứa “/”, “\\” hay “..”."),
            code="path",
        )


def validate_key(value: str) -> None:
    """A reference-data key other programs use (`demo_model`): lower-case ASCII letters,
    digits and `_`, starting with a letter."""
    if not _KEY.fullmatch(value or ""):
        raise ValidationError(
            _("Mã chỉ gồm chữ thường a–z, chữ số và dấu “_”, bắt đầu bằng một chữ cái."),
            code="key",
        )


def validate_ascii_digits(value: str) -> None:
    """Digits as typed on a Latin keyboard: 0–9 only (no fullwidth or Arabic-Indic digits)."""
    if value and not _ASCII_DIGITS.fullmatch(value):
        raise ValidationError(_("Chỉ được gồm các chữ số 0–9."), code="digits")


def validate_tax_code(value: str) -> None:
    """A tax or business registration number: ASCII digits and letters, parts joined by `-`."""
    if value and not _TAX_CODE.fullmatch(value):
        raise ValidationError(
            _(
                "Mã số thuế / số đăng ký chỉ gồm chữ số 0–9 và chữ cái không dấu, "
                "các phần nối bằng “-” (ví dụ 0100100001-001)."
            ),
            code="tax_code",
        )
