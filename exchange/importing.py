"""Checking and writing the rows of an uploaded workbook, with the rules the pages use.

Facilities go through `FacilityForm` (its province choices and tax-code rules, then
`Facility.full_clean`); proposals through `ProposalForm` and `editing.save_proposal` (creatable
provinces, province of the year, beneficiary sums, editable states, versions). No rule is
written twice here: this module only reads cells, finds the existing record by its natural key
(tax code, proposal code), and says what the row would do.

The same code serves the preview (`write=False`, proposals saved in a savepoint that is rolled
back) and the confirm (`write=True`, inside the caller's one transaction).
"""

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from openpyxl import load_workbook

from exchange.cells import CellError, ChoiceList, choice_lists, read_cell
from exchange.models import Outcome
from exchange.sheets import BENEFICIARIES, FACILITIES, MONEY, PROPOSALS, Sheet, header_key
from facilities.forms import FacilityForm
from facilities.models import Facility, normalise_tax_code
from facilities.permissions import may_edit_facility
from facilities.writing import save_facility
from khuyencong.errors import DomainError
from khuyencong.money import format_dong, format_trieu, group_digits
from proposals.editing import StaleEdit, save_proposal
from proposals.forms import ProposalForm
from proposals.models import Beneficiary, Proposal

MAX_ROWS = 50_000
# A 20 MB upload may unpack to far more (a "zip bomb"); real 50 000-row files stay well below.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
CHUNK = 250


class FileError(Exception):
    """The file as a whole cannot be read (not a workbook, a sheet or a column missing)."""


@dataclass
class RowOutcome:
    sheet: str
    row: int
    key: str = ""
    label: str = ""
    outcome: str = Outcome.NEW
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    version: int | None = None

    def error(self, column: str, message) -> None:
        self.errors.append([column, strip_tags(str(message))])
        self.outcome = Outcome.ERROR
        self.changes = []

    @property
    def failed(self) -> bool:
        return bool(self.errors)


@dataclass
class Table:
    """The data rows of one sheet: (Excel row number, {field: raw cell value}), and its columns."""

    sheet: Sheet
    present: set
    rows: list


def open_workbook(data: bytes):
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileError("Tệp không phải là tệp Excel .xlsx. Hãy dùng mẫu tải từ trang này.")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise FileError("Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp.")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileError(f"Không đọc được tệp Excel: {error}") from error


def _find_worksheet(workbook, sheet: Sheet, others: tuple[Sheet, ...]):
    wanted = header_key(sheet.title)
    for ws in workbook.worksheets:
        if header_key(ws.title) == wanted:
            return ws
    # A file whose only sheet was renamed ("Sheet1") still reads, when nothing else claims it.
    taken = {header_key(other.title) for other in others}
    required = {header_key(c.header) for c in sheet.importable if c.required}
    for ws in workbook.worksheets:
        if header_key(ws.title) in taken:
            continue
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        if required <= {header_key(value) for value in first if value}:
            return ws
    raise FileError(f"Tệp thiếu trang “{sheet.title}”. Hãy dùng mẫu tải từ trang này.")


def read_table(workbook, sheet: Sheet, others=()) -> Table:
    """The rows of `sheet`, after checking its header row against the format."""
    ws = _find_worksheet(workbook, sheet, others)
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    by_key = sheet.header_map()
    positions, unknown, seen = {}, [], set()
    for index, value in enumerate(header):
        if value is None or not str(value).strip():
            continue
        column = by_key.get(header_key(value))
        if column is None:
            unknown.append(str(value).strip())
            continue
        if column.field in seen:
            raise FileError(f"Trang “{sheet.title}” có hai cột “{column.header}”.")
        seen.add(column.field)
        if not column.export_only:
            positions[column.field] = index
    if unknown:
        known = ", ".join(c.header for c in sheet.importable)
        raise FileError(
            f"Trang “{sheet.title}” có cột không có trong mẫu: {', '.join(unknown)}. "
            f"Các cột của mẫu: {known}."
        )
    missing = [c.header for c in sheet.importable if c.required and c.field not in positions]
    if missing:
        raise FileError(f"Trang “{sheet.title}” thiếu cột bắt buộc: {', '.join(missing)}.")
    data = []
    for number, values in enumerate(rows, 2):
        raw = {
            name: values[index] if index < len(values) else None
            for name, index in positions.items()
        }
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            continue
        data.append((number, raw))
        if len(data) > MAX_ROWS:
            raise FileError(
                f"Trang “{sheet.title}” có hơn {group_digits(str(MAX_ROWS))} dòng; "
                "hãy chia thành nhiều tệp."
            )
    return Table(sheet, set(positions), data)


