"""Every Excel workbook the portal hands out is written through this module: one formula policy.

- Text typed by people is never a formula: a text starting with `= + - @` (or a tab or carriage
  return) gets a leading apostrophe. A string cell type alone would do inside the workbook, but
  not once someone saves the sheet as CSV; the apostrophe survives that. The import takes it off
  again (`unquote`).
- Numbers, dates and money are real numbers with number formats, never text.
- Workbooks are write-only, so big lists stream row by row in flat memory.
- Sheet titles follow Excel's rules (31 characters, none of []:*?/\\).
"""

import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats.
AMOUNT = "#,##0"
COUNT = "#,##0"
RATIO = "0.00"
PERCENT = "0.00%"
YEAR = "0"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"

# A text starting with one of these is a formula to Excel or LibreOffice (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids; openpyxl refuses them.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_BAD_TITLE_CHARS = re.compile(r"[\[\]:*?/\\]")

# The look of header rows, shared with the import templates (exchange.template).
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_text(value: str) -> str:
    """Text as it goes into a cell: never read as a formula, here or after a save as CSV."""
    value = _ILLEGAL.sub("", str(value))
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unquote(text: str) -> str:
    """Undo `safe_text`: `'=1+1` read back is `=1+1`."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def sheet_title(text: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return _BAD_TITLE_CHARS.sub("-", str(text))[:31]


def new_workbook(*, title: str, creator: str) -> Workbook:
    """An empty write-only workbook; add sheets with `Table`."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = str(title)
    workbook.properties.creator = str(creator)
    return workbook


class Table:
    """A write-only sheet with one header row: widths, frozen header, autofilter, formats.

    `columns` is a list of (header, width, number format or None).
    """

    def __init__(self, workbook, title, columns):
        self.ws = workbook.create_sheet(sheet_title(title))
        self.formats = [fmt for _header, _width, fmt in columns]
        # Widths and panes must be set before the first row: write-only sheets stream.
        for index, (_header, width, _fmt) in enumerate(columns, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        self.rows = 0
        header = []
        for name, _width, _fmt in columns:
            cell = WriteOnlyCell(self.ws, value=safe_text(name))
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
            header.append(cell)
        self.ws.append(header)
        self._cells = self._bold_cells = None

    def _styled_cells(self, formats, bold):
        cells = []
        for fmt in formats:
            cell = WriteOnlyCell(self.ws)
            if fmt:
                cell.number_format = fmt
            if bold:
                cell.font = BOLD
            cells.append(cell)
        return cells

    def append(self, values, bold=False, formats=None):
        """Append one row. Plain text goes in as plain values; numbers, dates and bold cells go
        through one styled cell per column, reused: a write-only sheet serialises each row as it
        is appended, and styling a new cell per value is what makes big exports slow."""
        if formats is not None:
            cells = self._styled_cells(formats, bold)
        elif bold:
            cells = self._bold_cells = self._bold_cells or self._styled_cells(self.formats, True)
        else:
            cells = self._cells = self._cells or self._styled_cells(self.formats, False)
        row = []
        for cell, value in zip(cells, values, strict=True):
            if isinstance(value, str):
                value = safe_text(value)
                if not bold:
                    row.append(value)
                    continue
                cell.value = value
            elif value is None or (cell.number_format == "General" and not bold):
                row.append(value)
                continue
            else:
                cell.value = value
            row.append(cell)
        self.ws.append(row)
        self.rows += 1

    def close(self, totals=None):
        """Filter over the header and data rows; a totals row goes below, outside the filter."""
        last = get_column_letter(len(self.formats))
        self.ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        if totals is not None:
            self.append(totals, bold=True)
