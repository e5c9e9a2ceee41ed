"""The plan section of every face (dashboard, PDF, Excel) shows each target with its target,
what was achieved and the percentage, on the same numbers as the JSON face."""

import io

import openpyxl
import pytest

from tests.builders import make_user
from tests.plan_support import mixed_plan
from tests.reports_support import client_for, download, pdf_text

pytestmark = pytest.mark.django_db

QUERY = "?province=bac-ninh"


@pytest.fixture
def manager(db):
    mixed_plan()
    return client_for(make_user("manager.test", "manager", None))


def test_the_dashboard_shows_each_target_achieved_against_its_target(manager):
    html = manager.get("/reports/" + QUERY).content.decode()
    assert "<strong>7</strong> / 10 cơ sở · 70,00 %" in html
    assert "các đề án dự kiến 9" in html
    assert "<strong>1</strong> / 4 đề án · 25,00 %" in html
    assert "Số đề án: <strong>4</strong> / 8 · 50,00 %" in html


def test_the_pdf_shows_each_target_achieved_against_its_target(manager):
    body, response = download(manager, "/reports/summary.pdf" + QUERY)
    assert response.status_code == 200
    text = " ".join(pdf_text(body).split())
    assert "7 / 10 cơ sở · 70,00 %" in text
    assert "1 / 4 đề án · 25,00 %" in text


def test_the_workbook_has_a_row_per_target_with_target_and_achieved(manager):
    body, _response = download(manager, "/reports/summary.xlsx" + QUERY)
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Chỉ tiêu kế hoạch"]
    rows = [row[3:] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert rows == [
        (
            None,
            None,
            "machinery_facilities",
            "Cơ sở được hỗ trợ máy móc thiết bị",
            10,
            "cơ sở",
            9,
            7,
            0.7,
        ),
        (
            None,
            "demo_model",
            None,
            "Xây dựng mô hình trình diễn kỹ thuật",
            4,
            "đề án",
            None,
            1,
            0.25,
        ),
        (1, None, None, "Đào tạo nghề, truyền nghề", 5, "đề án", None, 1, 0.2),
        (1, None, "trainees", "Lao động được đào tạo nghề", 100, "người", 60, 0, 0),
    ]
