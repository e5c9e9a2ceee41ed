"""The summary's `by_unit` (SPEC §7): counted proposals by the kind of their implementing unit,
the same numbers on the JSON, the dashboard, the PDF and the Excel workbook."""

import io
from decimal import Decimal

import openpyxl
import pytest

from khuyencong.models import Unit
from reports.summary import ReportFilters, summarise
from tests.builders import TRIEU, centre_of, make_proposal, regional_centre
from tests.reports_support import download, html_tables, pdf_line, pdf_text

pytestmark = pytest.mark.django_db

QUERY = "year_from=2026&year_to=2026&province=bac-ninh"


def counted(code, unit, support, counterpart, state="approved", province="bac-ninh", **extra):
    return make_proposal(
        code=code,
        province=province,
        unit=unit,
        state=state,
        support_vnd=support * TRIEU,
        counterpart_vnd=counterpart * TRIEU,
        approved_support_vnd=support * TRIEU,
        final_support_vnd=support * TRIEU,
        final_counterpart_vnd=counterpart * TRIEU,
        final_other_vnd=0,
        **extra,
    )


@pytest.fixture
def proposals(db):
    provider = Unit.objects.create(
        kind="provider", name="Công ty Tư vấn Thiết bị Bắc Ninh", province_id="bac-ninh"
    )
    counted("BN-1", centre_of("bac-ninh"), 500, 1_000)
    counted("BN-2", centre_of("bac-ninh"), 300, 600, state="in_progress")
    counted("BN-QG-1", regional_centre(1), 1_900, 5_700, state="settled", fund="national")
    counted("BN-3", provider, 200, 0)
    # Not counted: a draft, and another province.
    make_proposal(code="BN-4", unit=centre_of("bac-ninh"), support_vnd=999 * TRIEU)
    counted("PT-1", centre_of("phu-tho"), 700, 700, province="phu-tho")


def test_it_adds_up_each_kind_of_unit(proposals):
    summary = summarise(ReportFilters(2026, 2026, ("bac-ninh",)), scope=None)
    rows = {row.key: row for row in summary.by_unit}
    assert list(rows) == ["centre", "regional_centre", "provider", "other"]
    assert (rows["centre"].proposals, rows["centre"].support_vnd) == (2, 800 * TRIEU)
    assert rows["centre"].counterpart_vnd == 1_600 * TRIEU and rows["centre"].units == 1
    assert rows["regional_centre"].support_vnd == 1_900 * TRIEU
    assert rows["regional_centre"].leverage == Decimal("3.00")
    assert rows["regional_centre"].share == Decimal("0.6552")  # 1 900 of 2 900
    assert (rows["provider"].proposals, rows["provider"].support_vnd) == (1, 200 * TRIEU)
    assert (rows["other"].proposals, rows["other"].support_vnd, rows["other"].units) == (0, 0, 0)


def test_the_json_face_carries_by_unit(proposals, cast):
    from tests.api_world import client_for

    response = client_for(cast["dept.bacninh"]).get(f"/api/v1/reports/summary/?{QUERY}")
    assert response.status_code == 200
    rows = {row["kind"]: row for row in response.json()["by_unit"]}
    assert rows["centre"]["proposals"] == 2
    assert rows["centre"]["support_vnd"] == 800_000_000
    assert rows["regional_centre"]["counterpart_vnd"] == 5_700_000_000
    assert rows["regional_centre"]["leverage"] == 3.0
    assert rows["regional_centre"]["units"] == 1
    assert rows["provider"]["total_cost_vnd"] == 200_000_000
    assert rows["other"]["proposals"] == 0


def test_a_provincial_user_sees_only_its_province_by_unit(proposals, cast):
    from tests.api_world import client_for

    response = client_for(cast["dept.phutho"]).get("/api/v1/reports/summary/?year_from=2026")
    rows = {row["kind"]: row for row in response.json()["by_unit"]}
    assert (rows["centre"]["proposals"], rows["centre"]["support_vnd"]) == (1, 700_000_000)
    assert rows["regional_centre"]["proposals"] == 0
    # And Bắc Ninh's report is not Phú Thọ's to read.
    denied = client_for(cast["dept.phutho"]).get(f"/api/v1/reports/summary/?{QUERY}")
    assert denied.status_code == 404


def test_the_dashboard_shows_by_unit_and_links_to_the_units_proposals(proposals, client, cast):
    client.force_login(cast["dept.bacninh"])
    response = client.get(f"/reports/?{QUERY}")
    assert response.status_code == 200
    table = html_tables(response.content.decode())["by_unit"]
    assert table["centre"][1:4] == ["Trung tâm Khuyến công tỉnh", "2", "800"]
    assert table["regional_centre"][2:8] == ["1", "1.900", "5.700", "0", "7.600", "3,00"]
    assert table["provider"][2:4] == ["1", "200"]
    assert table["total"][2:4] == ["4", "2.900"]
    # The row's figure opens the proposal list of that kind of unit.
    page = response.content.decode()
    assert "unit_kind=regional_centre" in page
    listed = client.get("/proposals/?unit_kind=regional_centre&year=2026").content.decode()
    assert "BN-QG-1" in listed
    assert "BN-2" not in listed and "BN-3" not in listed


def test_the_pdf_has_a_by_unit_section(proposals, client, cast):
    client.force_login(cast["dept.bacninh"])
    body, response = download(client, f"/reports/summary.pdf?{QUERY}")
    assert response.status_code == 200
    text = pdf_text(body)
    section = text.split("VIII. Kết quả theo đơn vị chủ trì")[1].split("IX. ")[0]
    assert pdf_line(section, "1.900") == "1 1.900 5.700 0 7.600 3,00 65,52 %"
    assert pdf_line(section, "Tổng cộng") == "Tổng cộng 4 2.900 7.300 0 10.200 2,52 100 %"


def test_the_workbook_has_a_by_unit_sheet_with_numbers(proposals, client, cast):
    client.force_login(cast["dept.bacninh"])
    body, response = download(client, f"/reports/summary.xlsx?{QUERY}")
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Theo đơn vị chủ trì"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert rows["centre"][2:5] == (1, 2, 800_000_000)
    assert rows["regional_centre"][2:6] == (1, 1, 1_900_000_000, 5_700_000_000)
    assert rows["provider"][4] == 200_000_000
    assert rows["other"][3] == 0
