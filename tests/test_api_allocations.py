"""/api/v1/allocations/ and /api/v1/plans/: who enters which money, and what remains of it."""

import pytest

from funding.models import Allocation, Plan, PlanTarget
from khuyencong.money import MAX_VND
from tests.api_world import client_for
from tests.builders import TODAY, TRIEU, make_allocation, make_proposal

pytestmark = pytest.mark.django_db


def allocation(**overrides):
    data = {"province": "bac-ninh", "year": 2026, "fund": "provincial", "amount_vnd": 4_500 * TRIEU}
    data.update(overrides)
    return data


def test_the_department_enters_its_provinces_local_allocations(cast):
    client = client_for(cast["dept.bacninh"])
    for fund in ("provincial", "district"):
        response = client.post("/api/v1/allocations/", allocation(fund=fund), format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert {"id", "province", "year", "fund", "amount_vnd"} <= set(data)
        assert (data["approved_vnd"], data["remaining_vnd"]) == (0, 4_500 * TRIEU)


def test_the_ministry_enters_national_allocations_for_any_province(cast):
    client = client_for(cast["ministry"])
    response = client.post(
        "/api/v1/allocations/", allocation(fund="national", province="phu-tho"), format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "username, overrides",
    [
        ("dept.bacninh", {"fund": "national"}),
        ("dept.bacninh", {"province": "phu-tho"}),
        ("ministry", {"fund": "provincial"}),
        ("centre.bacninh", {}),
        ("manager", {"fund": "national"}),
        ("admin", {"fund": "national"}),
    ],
)
def test_everyone_else_gets_403(cast, username, overrides):
    response = client_for(cast[username]).post(
        "/api/v1/allocations/", allocation(**overrides), format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    "amount, message",
    [(-1, "âm"), (1.5, "phần lẻ"), ("4500000000", "chuỗi"), (MAX_VND + 1, "quá lớn")],
)
def test_bad_amounts_are_refused(cast, amount, message):
    response = client_for(cast["dept.bacninh"]).post(
        "/api/v1/allocations/", allocation(amount_vnd=amount), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["amount_vnd"][0]
    assert not Allocation.objects.exists()


def test_a_second_allocation_for_the_same_year_and_fund_is_refused(cast):
    make_allocation(amount_vnd=1_000 * TRIEU)
    response = client_for(cast["dept.bacninh"]).post(
        "/api/v1/allocations/", allocation(), format="json"
    )
    assert response.status_code == 400
    assert "1.000" in " ".join(sum(response.json().values(), []))
    assert Allocation.objects.count() == 1


def test_an_allocation_for_a_province_that_no_longer_existed_is_refused(cast):
    response = client_for(cast["dept.bacninh"]).post(
        "/api/v1/allocations/", allocation(province="bac-giang", year=2026), format="json"
    )
    assert response.status_code == 400
    assert "Bắc Ninh" in response.json()["province"][0]
    response = client_for(cast["dept.bacninh"]).post(
        "/api/v1/allocations/", allocation(province="bac-giang", year=2024), format="json"
    )
    assert response.status_code == 201


def test_approved_and_remaining_follow_the_approvals(cast):
    row = make_allocation(amount_vnd=800 * TRIEU)
    make_proposal(state="approved", approved_support_vnd=500 * TRIEU)
    make_proposal(code="T-2", state="submitted")
    make_proposal(code="T-3", fund="national", state="approved", approved_support_vnd=10)
    data = client_for(cast["manager"]).get(f"/api/v1/allocations/{row.pk}/").json()
    assert (data["amount_vnd"], data["approved_vnd"], data["remaining_vnd"]) == (
        800 * TRIEU,
        500 * TRIEU,
        300 * TRIEU,
    )


def test_an_allocation_may_not_fall_below_what_was_approved(cast):
    row = make_allocation(amount_vnd=800 * TRIEU)
    make_proposal(state="approved", approved_support_vnd=500 * TRIEU)
    client = client_for(cast["dept.bacninh"])
    response = client.patch(
        f"/api/v1/allocations/{row.pk}/", {"amount_vnd": 400 * TRIEU}, format="json"
    )
    assert response.status_code == 400
    assert "500" in response.json()["amount_vnd"][0]
    response = client.patch(
        f"/api/v1/allocations/{row.pk}/", {"amount_vnd": 500 * TRIEU}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["remaining_vnd"] == 0


def test_the_key_of_an_allocation_is_fixed(cast):
    row = make_allocation()
    response = client_for(cast["dept.bacninh"]).patch(
        f"/api/v1/allocations/{row.pk}/", {"year": 2027}, format="json"
    )
    assert response.status_code == 400
    assert "year" in response.json()
    row.refresh_from_db()
    assert row.year == 2026


def test_a_department_may_not_edit_a_national_allocation(cast):
    row = make_allocation(fund="national")
    response = client_for(cast["dept.bacninh"]).patch(
        f"/api/v1/allocations/{row.pk}/", {"amount_vnd": 1}, format="json"
    )
    assert response.status_code == 403


def test_another_provinces_allocation_is_not_found(cast):
    row = make_allocation(province="phu-tho")
    client = client_for(cast["dept.bacninh"])
    assert client.get(f"/api/v1/allocations/{row.pk}/").status_code == 404
    response = client.patch(f"/api/v1/allocations/{row.pk}/", {"amount_vnd": 1}, format="json")
    assert response.status_code == 404


def test_the_allocation_list_filters_by_province_year_and_fund(cast):
    make_allocation("bac-ninh", 2026, "provincial")
    make_allocation("bac-ninh", 2025, "national")
    make_allocation("bac-giang", 2024, "provincial")
    client = client_for(cast["dept.bacninh"])

    def keys(**params):
        response = client.get("/api/v1/allocations/", params)
        assert response.status_code == 200, response.content
        return sorted((r["province"], r["year"], r["fund"]) for r in response.json()["results"])

    assert keys(year=2026) == [("bac-ninh", 2026, "provincial")]
    assert keys(fund="provincial", province="bac-giang") == [("bac-giang", 2024, "provincial")]
    assert len(keys(year_from=2025)) == 2
    assert client.get("/api/v1/allocations/", {"state": "draft"}).status_code == 400


def test_an_approval_through_the_api_shows_in_the_allocation(cast):
    row = make_allocation(amount_vnd=1_000 * TRIEU)
    proposal = make_proposal(state="submitted")
    client = client_for(cast["dept.bacninh"])
    response = client.post(
        f"/api/v1/proposals/{proposal.pk}/transitions/",
        {
            "action": "approve",
            "decision_number": "9/QĐ",
            "decision_date": TODAY.isoformat(),
            "approved_support_vnd": 400 * TRIEU,
        },
        format="json",
    )
    assert response.status_code == 200
    assert client.get(f"/api/v1/allocations/{row.pk}/").json()["remaining_vnd"] == 600 * TRIEU


# Plans ----------------------------------------------------------------------------------


def plan(**overrides):
    data = {
        "province": "bac-ninh",
        "fund": "provincial",
        "year_from": 2026,
        "year_to": 2030,
        "target_support_vnd": 25_000 * TRIEU,
        "targets": [
            {
                "content": 3,
                "count": 60,
                "description": "Cơ sở được hỗ trợ máy móc",
                "unit": "cơ sở",
            },
            {"content": 1, "count": 5},
        ],
    }
    data.update(overrides)
    return data


def test_the_department_enters_a_plan_with_targets(cast):
    response = client_for(cast["dept.bacninh"]).post("/api/v1/plans/", plan(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert {"id", "province", "fund", "year_from", "year_to", "target_support_vnd"} <= set(data)
    # Targets keep the order they were entered in.
    assert [(t["content"], t["count"]) for t in data["targets"]] == [(3, 60), (1, 5)]
    assert {t["description"] for t in data["targets"]} >= {"Cơ sở được hỗ trợ máy móc"}
    assert all(t["description"] for t in data["targets"])


def test_editing_a_plan_replaces_its_targets(cast):
    created = client_for(cast["dept.bacninh"]).post("/api/v1/plans/", plan(), format="json")
    pk = created.json()["id"]
    response = client_for(cast["dept.bacninh"]).patch(
        f"/api/v1/plans/{pk}/", {"targets": [{"content": 9, "count": 2}]}, format="json"
    )
    assert response.status_code == 200
    assert [t["content"] for t in response.json()["targets"]] == [9]
    assert PlanTarget.objects.filter(plan_id=pk).count() == 1


@pytest.mark.parametrize(
    "username, overrides",
    [
        ("dept.bacninh", {"fund": "national"}),
        ("dept.bacninh", {"province": "phu-tho"}),
        ("ministry", {}),
        ("centre.bacninh", {}),
        ("manager", {}),
    ],
)
def test_plans_follow_the_same_rights_as_allocations(cast, username, overrides):
    response = client_for(cast[username]).post("/api/v1/plans/", plan(**overrides), format="json")
    assert response.status_code == 403
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"year_to": 2025}, "year_to"),
        ({"target_support_vnd": -1}, "target_support_vnd"),
        ({"target_support_vnd": 2.5}, "target_support_vnd"),
        ({"targets": [{"content": 12, "count": 1}]}, "targets"),
        ({"targets": [{"content": 1, "count": -1}]}, "targets"),
        ({"province": "bac-giang", "year_from": 2026}, "province"),
    ],
)
def test_bad_plans_are_refused(cast, overrides, field):
    response = client_for(cast["dept.bacninh"]).post(
        "/api/v1/plans/", plan(**overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Plan.objects.exists()


def test_a_duplicate_plan_period_is_refused(cast):
    client = client_for(cast["dept.bacninh"])
    assert client.post("/api/v1/plans/", plan(), format="json").status_code == 201
    response = client.post("/api/v1/plans/", plan(), format="json")
    assert response.status_code == 400
    assert Plan.objects.count() == 1


def test_plans_filter_by_the_year_they_cover(cast):
    client = client_for(cast["ministry"])
    client_for(cast["dept.bacninh"]).post("/api/v1/plans/", plan(), format="json")
    assert client.get("/api/v1/plans/", {"year": 2028}).json()["count"] == 1
    assert client.get("/api/v1/plans/", {"year": 2031}).json()["count"] == 0
