"""Excel exports of the facility and proposal lists: filters, scope, numbers, no formulas,
and the round trip import → export → import that changes nothing."""

import datetime

import pytest
from django.urls import reverse

from facilities.models import Facility
from khuyencong.sheets import safe_text, unquote
from proposals.models import Beneficiary, Proposal
from tests.builders import centre_of
from tests.exchange_files import (
    TRIEU,
    beneficiary_row,
    check,
    confirm,
    facility_file,
    facility_row,
    proposal_file,
    proposal_row,
    read_xlsx,
)

pytestmark = pytest.mark.django_db
ATTACK = "=cmd|' /C calc'!A0"


def _download(client, name, query=None):
    response = client.get(reverse(name), query or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)


def _rows(ws):
    return list(ws.iter_rows(values_only=True))


def _make(name, province="bac-ninh", tax_code=None, **extra):
    return Facility.objects.create(
        name=name, province_id=province, tax_code=tax_code, legal_form="sme", **extra
    )


def test_facility_export_follows_the_list_filters_and_scope(client, cast):
    _make("Cơ sở Đức Thắng", tax_code="2300100001", employees=1200)
    _make("HTX Kinh Bắc", tax_code="2300100002")
    _make("Cơ sở Phú Thọ", province="phu-tho", tax_code="2600100001")
    client.force_login(cast["centre.bacninh"])
    rows = _rows(read_xlsx(_download(client, "exchange:facility_export"))["Cơ sở CNNT"])
    assert rows[0][:2] == ("Mã số thuế / số đăng ký", "Tên cơ sở *")
    assert [r[1] for r in rows[1:]] == ["Cơ sở Đức Thắng", "HTX Kinh Bắc"]  # not Phú Thọ's
    filtered = read_xlsx(_download(client, "exchange:facility_export", {"q": "duc"}))
    assert [r[1] for r in _rows(filtered["Cơ sở CNNT"])[1:]] == ["Cơ sở Đức Thắng"]


def test_numbers_are_numbers_with_formats(client, cast):
    _make("Cơ sở Đức Thắng", tax_code="0100100001", employees=1200)
    proposal = Proposal.objects.create(
        code="BN-1",
        title="Máy móc",
        year=2026,
        province_id="bac-ninh",
        unit=centre_of("bac-ninh"),
        implementing_unit="TTKC",
        fund_id="provincial",
        content_id=3,
        kind="single",
        support_vnd=30_722_300_000,
        counterpart_vnd=0,
        start_date=datetime.date(2026, 3, 1),
    )
    client.force_login(cast["centre.bacninh"])
    ws = read_xlsx(_download(client, "exchange:facility_export"))["Cơ sở CNNT"]
    assert ws["A2"].value == "0100100001"  # text: the leading zero stays
    assert ws["G2"].value == 1200 and ws["G2"].number_format == "#,##0"
    ws = read_xlsx(_download(client, "exchange:proposal_export"))["Đề án"]
    header = [c.value for c in ws[1]]
    support = ws.cell(row=2, column=header.index("Kinh phí khuyến công hỗ trợ (đồng) *") + 1)
    assert support.value == proposal.support_vnd and support.data_type == "n"
    assert support.number_format == "#,##0"
    year = ws.cell(row=2, column=header.index("Năm kế hoạch *") + 1)
    assert year.value == 2026 and year.number_format == "0"
    start = ws.cell(row=2, column=header.index("Ngày bắt đầu") + 1)
    assert start.value.date() == datetime.date(2026, 3, 1) and start.number_format == "dd/mm/yyyy"
    state = ws.cell(row=2, column=header.index("Trạng thái") + 1)
    assert state.value == "Dự thảo"


