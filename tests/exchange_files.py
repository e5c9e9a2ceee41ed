"""Spreadsheets for the exchange tests, written the way a person fills the template in."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from exchange import jobs
from exchange.export import CONTENT_TYPE
from exchange.models import ImportJob
from exchange.sheets import BENEFICIARIES, FACILITIES, PROPOSALS

TRIEU = 1_000_000


def workbook_bytes(sheets: dict) -> bytes:
    """{sheet title: [header row, data rows…]} as .xlsx bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"  # typed text, as Excel keeps '=1+1 typed with a quote
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _table(sheet, rows: list[dict]) -> list[list]:
    columns = [c for c in sheet.importable]
    return [[c.title for c in columns]] + [[row.get(c.field) for c in columns] for row in rows]


def facility_row(n: int = 1, **values) -> dict:
    row = {
        "tax_code": f"23009{n:05d}",
        "name": f"Cơ sở sản xuất số {n}",
        "legal_form": "Hộ kinh doanh",
        "province": "Bắc Ninh",
        "address": f"Thôn {n}, xã Xuân Lai",
        "sector": "Mây tre đan",
        "employees": 10 + n % 50,
        "area_class": "Địa bàn bình thường",
        "representative": "Nguyễn Văn An",
        "phone": "0912345678",
        "email": "",
    }
    row.update(values)
    return row


def facility_file(rows: list[dict]) -> bytes:
    return workbook_bytes({FACILITIES.title: _table(FACILITIES, rows)})


def proposal_row(code="BN-X-001", **values) -> dict:
    row = {
        "code": code,
        "title": "Hỗ trợ máy móc thiết bị sản xuất mây tre",
        "year": 2026,
        "province": "Bắc Ninh",
        "implementing_unit": "Trung tâm Khuyến công Bắc Ninh",
        "fund": "Khuyến công địa phương (cấp tỉnh)",
        "content": "3",
        "activity": "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
        "kind": "Đề án nhóm",
        "start_date": "01/03/2026",
        "end_date": "30/11/2026",
        "support_vnd": "500",  # text without a unit: triệu đồng
        "counterpart_vnd": 1_000 * TRIEU,  # a number cell: đồng
        "other_vnd": None,
    }
    row.update(values)
    return row


def beneficiary_row(code, tax_code, support_vnd, counterpart_vnd) -> dict:
    return {
        "code": code,
        "tax_code": tax_code,
        "support_vnd": support_vnd,
        "counterpart_vnd": counterpart_vnd,
    }


def proposal_file(proposals: list[dict], beneficiaries: list[dict]) -> bytes:
    return workbook_bytes(
        {
            PROPOSALS.title: _table(PROPOSALS, proposals),
            BENEFICIARIES.title: _table(BENEFICIARIES, beneficiaries),
        }
    )


def upload(data: bytes, name="du-lieu.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=CONTENT_TYPE)


def check(user, kind: str, data: bytes) -> ImportJob:
    """Upload and let the worker check: the job as the preview shows it."""
    job = jobs.submit(user, kind, upload(data))
    jobs.process_all()
    job.refresh_from_db()
    return job


def confirm(job) -> ImportJob:
    """Confirm and let the worker write."""
    assert jobs.confirm(job), job.status
    jobs.process_all()
    job.refresh_from_db()
    return job


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def errors_of(job) -> list[tuple]:
    """[(sheet, row, column, message)] of a job's error rows."""
    return [
        (row.sheet, row.row, column, message)
        for row in job.rows.filter(outcome="error").order_by("id")
        for column, message in row.errors
    ]