def _parse(sheet: Sheet, raw: dict, lists, out: RowOutcome) -> tuple[dict, set]:
    """Cell values by field; unreadable cells become row errors and are left out."""
    values, bad = {}, set()
    for name, value in raw.items():
        column = sheet.column(name)
        try:
            values[name] = read_cell(value, column, lists)
        except CellError as error:
            out.error(column.header, str(error))
            bad.add(name)
    return values, bad


def _form_errors(form, sheet: Sheet, out: RowOutcome, skip=(), out_of_scope="") -> None:
    """A bound form's errors as row errors under their column's header.

    `out_of_scope` replaces Django's "select a valid choice" for a province the form's own
    rules (the user's provinces) left out, which reads like a typing mistake otherwise.
    """
    for name, errors in form.errors.as_data().items():
        if name in skip:
            continue
        header = _header(sheet, name)
        for error in errors:
            if name == "province" and error.code == "invalid_choice" and out_of_scope:
                out.error(header, out_of_scope)
                continue
            for message in error.messages:
                out.error(header, message)


def _header(sheet: Sheet, name) -> str:
    if name in (None, NON_FIELD_ERRORS):
        return ""
    try:
        return sheet.column(name).header
    except StopIteration:
        return ""


def _domain_errors(error: ValidationError, sheet: Sheet, out: RowOutcome) -> None:
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            header = BENEFICIARIES.title if name == "beneficiaries" else _header(sheet, name)
            for message in messages:
                out.error(header, message)
    else:
        for message in error.messages:
            out.error("", message)