@pytest.mark.parametrize("text", [ATTACK, "+84 912", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_injection_is_neutralised(client, cast, text):
    _make(ATTACK if text == ATTACK else "Cơ sở", tax_code="2300100001", address=text)
    client.force_login(cast["centre.bacninh"])
    ws = read_xlsx(_download(client, "exchange:facility_export"))["Cơ sở CNNT"]
    address = ws["E2"]
    assert address.data_type == "s"  # a string, never a formula
    assert address.value == "'" + text
    if text == ATTACK:
        assert ws["B2"].value == "'" + ATTACK and ws["B2"].data_type == "s"
    assert safe_text(text) == "'" + text and unquote(safe_text(text)) == text


def test_proposal_export_follows_filters_and_lists_beneficiaries(client, cast):
    facility = _make("Cơ sở A", tax_code="2300100001")
    for code, year in (("BN-2025", 2025), ("BN-2026", 2026)):
        proposal = Proposal.objects.create(
            code=code,
            title=code,
            year=year,
            province_id="bac-ninh",
            unit=centre_of("bac-ninh"),
            implementing_unit="TTKC",
            fund_id="provincial",
            content_id=3,
            kind="single",
            support_vnd=100 * TRIEU,
            counterpart_vnd=0,
        )
        Beneficiary.objects.create(proposal=proposal, facility=facility, support_vnd=100 * TRIEU)
    Proposal.objects.create(
        code="PT-2026",
        title="x",
        year=2026,
        province_id="phu-tho",
        unit=centre_of("phu-tho"),
        implementing_unit="x",
        fund_id="provincial",
        content_id=3,
        kind="single",
    )
    client.force_login(cast["dept.bacninh"])
    workbook = read_xlsx(_download(client, "exchange:proposal_export", {"year": 2026}))
    assert [r[0] for r in _rows(workbook["Đề án"])[1:]] == ["BN-2026"]
    assert _rows(workbook["Cơ sở thụ hưởng"])[1:] == [
        ("BN-2026", "2300100001", "Cơ sở A", 100 * TRIEU, 0)
    ]
    everything = read_xlsx(_download(client, "exchange:proposal_export"))
    assert [r[0] for r in _rows(everything["Đề án"])[1:]] == ["BN-2026", "BN-2025"]


def test_list_pages_link_to_the_export_with_their_filters(client, cast):
    client.force_login(cast["centre.bacninh"])
    html = client.get(reverse("facilities:list"), {"q": "duc"}).content.decode()
    assert reverse("exchange:facility_export") + "?q=duc" in html
    html = client.get(reverse("proposals:list"), {"year": "2026"}).content.decode()
    assert reverse("exchange:proposal_export") + "?year=2026" in html


def _snapshot():
    return (
        list(Facility.objects.order_by("pk").values()),
        list(Proposal.objects.order_by("pk").values()),
        list(Beneficiary.objects.order_by("pk").values()),
        Facility.history.count(),
        Proposal.history.count(),
    )


def test_round_trip_import_export_import_changes_nothing(client, cast):
    user = cast["centre.bacninh"]
    facilities = [facility_row(n) for n in range(1, 4)]
    facilities[0]["address"] = ATTACK  # survives the apostrophe the export adds
    facilities[1]["phone"] = "+84 912 345 678"
    confirm(check(user, "facilities", facility_file(facilities)))
    proposals = [
        proposal_row("BN-X-001", objectives="=1+1"),
        proposal_row("BN-X-002", support_vnd="500,5", counterpart_vnd="999,5"),
    ]
    beneficiaries = [
        beneficiary_row("BN-X-001", "2300900001", "500", "1.000"),
        beneficiary_row("BN-X-002", "2300900002", "250", 500 * TRIEU),
        beneficiary_row("BN-X-002", "2300900003", "250,5", "499,5"),
    ]
    confirm(check(user, "proposals", proposal_file(proposals, beneficiaries)))
    before = _snapshot()

    client.force_login(user)
    exported_facilities = _download(client, "exchange:facility_export")
    exported_proposals = _download(client, "exchange:proposal_export")
    for kind, data in (("facilities", exported_facilities), ("proposals", exported_proposals)):
        job = check(user, kind, data)
        assert job.error_rows == 0, list(job.rows.filter(outcome="error").values("errors"))
        assert job.new_rows == job.updated_rows == 0
        confirm(job)
    assert _snapshot() == before
    assert Facility.objects.get(tax_code="2300900001").address == ATTACK
    assert Proposal.objects.get(code="BN-X-001").objectives == "=1+1"
    assert Proposal.objects.get(code="BN-X-002").support_vnd == 500_500_000
