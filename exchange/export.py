"""The facility and proposal lists as Excel workbooks, in the import format.

Write-only workbooks fed from `.iterator()`: rows stream to openpyxl's temporary files, so memory
stays flat however long the list. Columns are those of the import template plus a few read-only
ones, so an exported file can be corrected and imported back. Money is integer đồng in number
cells with a thousands format; text follows the one formula policy of `khuyencong.sheets`.
"""

from django.db.models import Count
from django.utils.translation import override

from exchange.cells import choice_lists
from exchange.sheets import BENEFICIARIES, CHOICE, DATE, FACILITIES, INT, MONEY, PROPOSALS, YEAR
from khuyencong import sheets
from proposals.models import EDITABLE_FIELDS, Beneficiary

CONTENT_TYPE = sheets.CONTENT_TYPE
NUMBER_FORMATS = {MONEY: sheets.AMOUNT, INT: sheets.COUNT, YEAR: sheets.YEAR, DATE: sheets.DATE}


class SheetWriter(sheets.Table):
    """One write-only sheet laid out from a `Sheet` definition; rows are dicts by field."""

    def __init__(self, workbook, sheet):
        self.fields = [column.field for column in sheet.columns]
        columns = [(c.title, c.width, NUMBER_FORMATS.get(c.kind)) for c in sheet.columns]
        super().__init__(workbook, sheet.title, columns)

    def append(self, values: dict) -> None:
        super().append(
            [values.get(field) if values.get(field) != "" else None for field in self.fields]
        )


def _workbook(title: str, creator: str):
    return sheets.new_workbook(title=title, creator=creator)


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
    "activity",
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
                chosen = row[column.field]
                if (column.kind == CHOICE or column.field == "state") and chosen is not None:
                    row[column.field] = lists[column.choices or "state"].label_of(chosen)
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
