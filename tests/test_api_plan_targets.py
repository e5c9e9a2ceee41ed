"""/api/v1/plans/: targets named by content, activity type or output indicator (SPEC §9), a
target number of proposals, and ten-year orientation plans."""

import pytest

from funding.models import Plan, PlanTarget
from tests.api_world import client_for
from tests.builders import TRIEU

pytestmark = pytest.mark.django_db


def plan(*targets, **overrides):
    data = {
        "province": "bac-ninh",
        "fund": "provincial",
        "year_from": 2026,
        "year_to": 2030,
        "target_support_vnd": 25_000 * TRIEU,
        "proposals": 40,
        "targets": list(targets),
    }
    data.update(overrides)
    return data


def post(cast, body, username="dept.bacninh"):
    return client_for(cast[username]).post("/api/v1/plans/", body, format="json")


def test_a_plan_takes_targets_by_key_and_a_number_of_proposals(cast):
    response = post(
        cast,
        plan(
            {"indicator": "machinery_facilities", "count": 42},
            {"content": 3, "activity": "demo_model", "count": 5},
            {"content": 7, "count": 2, "description": "Cụm công nghiệp", "unit": "cụm"},
        ),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["proposals"] == 40
    assert [
        (t["content"], t["activity"], t["indicator"], t["count"], t["unit"])
        for t in data["targets"]
    ] == [
        (None, None, "machinery_facilities", 42, "cơ sở"),
        (3, "demo_model", None, 5, "đề án"),
        (7, None, None, 2, "cụm"),
    ]
    assert [t["description"] for t in data["targets"]] == [
        "Cơ sở được hỗ trợ máy móc thiết bị",
        "Xây dựng mô hình trình diễn kỹ thuật",
        "Cụm công nghiệp",
    ]
    assert Plan.objects.get().target_proposals == 40


@pytest.mark.parametrize(
    "target, message",
    [
        ({"count": 5}, "hãy chọn nội dung, loại hoạt động hoặc chỉ tiêu đầu ra"),
        ({"content": 1, "activity": "machinery", "count": 5}, "thuộc nội dung 3"),
        ({"activity": "machinary", "count": 5}, "Không có loại hoạt động “machinary”"),
        ({"indicator": "demo_model", "count": 5}, "Không có chỉ tiêu đầu ra “demo_model”"),
        ({"indicator": 7, "count": 5}, "Không có chỉ tiêu đầu ra"),
        ({"indicator": "demo_models", "count": -1}, "0"),
    ],
)
def test_a_bad_target_is_refused_in_vietnamese_and_nothing_is_saved(cast, target, message):
    response = post(cast, plan({"indicator": "demo_models", "count": 5}, target))
    assert response.status_code == 400
    assert message in str(response.json()["targets"])
    assert not Plan.objects.exists()
    assert not PlanTarget.objects.exists()


def test_a_negative_number_of_proposals_is_refused(cast):
    response = post(cast, plan(proposals=-1))
    assert response.status_code == 400
    assert "proposals" in response.json()


def test_a_stale_plan_edit_answers_409_and_keeps_the_newer_targets(cast):
    client = client_for(cast["dept.bacninh"])
    created = post(cast, plan({"indicator": "demo_models", "count": 5})).json()
    url = f"/api/v1/plans/{created['id']}/"
    first = client.patch(
        url, {"version": 1, "targets": [{"activity": "machinery", "count": 9}]}, format="json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    second = client.patch(
        url, {"version": 1, "targets": [{"content": 1, "count": 1}]}, format="json"
    )
    assert second.status_code == 409
    assert list(PlanTarget.objects.values_list("activity", "count")) == [("machinery", 9)]


def test_a_ten_year_orientation_plan_is_accepted(cast):
    response = post(
        cast,
        plan({"indicator": "trainees", "count": 3_000}, year_from=2021, year_to=2030),
    )
    assert response.status_code == 201, response.content
    assert (response.json()["year_from"], response.json()["year_to"]) == (2021, 2030)


def test_another_provinces_plan_is_not_found(cast):
    created = post(cast, plan({"indicator": "demo_models", "count": 5})).json()
    response = client_for(cast["dept.phutho"]).patch(
        f"/api/v1/plans/{created['id']}/", {"proposals": 1}, format="json"
    )
    assert response.status_code == 404
    assert Plan.objects.get().target_proposals == 40
