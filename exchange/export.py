"""The facility and proposal lists as Excel workbooks, in the import format.

Write-only workbooks fed from `.iterator()`: rows stream to openpyxl's temporary files, so memory
stays flat however long the list. Columns are those of the import template plus a few read-only
ones, so an exported file can be corrected and imported back. Money is integer đồng in number
cells with a thousands format; every text cell goes through `safe_text` (no formula injection).
"""

from django.db.models import Count
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exchange.cells import choice_lists, safe_text
from exchange.sheets import BENEFICIARIES, CHOICE, DATE, FACILITIES, INT, MONEY, PROPOSALS, YEAR
from proposals.models import EDITABLE_FIELDS, Beneficiary

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {MONEY: "#,##0", INT: "#,##0", YEAR: "0", DATE: "dd/mm/yyyy"}
_BOLD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="EEF2F7")
_WRAP = Alignment(wrap_text=True, vertical="top")


class SheetWriter:
    """One write-only sheet laid out from a `Sheet` definition."""

    def __init__(self, workbook, sheet):
        self.sheet = sheet
        self.ws = workbook.create_sheet(sheet.title)
        for index, column in enumerate(sheet.columns, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self.ws.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(self.ws, value=column.title)
            cell.font, cell.fill, cell.alignment = _BOLD, _FILL, _WRAP
            header.append(cell)
        self.ws.append(header)
        # One styled cell per number column, reused: a write-only sheet serialises each row as
        # it is appended, and a new styled cell per value is what makes big exports slow.
        self.styled = {}
        for index, column in enumerate(sheet.columns):
            if column.kind in NUMBER_FORMATS:
                cell = WriteOnlyCell(self.ws)
                cell.number_format = NUMBER_FORMATS[column.kind]
                self.styled[index] = cell
        self.rows = 0

    def append(self, values: dict) -> None:
        row = []
        for index, column in enumerate(self.sheet.columns):
            value = values.get(column.field)
            if value is None or value == "":
                row.append(None)
            elif index in self.styled:
                cell = self.styled[index]
                cell.value = value
                row.append(cell)
            else:
                row.append(safe_text(str(value)))
        self.ws.append(row)
        self.rows += 1

    def close(self) -> None:
        last = get_column_letter(len(self.sheet.columns))
        self.ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def _workbook(title: str, creator: str) -> Workbook:
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = creator
    return workbook


def write_facilities(facilities, out, *, creator="") -> None:
    """Write the facilities of a (scoped, filtered) queryset to `out`."""
    lists = choice_lists()
    workbook = _workbook("Danh sách cơ sở CNNT", creator)
    writer = SheetWriter(workbook, FACILITIES)
    rows = (
        facilities.order_by()
        .annotate(proposal_count=Count("beneficiaries"))
        .order_by("name", "pk")
        .values(*[c.field for c in FACILITIES.columns])
    )
    for row in rows.iterator(chunk_size=2000):
        for column in FACILITIES.columns:
            if column.kind == CHOICE:
                row[column.field] = lists[column.choices].label_of(row[column.field])
        writer.append(row)
    writer.close()
    workbook.save(out)


# The import template's columns: what a centre writes, then the lifecycle's own figures.
_PROPOSAL_VALUES = [
    *EDITABLE_FIELDS,
    "state",
    "decision_number",
    "decision_date",
    "approved_support_vnd",
]


def write_proposals(proposals, out, *, creator="") -> None:
    """Write a (scoped, filtered) proposal queryset and its beneficiaries to `out`."""
    lists = choice_lists()
    workbook = _workbook("Danh sách đề án", creator)
    writer = SheetWriter(workbook, PROPOSALS)
    ordered = proposals.order_by("-year", "code")
    with override("vi"):
        for row in ordered.values(*_PROPOSAL_VALUES).iterator(chunk_size=2000):
            row["total_cost_vnd"] = row["support_vnd"] + row["counterpart_vnd"] + row["other_vnd"]
            for column in PROPOSALS.columns:
                if column.kind == CHOICE or column.field == "state":
                    row[column.field] = lists[column.choices or "state"].label_of(row[column.field])
            writer.append(row)
    writer.close()
    writer = SheetWriter(workbook, BENEFICIARIES)
    beneficiaries = (
        Beneficiary.objects.filter(proposal__in=proposals.order_by().values("pk"))
        .order_by("-proposal__year", "proposal__code", "id")
        .values_list(
            "proposal__code",
            "facility__tax_code",
            "facility__name",
            "support_vnd",
            "counterpart_vnd",
        )
    )
    for code, tax_code, name, support, counterpart in beneficiaries.iterator(chunk_size=2000):
        writer.append(
            {
                "code": code,
                "tax_code": tax_code,
                "facility_name": name,
                "support_vnd": support,
                "counterpart_vnd": counterpart,
            }
        )
    writer.close()
    workbook.save(out)
