"""Importing facilities from Excel: preview, all or nothing, idempotent, the pages' rules."""

import pytest

from exchange import jobs
from exchange.models import Status
from exchange.sheets import FACILITIES
from facilities.models import Facility, LegalForm
from tests.exchange_files import (
    check,
    confirm,
    errors_of,
    facility_file,
    facility_row,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db


def snapshot():
    """Every facility column, and how many history records: a write of any kind shows."""
    rows = list(Facility.objects.order_by("pk").values())
    return rows, Facility.history.count()


def test_it_previews_without_writing_then_writes_on_confirm(cast):
    user = cast["centre.bacninh"]
    job = check(user, "facilities", facility_file([facility_row(1), facility_row(2)]))
    assert job.status == Status.READY
    assert (job.new_rows, job.error_rows) == (2, 0)
    assert [r.outcome for r in job.rows.order_by("row")] == ["new", "new"]
    assert not Facility.objects.exists()

    job = confirm(job)
    assert job.status == Status.DONE
    facility = Facility.objects.get(tax_code="2300900001")
    assert facility.legal_form == LegalForm.HOUSEHOLD
    assert facility.province_id == "bac-ninh"
    assert facility.employees == 11
    assert Facility.objects.count() == 2


def test_one_bad_row_writes_nothing_and_names_the_row_and_column(cast):
    rows = [facility_row(n) for n in range(1, 6)]
    rows[2]["legal_form"] = "Công ty đa quốc gia"
    job = check(cast["centre.bacninh"], "facilities", facility_file(rows))
    assert job.status == Status.INVALID
    assert job.error_rows == 1
    ((sheet, row, column, message),) = errors_of(job)
    assert (sheet, row, column) == ("Cơ sở CNNT", 4, "Loại hình")
    assert "Công ty đa quốc gia" in message and "Hộ kinh doanh" in message
    assert not Facility.objects.exists()
    # Nothing can be confirmed while a row is wrong.
    assert not jobs.confirm(job)


def test_reimporting_the_same_file_changes_nothing(cast):
    user = cast["centre.bacninh"]
    data = facility_file([facility_row(n) for n in range(1, 4)])
    confirm(check(user, "facilities", data))
    before = snapshot()

    again = check(user, "facilities", data)
    assert (again.unchanged_rows, again.new_rows, again.updated_rows) == (3, 0, 0)
    confirm(again)
    assert snapshot() == before


def test_a_changed_row_is_an_update_showing_old_and_new(cast):
    user = cast["centre.bacninh"]
    confirm(check(user, "facilities", facility_file([facility_row(1)])))
    job = check(user, "facilities", facility_file([facility_row(1, employees=80)]))
    row = job.rows.get()
    assert row.outcome == "update"
    assert row.changes == [["Số lao động", "11", "80"]]
    confirm(job)
    assert Facility.objects.get().employees == 80


def test_a_centre_cannot_enter_facilities_of_another_province(cast):
    job = check(
        cast["centre.bacninh"], "facilities", facility_file([facility_row(1, province="Phú Thọ")])
    )
    ((_sheet, row, column, message),) = errors_of(job)
    assert (row, column) == (2, "Tỉnh, thành phố")
    assert "Phú Thọ" in message


def test_a_new_facility_cannot_go_to_an_absorbed_province(cast):
    job = check(
        cast["centre.bacninh"], "facilities", facility_file([facility_row(1, province="Bắc Giang")])
    )
    assert "sáp nhập" in errors_of(job)[0][3]


def test_a_tax_code_of_another_province_is_refused_without_saying_whose(cast):
    Facility.objects.create(
        name="Cơ sở Phú Thọ", legal_form="sme", tax_code="2600000001", province_id="phu-tho"
    )
    job = check(
        cast["centre.bacninh"],
        "facilities",
        facility_file([facility_row(1, tax_code="2600000001")]),
    )
    ((_sheet, _row, column, message),) = errors_of(job)
    assert column == "Mã số thuế / số đăng ký"
    assert "không có quyền xem" in message
    assert "Phú Thọ" not in message
    assert Facility.objects.get(tax_code="2600000001").name == "Cơ sở Phú Thọ"


def test_a_tax_code_that_lost_its_leading_zero_in_a_number_cell_is_flagged(cast):
    row = facility_row(1, tax_code=101234567)  # 0101234567 typed into a number cell
    job = check(cast["centre.bacninh"], "facilities", facility_file([row]))
    assert "số 0 ở đầu" in errors_of(job)[0][3]


def test_the_same_tax_code_twice_in_a_file_is_an_error_on_the_second(cast):
    job = check(
        cast["centre.bacninh"],
        "facilities",
        facility_file([facility_row(1), facility_row(1, name="Tên khác")]),
    )
    ((_sheet, row, _column, message),) = errors_of(job)
    assert row == 3 and "dòng 2" in message


def test_facilities_without_tax_code_are_known_by_name_and_province(cast):
    user = cast["dept.bacninh"]
    data = facility_file([facility_row(1, tax_code=None), facility_row(2, tax_code="")])
    confirm(check(user, "facilities", data))
    assert Facility.objects.filter(tax_code__isnull=True).count() == 2
    again = check(user, "facilities", data)
    assert again.unchanged_rows == 2


def test_a_file_that_is_not_the_template_is_refused_as_a_whole(cast):
    data = workbook_bytes({"Cơ sở CNNT": [["Tên cơ sở", "Cột lạ"], ["A", "B"]]})
    job = check(cast["centre.bacninh"], "facilities", data)
    assert job.status == Status.INVALID
    assert "Cột lạ" in job.message and "Loại hình" in job.message


def test_a_file_that_is_not_excel_is_refused(cast):
    job = check(cast["centre.bacninh"], "facilities", b"PK\x03\x04 not really a zip")
    assert job.status == Status.INVALID
    assert "Excel" in job.message


def test_confirm_checks_again_and_refuses_what_changed_since_the_preview(cast):
    user = cast["centre.bacninh"]
    job = check(user, "facilities", facility_file([facility_row(1), facility_row(2)]))
    assert job.status == Status.READY
    # Someone enters facility 2 by hand between the preview and the confirm.
    Facility.objects.create(
        name="Nhập tay", legal_form="sme", tax_code="2300900002", province_id="bac-ninh"
    )
    job = confirm(job)
    assert job.status == Status.INVALID
    assert Facility.objects.count() == 1  # facility 1 was rolled back with the rest
    ((_sheet, row, _column, message),) = errors_of(job)
    assert row == 3 and "đã thay đổi sau lần kiểm tra" in message


def test_export_only_columns_are_ignored_on_import(cast):
    rows = [facility_row(1)]
    header = [c.title for c in FACILITIES.columns]
    values = [rows[0].get(c.field) for c in FACILITIES.columns]
    values[-1] = 7  # "Số đề án" is read-only
    job = check(
        cast["centre.bacninh"], "facilities", workbook_bytes({"Cơ sở CNNT": [header, values]})
    )
    assert job.status == Status.READY
