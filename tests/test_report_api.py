"""GET /api/v1/reports/summary/: the SPEC §7 JSON, same filters, same scope, clear errors."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.reports_support import demo_data  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

URL = "/api/v1/reports/summary/"
BAC_GIANG = {"year_from": 2016, "year_to": 2020, "province": "bac-giang"}


@pytest.fixture
def api(demo_data):  # noqa: F811
    client = APIClient()
    client.force_authenticate(demo_data["manager"])
    return client


def by(rows, key):
    return {row[key]: row for row in rows}


def test_it_answers_in_the_spec_shape(api):
    data = api.get(URL, BAC_GIANG).json()
    for key in (
        "filters",
        "proposals",
        "facilities",
        "total_cost_vnd",
        "support_vnd",
        "counterpart_vnd",
        "leverage",
        "by_fund",
        "by_content",
        "by_province",
        "by_year",
        "by_legal_form",
        "plans",
    ):
        assert key in data, key
    assert data["filters"] == {
        "year_from": 2016,
        "year_to": 2020,
        "provinces": ["bac-giang"],
        "rollup": False,
        "fund": None,
        "content": None,
        "activity": None,
    }
    assert set(data["plans"][0]) >= {"fund", "target_support_vnd", "support_vnd", "achievement"}
    assert isinstance(data["leverage"], float)


def test_it_shows_297_proposals_and_30_722_3_trieu(api):
    data = api.get(URL, BAC_GIANG).json()
    assert data["proposals"] == 297
    assert data["support_vnd"] == 30_722_300_000
    assert data["total_cost_vnd"] == (
        data["support_vnd"] + data["counterpart_vnd"] + data["other_vnd"]
    )


def test_it_shows_each_fund_as_reported(api):
    funds = by(api.get(URL, BAC_GIANG).json()["by_fund"], "fund")
    assert (funds["provincial"]["proposals"], funds["provincial"]["support_vnd"]) == (
        132,
        16_150_000_000,
    )
    assert funds["national"]["proposals"] == 17
    assert funds["national"]["support_vnd"] == 6_000_000_000
    assert funds["national"]["counterpart_vnd"] == 180_000_000_000
    assert funds["national"]["leverage"] == 30.0
    assert (funds["district"]["proposals"], funds["district"]["support_vnd"]) == (
        148,
        8_572_300_000,
    )


def test_it_shows_bac_giangs_demonstration_models_and_machinery_as_reported(api):
    data = api.get(URL, BAC_GIANG).json()
    outputs = by(data["outputs"], "indicator")
    assert {k: outputs[k] for k in ("demo_models", "machinery_facilities")} == {
        "demo_models": {
            "indicator": "demo_models",
            "name": "Mô hình trình diễn kỹ thuật",
            "unit": "mô hình",
            "proposals": 3,
            "planned": 3,
            "accepted_proposals": 3,
            "actual": 3,
        },
        "machinery_facilities": {
            "indicator": "machinery_facilities",
            "name": "Cơ sở được hỗ trợ máy móc thiết bị",
            "unit": "cơ sở",
            "proposals": 17,
            "planned": 17,
            "accepted_proposals": 17,
            "actual": 17,
        },
    }
    activities = by(data["by_activity"], "activity")
    assert (activities["demo_model"]["proposals"], activities["machinery"]["proposals"]) == (3, 17)


def test_it_shows_the_provincial_plan_at_79_17_percent(api):
    plans = by(api.get(URL, BAC_GIANG).json()["plans"], "fund")
    assert plans["provincial"]["target_support_vnd"] == 20_400_000_000
    assert plans["provincial"]["support_vnd"] == 16_150_000_000
    assert plans["provincial"]["achievement"] == 0.7917


def test_it_shows_bac_giang_inside_rolled_up_bac_ninh(api):
    data = api.get(
        URL, {"year_from": 2016, "year_to": 2020, "province": "bac-ninh", "rollup": 1}
    ).json()
    assert sorted(data["included_provinces"]) == ["bac-giang", "bac-ninh"]
    (bac_ninh,) = data["by_province"]
    bac_giang = by(bac_ninh["includes"], "province")["bac-giang"]
    assert (bac_giang["proposals"], bac_giang["support_vnd"]) == (297, 30_722_300_000)


def test_it_shows_thai_nguyen_facilities_by_legal_form(api):
    data = api.get(URL, {"year_from": 2012, "year_to": 2022, "province": "thai-nguyen"}).json()
    counts = {row["legal_form"]: row["facilities"] for row in data["by_legal_form"]}
    assert counts == {"sme": 90, "cooperative": 0, "coop_group": 7, "household": 186, "other": 67}
    assert data["facilities"] == 350


def test_it_gives_null_leverage_without_support(api):
    data = api.get(URL, {"year_from": 1990, "year_to": 1991}).json()
    assert data["proposals"] == 0
    assert data["leverage"] is None


def test_it_accepts_repeated_provinces(api):
    data = api.get(f"{URL}?province=bac-giang&province=thai-nguyen").json()
    assert data["filters"]["provinces"] == ["bac-giang", "thai-nguyen"]
    assert {row["province"] for row in data["by_province"]} == {"bac-giang", "thai-nguyen"}


def test_it_explains_bad_parameters_in_vietnamese(api):
    response = api.get(
        URL,
        {"year_from": "2x", "province": "atlantis", "fund": "gold", "content": 10, "rollup": 7},
    )
    assert response.status_code == 400
    assert response.json() == {
        "year_from": ["Năm phải là một số, ví dụ 2016."],
        "province": ["Không có tỉnh, thành phố mã “atlantis”."],
        "fund": ["Nguồn kinh phí không hợp lệ: dùng national, provincial hoặc district."],
        "content": ["Nội dung hoạt động phải là một số từ 1 đến 9."],
        "rollup": ["Giá trị “7” không hợp lệ: dùng 1 (có) hoặc 0 (không)."],
    }


def test_it_refuses_years_in_the_wrong_order(api):
    response = api.get(URL, {"year_from": 2020, "year_to": 2016})
    assert response.status_code == 400
    assert list(response.json()) == ["year_to"]


def test_it_works_with_a_token(demo_data):  # noqa: F811
    _stored, token = AuthToken.objects.create(demo_data["ministry"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(URL, BAC_GIANG).json()["proposals"] == 297


def test_it_refuses_anonymous_callers():
    assert APIClient().get(URL).status_code in (401, 403)


def test_it_is_in_the_openapi_schema(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/reports/summary/" in schema
