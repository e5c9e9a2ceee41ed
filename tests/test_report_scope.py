"""A provincial manager's report never includes another province, whatever the query string says.

Asking for a province out of scope answers 404 on every face (the page, both files and the
API), as for any object a user may not see; without a province filter the report covers the
user's own province and the provinces it absorbed in 2025.
"""

import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from proposals.models import Proposal
from tests.builders import make_user
from tests.reports_support import (  # noqa: F401
    client_for,
    demo_data,
    download,
    html_tables,
    provincial_manager,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

FACES = [
    "/reports/",
    "/reports/summary.pdf",
    "/reports/summary.xlsx",
    "/api/v1/reports/summary/",
]
BAC_NINH_LINEAGE = {"bac-ninh", "bac-giang"}


@pytest.fixture
def bac_ninh(demo_data):  # noqa: F811
    return demo_data["manager.bacninh"]


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize(
    "query",
    [
        "province=thai-nguyen",
        "province=bac-ninh&province=ha-noi",
        "province=phu-tho&rollup=1",
        "province=hoa-binh",
    ],
)
def test_it_answers_404_for_a_province_out_of_scope(bac_ninh, face, query):
    response = client_for(bac_ninh).get(f"{face}?{query}")
    assert response.status_code == 404


def test_it_answers_404_in_json_for_the_api(bac_ninh):
    client = APIClient()
    client.force_authenticate(bac_ninh)
    response = client.get("/api/v1/reports/summary/", {"province": "thai-nguyen"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy tỉnh, thành phố: thai-nguyen."}


def test_it_covers_the_province_and_what_it_absorbed_by_default(bac_ninh):
    client = APIClient()
    client.force_authenticate(bac_ninh)
    data = client.get("/api/v1/reports/summary/").json()
    assert set(data["included_provinces"]) == BAC_NINH_LINEAGE
    assert {row["province"] for row in data["by_province"]} <= BAC_NINH_LINEAGE
    counted = Proposal.objects.counted_in_reports()
    assert data["proposals"] == counted.filter(province__in=BAC_NINH_LINEAGE).count()
    assert data["proposals"] < counted.count()  # other provinces exist, and stay out


def test_it_lets_bac_ninh_see_bac_giang_history(bac_ninh):
    client = APIClient()
    client.force_authenticate(bac_ninh)
    data = client.get(
        "/api/v1/reports/summary/", {"year_from": 2016, "year_to": 2020, "province": "bac-giang"}
    ).json()
    assert (data["proposals"], data["support_vnd"]) == (297, 30_722_300_000)


def test_it_keeps_plans_of_other_provinces_out(bac_ninh):
    client = APIClient()
    client.force_authenticate(bac_ninh)
    plans = client.get("/api/v1/reports/summary/").json()["plans"]
    assert plans
    assert {plan["province"] for plan in plans} <= BAC_NINH_LINEAGE
    assert all(set(plan["counted_provinces"]) <= BAC_NINH_LINEAGE for plan in plans)


def test_it_keeps_other_provinces_out_of_the_page(bac_ninh):
    html = client_for(bac_ninh).get("/reports/").content.decode()
    assert set(html_tables(html)["by_province"]) <= BAC_NINH_LINEAGE | {"total"}
    assert "Thái Nguyên" not in html  # not even among the filter's choices


def test_it_keeps_other_provinces_out_of_the_workbook(bac_ninh):
    body, response = download(client_for(bac_ninh), "/reports/summary.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(body))
    listed = {row[3] for row in book["Đề án được tính"].iter_rows(min_row=2, values_only=True)}
    assert listed and listed <= BAC_NINH_LINEAGE
    assert 'filename="bao-cao-khuyen-cong-bac-ninh.xlsx"' in response["Content-Disposition"]


def test_it_shows_phu_tho_staff_only_phu_tho_and_its_predecessors(demo_data):  # noqa: F811
    client = APIClient()
    client.force_authenticate(demo_data["centre.phutho"])
    data = client.get("/api/v1/reports/summary/").json()
    assert set(data["included_provinces"]) == {"phu-tho", "vinh-phuc", "hoa-binh"}
    assert client.get("/api/v1/reports/summary/", {"province": "bac-giang"}).status_code == 404


def test_it_shows_nothing_to_a_user_without_a_role(demo_data):  # noqa: F811
    nobody = make_user("nobody", password="x")
    client = APIClient()
    client.force_authenticate(nobody)
    data = client.get("/api/v1/reports/summary/").json()
    assert data["proposals"] == 0
    assert data["included_provinces"] == []
    assert client.get("/api/v1/reports/summary/?province=bac-giang").status_code == 404


def test_it_shows_national_users_everything(demo_data):  # noqa: F811
    client = APIClient()
    client.force_authenticate(demo_data["manager"])
    data = client.get("/api/v1/reports/summary/").json()
    assert data["included_provinces"] is None
    assert data["proposals"] == Proposal.objects.counted_in_reports().count()


def test_a_second_bac_ninh_manager_gets_the_same_report(demo_data):  # noqa: F811
    other = provincial_manager("manager.bacninh.2", "bac-ninh")
    first = client_for(demo_data["manager.bacninh"]).get("/api/v1/reports/summary/").json()
    second = client_for(other).get("/api/v1/reports/summary/").json()
    assert first == second
