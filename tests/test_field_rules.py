"""Values no record should hold are refused by field, with a Vietnamese message, nothing stored.

Codes with path or control characters, bidi overrides, non-ASCII digits, years and dates far
outside the programme's: one validator each in khuyencong.validators, on the model field.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from exchange.models import Status
from facilities.models import Facility
from funding.models import Allocation, Plan
from khuyencong.money import parse_money
from khuyencong.validators import YEAR_MIN, year_max
from proposals.models import ProgressReport, Proposal, ProposalEvent
from registrations.models import Registration
from tests.api_world import client_for
from tests.builders import TODAY, TRIEU, make_allocation, make_proposal, make_registration
from tests.exchange_files import (
    check,
    errors_of,
    facility_file,
    facility_row,
    proposal_file,
    proposal_row,
)

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def proposal_body(**overrides):
    data = {
        "code": "BN-2026-DP-101",
        "title": "Hỗ trợ máy móc thiết bị",
        "year": 2026,
        "province": "bac-ninh",
        "implementing_unit": "Trung tâm Khuyến công Bắc Ninh",
        "fund": "provincial",
        "content": 3,
        "kind": "single",
        "support_vnd": 600 * TRIEU,
        "counterpart_vnd": 1_200 * TRIEU,
        "other_vnd": 0,
    }
    data.update(overrides)
    return data


def facility_body(**overrides):
    data = {
        "name": "Hợp tác xã Gốm Phù Lãng",
        "legal_form": "cooperative",
        "tax_code": "2300123456",
        "province": "bac-ninh",
        "address": "Xã Phù Lãng, Bắc Ninh",
        "sector": "Gốm mỹ nghệ",
        "employees": 45,
        "area_class": "normal",
    }
    data.update(overrides)
    return data


# --- proposals over the API -------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, message",
    [
        ("../../etc/passwd", "“/”"),
        ("BN/2026/1", "“/”"),
        ("BN\\2026", "“\\”"),
        ("BN-2026..1", "“..”"),
        ("BN-2026\r\nBcc: x@example.com", "một dòng"),
        ("BN-2026\t1", "một dòng"),
        (f"BN-{RLO}1002", "chiều văn bản"),
    ],
)
def test_it_refuses_a_proposal_code_with_path_or_control_characters(cast, code, message):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/", proposal_body(code=code), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["code"][0]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("year", [1900, YEAR_MIN - 1, year_max() + 1])
def test_it_refuses_a_proposal_year_outside_the_programme(cast, year):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/", proposal_body(year=year), format="json"
    )
    assert response.status_code == 400
    assert f"Năm phải từ {YEAR_MIN} đến {year_max()}" in response.json()["year"][0]
    assert not Proposal.objects.exists()


def test_it_refuses_a_proposal_starting_in_year_one(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/", proposal_body(start_date="0001-01-01"), format="json"
    )
    assert response.status_code == 400
    assert "Ngày phải trong các năm" in response.json()["start_date"][0]
    assert not Proposal.objects.exists()


def test_it_refuses_a_title_with_a_line_break(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/", proposal_body(title="Hỗ trợ\nmáy móc"), format="json"
    )
    assert response.status_code == 400
    assert "một dòng" in response.json()["title"][0]
    assert not Proposal.objects.exists()


def test_the_proposal_page_refuses_year_1900_by_field(cast):
    client = Client()
    client.force_login(cast["centre.bacninh"])
    form = {
        **proposal_body(year="1900", support_vnd="600", counterpart_vnd="1.200", other_vnd="0"),
        "beneficiaries-TOTAL_FORMS": "0",
        "beneficiaries-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("proposals:create"), form)
    assert response.status_code == 200
    assert f"Năm phải từ {YEAR_MIN}" in response.content.decode()
    assert not Proposal.objects.exists()


# --- approval dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"decision_date": "0001-01-01"}, "decision_date", "Ngày phải trong các năm"),
        ({"decision_date": "1999-12-31"}, "decision_date", "Ngày phải trong các năm"),
        ({"decision_number": "12/QĐ\r\nBcc: x@example.com"}, "decision_number", "một dòng"),
        ({"decision_number": f"12/QĐ{RLO}"}, "decision_number", "chiều văn bản"),
    ],
)
def test_it_refuses_an_approval_dated_out_of_range_or_with_control_characters(
    cast, extra, field, message
):
    make_allocation()
    proposal = make_proposal(state="submitted")
    body = {
        "action": "approve",
        "decision_number": "1/QĐ",
        "decision_date": TODAY.isoformat(),
        "approved_support_vnd": proposal.support_vnd,
        **extra,
    }
    response = client_for(cast["dept.bacninh"]).post(
        f"/api/v1/proposals/{proposal.pk}/transitions/", body, format="json"
    )
    assert response.status_code == 400
    assert message in str(response.json()[field])
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decision_date) == ("submitted", None)
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()


# --- facilities: names, tax codes -------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", f"Cơ sở {RLO}abc", "chiều văn bản"),
        ("name", "Cơ sở\r\nabc", "một dòng"),
        ("tax_code", "٢٣٠٠١٢٣٤٥٦", "chữ số 0–9"),
        ("tax_code", "２３００１２３４５６", "chữ số 0–9"),
        ("representative", f"Nguyễn{RLO} Văn A", "chiều văn bản"),
    ],
)
def test_it_refuses_a_facility_field_with_bidi_controls_or_foreign_digits(
    cast, field, value, message
):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", facility_body(**{field: value}), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Facility.objects.exists()


def test_a_branch_tax_code_is_still_accepted(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", facility_body(tax_code="0100100001-001"), format="json"
    )
    assert response.status_code == 201, response.content


# --- allocations ------------------------------------------------------------------------------


def test_the_allocation_page_refuses_year_1900_by_field(cast):
    client = Client()
    client.force_login(cast["dept.bacninh"])
    data = {
        "year": "1900",
        "fund": "provincial",
        "province": "bac-ninh",
        "amount_vnd": "5.000",
        "decision_number": "15/QĐ-UBND",
        "note": "",
    }
    response = client.post(reverse("funding:create"), data)
    assert response.status_code == 200
    assert f"Năm phải từ {YEAR_MIN}" in response.content.decode()
    assert not Allocation.objects.exists()


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["١٢٣", "１２３", "１２３ đ", "1.２３4", "12,５", "۱۲۳"])
def test_money_in_non_ascii_digits_is_refused(text):
    with pytest.raises(ValidationError, match="Số tiền không hợp lệ"):
        parse_money(text)


def test_money_in_ascii_digits_is_still_read():
    assert parse_money("30.722,3") == 30_722_300_000
    assert parse_money("123") == 123 * TRIEU


def test_the_allocation_page_refuses_arabic_indic_digits_as_money(cast):
    client = Client()
    client.force_login(cast["dept.bacninh"])
    data = {"year": "2027", "fund": "provincial", "province": "bac-ninh", "amount_vnd": "١٢٣"}
    response = client.post(reverse("funding:create"), {**data, "decision_number": "", "note": ""})
    assert response.status_code == 200
    assert "Số tiền không hợp lệ" in response.content.decode()
    assert not Allocation.objects.exists()


def test_years_and_dates_inside_the_programme_are_accepted(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/",
        proposal_body(year=YEAR_MIN, start_date=datetime.date(YEAR_MIN, 1, 1).isoformat()),
        format="json",
    )
    assert response.status_code == 201, response.content


# --- progress reports and registrations -------------------------------------------------------


def test_it_refuses_a_progress_report_for_year_one(cast):
    proposal = make_proposal(
        state="in_progress", approved_support_vnd=500 * TRIEU, final_support_vnd=500 * TRIEU
    )
    body = {"month": "0001-01-01", "percent_complete": 30, "narrative": "Đã mua máy."}
    response = client_for(cast["centre.bacninh"]).post(
        f"/api/v1/proposals/{proposal.pk}/progress/", body, format="json"
    )
    assert response.status_code == 400
    assert "Ngày phải trong các năm" in response.json()["month"][0]
    assert not ProgressReport.objects.exists()


def test_the_public_registration_refuses_a_name_with_a_bidi_override(db):
    data = {
        "name": f"Cơ sở {RLO}abc",
        "legal_form": "household",
        "tax_code": "",
        "province": "bac-ninh",
        "address": "Thôn Đông, Bắc Ninh",
        "sector": "Mây tre đan",
        "representative": "Nguyễn Văn A",
        "phone": "0912345678",
        "content": "3",
        "need": "Máy dệt",
        "description": "Mua máy dệt",
        "requested_support_vnd": "200",
        "counterpart_vnd": "100",
        "consent": "on",
    }
    response = Client().post(reverse("registrations:register"), data)
    assert response.status_code == 200
    assert "chiều văn bản" in response.content.decode()
    assert not Registration.objects.exists()


def test_it_refuses_an_allocation_for_year_1900_over_the_api(cast):
    body = {"province": "bac-ninh", "year": 1900, "fund": "provincial", "amount_vnd": 5 * TRIEU}
    response = client_for(cast["dept.bacninh"]).post("/api/v1/allocations/", body, format="json")
    assert response.status_code == 400
    assert f"Năm phải từ {YEAR_MIN}" in response.json()["year"][0]
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [({"year_from": 1900}, "year_from"), ({"year_to": year_max() + 10}, "year_to")],
)
def test_it_refuses_a_plan_outside_the_programme_years_over_the_api(cast, overrides, field):
    body = {
        "province": "bac-ninh",
        "fund": "provincial",
        "year_from": 2026,
        "year_to": 2030,
        "target_support_vnd": 25_000 * TRIEU,
        "targets": [{"content": 3, "count": 60, "description": "Cơ sở", "unit": "cơ sở"}],
        **overrides,
    }
    response = client_for(cast["dept.bacninh"]).post("/api/v1/plans/", body, format="json")
    assert response.status_code == 400
    assert "Năm phải từ" in response.json()[field][0]
    assert not Plan.objects.exists()


def test_it_refuses_a_plan_target_unit_with_a_line_break_over_the_api(cast):
    body = {
        "province": "bac-ninh",
        "fund": "provincial",
        "year_from": 2026,
        "year_to": 2030,
        "target_support_vnd": 25_000 * TRIEU,
        "targets": [{"content": 3, "count": 60, "description": "Cơ sở\r\nx", "unit": "cơ sở"}],
    }
    response = client_for(cast["dept.bacninh"]).post("/api/v1/plans/", body, format="json")
    assert response.status_code == 400
    assert "một dòng" in str(response.json())
    assert not Plan.objects.exists()


# --- imports ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("tax_code", "٢٣٠٠٩٠٠٠٠٣", "chữ số 0–9"),
        ("name", f"Cơ sở {RLO}abc", "chiều văn bản"),
        ("name", "Cơ sở\nabc", "một dòng"),
    ],
)
def test_a_facility_import_refuses_the_same_values_by_row(cast, column, value, message):
    rows = [facility_row(1), facility_row(2)]
    rows[1][column] = value
    job = check(cast["centre.bacninh"], "facilities", facility_file(rows))
    assert job.status == Status.INVALID
    assert any(message in error[3] for error in errors_of(job))
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    "values, message",
    [
        ({"code": "BN/../001"}, "“/”"),
        ({"year": 1900}, f"Năm phải từ {YEAR_MIN}"),
        ({"support_vnd": "٥٠٠"}, "Số tiền không hợp lệ"),
    ],
)
def test_a_proposal_import_refuses_the_same_values_by_row(cast, values, message):
    job = check(cast["centre.bacninh"], "proposals", proposal_file([proposal_row(**values)], []))
    assert job.status == Status.INVALID
    assert any(message in error[3] for error in errors_of(job)), errors_of(job)
    assert not Proposal.objects.exists()


def test_a_facility_import_refuses_employees_in_arabic_indic_digits(cast):
    rows = [facility_row(1, employees="١٢")]
    job = check(cast["centre.bacninh"], "facilities", facility_file(rows))
    assert job.status == Status.INVALID
    assert any("Cần một số nguyên" in error[3] for error in errors_of(job)), errors_of(job)
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"year": 1900}, "year", f"Năm phải từ {YEAR_MIN}"),
        ({"code": "BN/2026\r\n1"}, "code", "một dòng"),
    ],
)
def test_converting_a_registration_refuses_the_same_values(cast, overrides, field, message):
    registration = make_registration("bac-ninh")
    response = client_for(cast["centre.bacninh"]).post(
        f"/api/v1/registrations/{registration.pk}/convert/", overrides, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Proposal.objects.exists()
