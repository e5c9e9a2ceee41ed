"""An indicator planned and accepted shows the same planned and actual numbers on all four faces
of the summary (JSON, page, PDF, Excel), with the activity-type and area-class tables."""

import io
import re

import openpyxl
import pytest
from rest_framework.test import APIClient

from proposals.models import OutcomeIndicator
from tests.builders import TRIEU, add_beneficiary, make_facility, make_proposal
from tests.reports_support import (
    client_for,
    download,
    html_tables,
    pdf_line,
    pdf_text,
    provincial_manager,
)

pytestmark = pytest.mark.django_db

QUERY = "?year_from=2016&year_to=2020&province=bac-giang"


def counted(code, state, activity, support):
    return make_proposal(
        code,
        province="bac-giang",
        year=2019,
        state=state,
        activity_id=activity,
        support_vnd=support * TRIEU,
        final_support_vnd=support * TRIEU,
        final_counterpart_vnd=0,
        final_other_vnd=0,
    )


@pytest.fixture
def manager():
    """Bắc Giang 2019: machinery accepted with 1.150 of 1.200 machines, a demonstration model
    approved and not yet accepted; a facility in a disadvantaged area got 700 triệu."""
    machinery = counted("BG-1", "accepted", "machinery", 700)
    OutcomeIndicator.objects.create(
        proposal=machinery, indicator_id="machines", planned=1_200, actual=1_150
    )
    model = counted("BG-2", "approved", "demo_model", 300)
    OutcomeIndicator.objects.create(proposal=model, indicator_id="demo_models", planned=2)
    facility = make_facility("bac-giang", name="HTX Mây tre", area_class="disadvantaged")
    add_beneficiary(machinery, facility)
    return client_for(provincial_manager("manager.bacninh", "bac-ninh"))


def test_the_json_face_shows_planned_and_actual(manager):
    api = APIClient()
    api.force_authenticate(provincial_manager("api.bacninh", "bac-ninh"))
    data = api.get("/api/v1/reports/summary/" + QUERY).json()
    assert [
        (r["indicator"], r["unit"], r["proposals"], r["planned"], r["actual"])
        for r in data["outputs"]
    ] == [
        ("demo_models", "mô hình", 1, 2, None),
        ("machines", "máy", 1, 1_200, 1_150),
    ]
    assert [(r["activity"], r["support_vnd"]) for r in data["by_activity"]] == [
        ("demo_model", 300 * TRIEU),
        ("machinery", 700 * TRIEU),
    ]
    assert data["by_area_class"][1]["support_vnd"] == 700 * TRIEU


def test_the_page_shows_the_outputs_table_and_chart(manager):
    html = manager.get("/reports/" + QUERY).content.decode()
    tables = html_tables(html)
    assert tables["outputs"]["demo_models"] == [
        "1",
        "Mô hình trình diễn kỹ thuật",
        "mô hình",
        "1",
        "2",
        "—",
        "0",
    ]
    assert tables["outputs"]["machines"] == [
        "2",
        "Máy móc, thiết bị được hỗ trợ",
        "máy",
        "1",
        "1.200",
        "1.150",
        "1",
    ]
    assert "<title>Kết quả đầu ra: thực hiện so với kế hoạch</title>" in html
    assert "1.150 / 1.200 máy" in html
    assert tables["by_activity"]["machinery"][:4] == [
        "2",
        "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
        "1",
        "700",
    ]
    assert tables["by_area_class"]["disadvantaged"] == [
        "2",
        "Địa bàn khó khăn",
        "1",
        "1",
        "700",
        "100,00 %",
    ]


def test_the_pdf_has_a_section_of_outputs_with_the_same_numbers(manager):
    body, response = download(manager, "/reports/summary.pdf" + QUERY)
    assert response.status_code == 200
    text = pdf_text(body)
    assert "V. Kết quả đầu ra" in text
    machines = pdf_line(text, "Máy móc, thiết bị được hỗ trợ", "máy")
    assert machines.split()[-4:] == ["1", "1.200", "1.150", "1"]
    assert pdf_line(text, "Mô hình trình diễn kỹ thuật", "mô hình ").split()[-4:] == [
        "1",
        "2",
        "—",
        "0",
    ]
    assert "IV. Kết quả theo loại hoạt động" in text
    assert "X. Kinh phí hỗ trợ theo địa bàn" in text


def test_the_workbook_has_sheets_of_outputs_activities_and_areas_as_numbers(manager):
    body, response = download(manager, "/reports/summary.xlsx" + QUERY)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(body))
    outputs = list(book["Kết quả đầu ra"].iter_rows(min_row=2, values_only=True))
    assert outputs == [
        ("demo_models", "Mô hình trình diễn kỹ thuật", "mô hình", 1, 2, None, 0),
        ("machines", "Máy móc, thiết bị được hỗ trợ", "máy", 1, 1_200, 1_150, 1),
    ]
    activities = {
        r[0]: r for r in book["Theo loại hoạt động"].iter_rows(min_row=2, values_only=True)
    }
    assert activities["machinery"][2:5] == (3, 1, 700 * TRIEU)
    areas = {r[0]: r for r in book["Theo địa bàn"].iter_rows(min_row=2, values_only=True)}
    assert areas["disadvantaged"][2:6] == (1, 1, 700 * TRIEU, 1)
    assert book["Theo địa bàn"]["E3"].number_format == "#,##0"


def test_an_activity_row_links_to_its_proposals_on_the_list(manager, cast):
    html = manager.get("/reports/" + QUERY).content.decode()
    row = re.search(r'<tr data-key="machinery">.*?</tr>', html, re.S).group(0)
    url = re.search(r'href="([^"]+)"', row).group(1).replace("&amp;", "&")
    assert "activity=machinery" in url
    listed = client_for(cast["dept.bacninh"]).get(url).content.decode()
    assert "BG-1" in listed
    assert "BG-2" not in listed