def _display(value, column, choices: ChoiceList | None = None) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "pk"):
        value = value.pk
    if choices is not None:
        return choices.label_of(value)
    if column.kind == MONEY:
        return format_dong(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _comparable(value):
    """Model values and cleaned form values on one footing (a related object by its key)."""
    if hasattr(value, "pk"):
        return value.pk
    if value == "":
        return None
    return value


class Importer:
    """Turns the rows of one file into outcomes; subclasses know one kind of record."""

    sheets: tuple[Sheet, ...] = ()

    def __init__(self, user, expected=None):
        self.user = user
        self.lists = choice_lists()
        # Confirm time: (sheet, row) -> (outcome, version) as the preview showed them.
        self.expected = expected

    def load(self, data: bytes) -> list[Table]:
        workbook = open_workbook(data)
        try:
            return [read_table(workbook, sheet, self.sheets) for sheet in self.sheets]
        finally:
            workbook.close()

    @staticmethod
    def count(tables: list[Table]) -> int:
        return sum(len(t.rows) for t in tables)

    def _against_preview(self, out: RowOutcome) -> None:
        """At confirm, a row must do what the preview said, or the person confirmed blind."""
        if self.expected is None or out.failed:
            return
        before = self.expected.get((out.sheet, out.row))
        if before is None or before[0] != out.outcome:
            shown = Outcome(before[0]).label if before else "—"
            out.error(
                "",
                f"Dữ liệu trong hệ thống đã thay đổi sau lần kiểm tra (xem trước: {shown}, nay: "
                f"{Outcome(out.outcome).label}). Hãy tải tệp lên lại để kiểm tra.",
            )

    def _diff(self, sheet, before: dict, after: dict) -> list:
        changes = []
        for name, old in before.items():
            new = after.get(name, old)
            if _comparable(old) != _comparable(new):
                column = sheet.column(name)
                choices = self.lists.get(column.choices) if column.choices else None
                changes.append(
                    [column.header, _display(old, column, choices), _display(new, column, choices)]
                )
        return changes


class FacilityImporter(Importer):
    sheets = (FACILITIES,)
    FIELDS = FacilityForm.Meta.fields

    def run(self, tables, *, write=False, progress=None) -> list[RowOutcome]:
        (table,) = tables
        outcomes, seen = [], {}
        for start in range(0, len(table.rows), CHUNK):
            chunk = table.rows[start : start + CHUNK]
            parsed = []
            for number, raw in chunk:
                out = RowOutcome(FACILITIES.title, number)
                values, bad = _parse(FACILITIES, raw, self.lists, out)
                self._check_tax_code(raw.get("tax_code"), values, out)
                parsed.append((out, values, bad))
            codes = {v["tax_code"] for _o, v, _b in parsed if v.get("tax_code")}
            existing = {f.tax_code: f for f in Facility.objects.filter(tax_code__in=codes)}
            for out, values, bad in parsed:
                self._row(table, out, values, bad, existing, seen, write)
                self._against_preview(out)
                outcomes.append(out)
            if progress:
                progress(len(outcomes))
        return outcomes

    @staticmethod
    def _check_tax_code(raw, values, out):
        tax_code = normalise_tax_code(values.get("tax_code"))
        values["tax_code"] = tax_code or None
        # 0101234567 typed into a number cell arrives as 101234567: the facility would be
        # created again under a wrong code.
        if isinstance(raw, int | float) and len(tax_code) in (9, 12):
            out.error(
                FACILITIES.column("tax_code").header,
                f"Mã số thuế {tax_code} có vẻ đã mất số 0 ở đầu vì ô có kiểu số. Hãy định dạng "
                "cột là Văn bản (Text) và gõ lại mã.",
            )

    def _same(self, values, before, present) -> bool:
        for name in present:
            value = values.get(name)
            if name == "area_class" and not value:
                value = "normal"
            if _comparable(value) != _comparable(before[name]):
                return False
        return True

    def _find(self, values, existing):
        tax_code = values.get("tax_code")
        if tax_code:
            return existing.get(tax_code)
        # Without a tax code a facility is known by its name within its province.
        if not values.get("name") or not values.get("province"):
            return None
        return (
            Facility.objects.filter(
                tax_code__isnull=True, province_id=values["province"], name=values["name"]
            )
            .order_by("pk")
            .first()
        )

    def _row(self, table, out, values, bad, existing_by_code, seen, write):
        tax_header = FACILITIES.column("tax_code").header
        out.key = values.get("tax_code") or ""
        out.label = values.get("name") or ""
        key = out.key or ("~", values.get("province"), (values.get("name") or "").casefold())
        if key in seen:
            what = "mã số thuế" if out.key else "tên và tỉnh"
            out.error(tax_header, f"Trùng {what} với dòng {seen[key]} của tệp.")
            return
        seen[key] = out.row
        existing = self._find(values, existing_by_code)
        if existing is not None and not may_edit_facility(self.user, existing.province_id)[0]:
            if Facility.objects.visible_to(self.user).filter(pk=existing.pk).exists():
                out.error(tax_header, "Bạn không được sửa cơ sở này (thuộc tỉnh khác).")
                return
            existing = None  # the form says the code is taken, without telling by whom
        before = {name: getattr(existing, name, None) for name in self.FIELDS}
        if existing is not None:
            before["province"] = existing.province_id
            if not out.failed and self._same(values, before, table.present):
                # Stored already, as is: nothing to write, so nothing to validate (and a
                # re-imported 10 000-row file is checked in seconds).
                out.outcome = Outcome.UNCHANGED
                return
        data = {}
        for name in self.FIELDS:
            if name in table.present and name not in bad:
                value = values.get(name)
            elif existing is not None:
                value = before[name]
            else:
                value = None
            data[name] = "" if value is None else value
        if not data["area_class"]:
            data["area_class"] = "normal"
        form = FacilityForm(data, instance=existing, user=self.user)
        if not form.is_valid():
            province = self.lists["province"].label_of(data["province"])
            _form_errors(
                form,
                FACILITIES,
                out,
                skip=bad,
                out_of_scope=f"Bạn không được nhập cơ sở cho {province}: tỉnh ngoài phạm vi của "
                "bạn, hoặc đã sáp nhập năm 2025 (cơ sở mới thuộc một trong 34 tỉnh hiện nay).",
            )
        if out.failed:
            return
        if existing is None:
            out.outcome = Outcome.NEW
        else:
            out.changes = self._diff(FACILITIES, before, form.cleaned_data)
            out.outcome = Outcome.UPDATE if out.changes else Outcome.UNCHANGED
        if write and out.outcome != Outcome.UNCHANGED:
            try:
                save_facility(self.user, data, instance=existing, checked=form)
            except DomainError as error:
                out.error(tax_header, error.message)
            except ValidationError as error:
                # Checked again under the row's lock: someone may have moved since the preview.
                headers = {c.field: c.header for c in FACILITIES.columns}
                for name, messages in error.update_error_dict({}).items():
                    for message in messages:
                        out.error(headers.get(name, tax_header), strip_tags(str(message)))


@dataclass
class BeneficiaryLine:
    out: RowOutcome
    facility: Facility | None
    support_vnd: int
    counterpart_vnd: int


class ProposalImporter(Importer):
    sheets = (PROPOSALS, BENEFICIARIES)
    FIELDS = ProposalForm.Meta.fields

    def run(self, tables, *, write=False, progress=None) -> list[RowOutcome]:
        proposals, beneficiaries = tables
        codes = {self._code_of(raw.get("code")) for _n, raw in proposals.rows}
        lines = self._beneficiaries(beneficiaries, codes)
        outcomes, seen = [], {}
        for start in range(0, len(proposals.rows), CHUNK):
            chunk = proposals.rows[start : start + CHUNK]
            parsed = []
            for number, raw in chunk:
                out = RowOutcome(PROPOSALS.title, number)
                values, bad = _parse(PROPOSALS, raw, self.lists, out)
                parsed.append((out, values, bad))
            codes = {v["code"] for _o, v, _b in parsed if v.get("code")}
            existing = {
                p.code: p
                for p in Proposal.objects.visible_to(self.user)
                .filter(code__in=codes)
                .prefetch_related("beneficiaries__facility")
            }
            for out, values, bad in parsed:
                code = values.get("code") or ""
                self._row(proposals, out, values, bad, existing.get(code), lines, seen, write)
                self._against_preview(out)
                outcomes.append(out)
                for line in lines.get(code, []) if seen.get(code) == out.row else []:
                    self._mirror(line.out, out)
            if progress:
                progress(len(outcomes))
        for group in lines.values():
            for line in group:
                self._against_preview(line.out)
                outcomes.append(line.out)
        if progress:
            progress(len(outcomes))
        return outcomes

    def _code_of(self, raw) -> str:
        try:
            return read_cell(raw, PROPOSALS.column("code"), self.lists) or ""
        except CellError:
            return ""

    def _beneficiaries(self, table, proposal_codes) -> dict[str, list[BeneficiaryLine]]:
        """Beneficiary rows by proposal code; rows that cannot belong to one carry errors."""
        code_header = BENEFICIARIES.column("code").header
        tax_header = BENEFICIARIES.column("tax_code").header
        parsed = []
        for number, raw in table.rows:
            out = RowOutcome(BENEFICIARIES.title, number)
            values, _bad = _parse(BENEFICIARIES, raw, self.lists, out)
            values["tax_code"] = normalise_tax_code(values.get("tax_code"))
            parsed.append((out, values))
        codes = {v["tax_code"] for _o, v in parsed if v["tax_code"]}
        facilities = {
            f.tax_code: f for f in Facility.objects.visible_to(self.user).filter(tax_code__in=codes)
        }
        lines, seen = defaultdict(list), {}
        for out, values in parsed:
            code, tax_code = values.get("code") or "", values["tax_code"]
            out.key, out.label = code, tax_code
            facility = facilities.get(tax_code)
            if code and code not in proposal_codes:
                out.error(code_header, f"Không có đề án {code} ở trang “{PROPOSALS.title}”.")
            if tax_code and facility is None:
                out.error(
                    tax_header,
                    f"Không tìm thấy cơ sở có mã số thuế {tax_code} trong phạm vi của bạn. Hãy "
                    "nhập cơ sở trước bằng mẫu Cơ sở CNNT.",
                )
            elif facility is not None:
                out.label = f"{facility.name} ({tax_code})"
            if (code, tax_code) in seen and code and tax_code:
                first = seen[code, tax_code]
                out.error(tax_header, f"Cơ sở này đã được nêu cho đề án ở dòng {first}.")
            seen.setdefault((code, tax_code), out.row)
            for name in ("code", "tax_code"):
                if not values.get(name) and not any(
                    e[0] == BENEFICIARIES.column(name).header for e in out.errors
                ):
                    out.error(BENEFICIARIES.column(name).header, "Ô này là bắt buộc.")
            lines[code].append(
                BeneficiaryLine(
                    out,
                    facility,
                    values.get("support_vnd") or 0,
                    values.get("counterpart_vnd") or 0,
                )
            )
        return lines

    @staticmethod
    def _mirror(line_out: RowOutcome, proposal_out: RowOutcome) -> None:
        """A beneficiary row does what its proposal does."""
        if line_out.failed:
            return
        if proposal_out.failed:
            line_out.error(
                "",
                f"Đề án {proposal_out.key} có lỗi (trang “{PROPOSALS.title}”, dòng "
                f"{proposal_out.row}).",
            )
        else:
            line_out.outcome = proposal_out.outcome

    def _row(self, table, out, values, bad, existing, lines, seen, write):
        code = values.get("code") or ""
        out.key, out.label = code, values.get("title") or ""
        if code and code in seen:
            out.error(PROPOSALS.column("code").header, f"Trùng mã đề án với dòng {seen[code]}.")
            return
        if code:
            seen[code] = out.row
        before = {name: getattr(existing, name, None) for name in self.FIELDS}
        if existing is not None:
            before.update(
                province=existing.province_id,
                fund=existing.fund_id,
                content=existing.content_id,
                activity=existing.activity_id,
            )
        data = {}
        for name in self.FIELDS:
            if name in table.present and name not in bad:
                value = values.get(name)
            elif existing is not None:
                value = before[name]
            else:
                value = None
            data[name] = "" if value is None else value
        form = ProposalForm(data, instance=existing or Proposal(), user=self.user)
        if not form.is_valid():
            province = self.lists["province"].label_of(data["province"])
            _form_errors(
                form,
                PROPOSALS,
                out,
                skip=bad,
                out_of_scope=f"Bạn không được lập đề án cho {province}.",
            )
        group = lines.get(code, [])
        broken = [line.out.row for line in group if line.out.failed]
        if broken:
            out.error(
                BENEFICIARIES.title,
                f"Có lỗi ở trang “{BENEFICIARIES.title}”, dòng "
                f"{', '.join(str(n) for n in broken)}.",
            )
        if out.failed:
            return
        rows = [
            Beneficiary(
                facility=line.facility,
                support_vnd=line.support_vnd,
                counterpart_vnd=line.counterpart_vnd,
            )
            for line in group
        ]
        if existing is not None:
            out.version = existing.version
            out.changes = self._diff(PROPOSALS, before, form.cleaned_data)
            out.changes += self._beneficiary_changes(existing, rows)
            out.outcome = Outcome.UPDATE if out.changes else Outcome.UNCHANGED
            if out.outcome == Outcome.UNCHANGED:
                return
            if self.expected is not None:
                # Confirm: the proposal must still be the version the preview was made from.
                out.version = (self.expected.get((out.sheet, out.row)) or (None, None))[1]
        else:
            out.outcome = Outcome.NEW
        self._save(form.instance, rows, out, write)

    def _save(self, proposal, rows, out, write):
        try:
            with transaction.atomic():
                save_proposal(proposal, self.user, beneficiaries=rows, expected_version=out.version)
                if not write:
                    transaction.set_rollback(True)
        except StaleEdit as stale:
            out.error(
                "",
                f"{stale} Hãy tải tệp lên lại để kiểm tra với phiên bản {stale.current_version}.",
            )
        except ValidationError as error:
            _domain_errors(error, PROPOSALS, out)
        except DomainError as error:  # the role or the state refuses this row
            out.error("", error.message)
        except IntegrityError:
            out.error(PROPOSALS.column("code").header, "Mã đề án này vừa được dùng cho đề án khác.")

    @staticmethod
    def _beneficiary_changes(existing, rows) -> list:
        def shown(items):
            return sorted(
                (b.facility.tax_code or b.facility.name, b.support_vnd, b.counterpart_vnd)
                for b in items
            )

        old = shown(existing.beneficiaries.all())
        new = shown(rows)
        if old == new:
            return []

        def text(items):
            return "; ".join(
                f"{code}: {format_trieu(s)} / {format_trieu(c)} tr.đ" for code, s, c in items
            )

        return [[BENEFICIARIES.title, text(old), text(new)]]


IMPORTERS = {"facilities": FacilityImporter, "proposals": ProposalImporter}
