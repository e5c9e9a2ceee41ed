"""/api/v1/proposals/: create, read, edit with versions, filters, and bad input saving nothing."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.money import MAX_VND
from proposals.models import Beneficiary, OutcomeIndicator, Proposal
from tests.api_world import client_for
from tests.builders import TRIEU, make_allocation, make_facility, make_proposal

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {
    "id", "code", "title", "year", "province", "fund", "content", "kind", "start_date",
    "end_date", "support_vnd", "counterpart_vnd", "other_vnd", "total_cost_vnd",
    "beneficiaries", "state", "version", "actions",
}  # fmt: skip


@pytest.fixture
def centre(cast):
    return client_for(cast["centre.bacninh"])


@pytest.fixture
def facilities(db):
    return [make_facility("bac-ninh", f"23009{i:05d}", name=f"Cơ sở {i}") for i in range(2)]


def body(facilities=(), **overrides):
    data = {
        "code": "BN-2026-DP-101",
        "title": "Hỗ trợ máy móc thiết bị cho cơ sở sản xuất đồ gỗ",
        "year": 2026,
        "province": "bac-ninh",
        "implementing_unit": "Trung tâm Khuyến công Bắc Ninh",
        "fund": "provincial",
        "content": 3,
        "kind": "group",
        "objectives": "Nâng cao năng suất",
        "start_date": "2026-04-01",
        "end_date": "2026-11-30",
        "support_vnd": 600 * TRIEU,
        "counterpart_vnd": 1_200 * TRIEU,
        "other_vnd": 50 * TRIEU,
        "beneficiaries": [
            {"facility": f.pk, "support_vnd": 300 * TRIEU, "counterpart_vnd": 600 * TRIEU}
            for f in facilities
        ],
        "indicators": [{"name": "Máy móc được hỗ trợ", "unit": "máy", "planned": 4}],
    }
    data.update(overrides)
    return data


def counts():
    return Proposal.objects.count(), Beneficiary.objects.count(), OutcomeIndicator.objects.count()


def test_a_centre_creates_a_proposal_with_two_beneficiaries(centre, facilities):
    response = centre.post("/api/v1/proposals/", body(facilities), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert CONTRACT_FIELDS <= set(data)
    assert data["state"] == "draft" and data["version"] == 1
    assert data["province"] == "bac-ninh" and data["fund"] == "provincial" and data["content"] == 3
    assert data["total_cost_vnd"] == 1_850 * TRIEU
    assert [b["facility"] for b in data["beneficiaries"]] == [f.pk for f in facilities]
    assert data["actions"] == ["submit", "withdraw"]
    assert data["indicators"] == [
        {
            "indicator": None,
            "name": "Máy móc được hỗ trợ",
            "unit": "máy",
            "planned": 4,
            "actual": None,
        }
    ]
    proposal = Proposal.objects.get(pk=data["id"])
    assert proposal.created_by.username == "centre.bacninh"
    assert proposal.beneficiaries.count() == 2


def test_a_proposal_may_have_no_beneficiaries(centre):
    response = centre.post("/api/v1/proposals/", body(kind="single"), format="json")
    assert response.status_code == 201
    assert response.json()["beneficiaries"] == []


def test_amounts_come_back_as_integer_json_numbers(centre, facilities):
    response = centre.post("/api/v1/proposals/", body(facilities), format="json")
    raw = json.loads(response.content)
    assert isinstance(raw["support_vnd"], int) and raw["support_vnd"] == 600_000_000


def test_it_reads_one_proposal_with_its_contract_fields(cast):
    proposal = make_proposal()
    response = client_for(cast["dept.bacninh"]).get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 200
    assert CONTRACT_FIELDS <= set(response.json())
    assert response.json()["actions"] == []


@pytest.mark.parametrize("role", ["dept.bacninh", "ministry", "manager", "admin"])
def test_only_a_centre_may_create(cast, facilities, role):
    response = client_for(cast[role]).post("/api/v1/proposals/", body(), format="json")
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_a_centre_may_not_create_for_another_province(centre):
    response = centre.post("/api/v1/proposals/", body(province="phu-tho"), format="json")
    assert response.status_code == 400
    assert "province" in response.json()
    assert counts() == (0, 0, 0)


def test_a_centre_may_not_name_a_facility_it_cannot_see(centre):
    other = make_facility("phu-tho", "2600999999")
    data = body(support_vnd=300 * TRIEU, counterpart_vnd=600 * TRIEU)
    data["beneficiaries"] = [
        {"facility": other.pk, "support_vnd": 300 * TRIEU, "counterpart_vnd": 600 * TRIEU}
    ]
    response = centre.post("/api/v1/proposals/", data, format="json")
    assert response.status_code == 400
    assert "beneficiaries" in response.json()
    assert counts() == (0, 0, 0)


BAD_MONEY = [
    (-1, "âm"),
    (MAX_VND + 1, "quá lớn"),
    (10**30, "quá lớn"),
    (1.5, "phần lẻ"),
    (600000000.0, "phần lẻ"),
    ("600000000", "chuỗi"),
    ("30.722,3", "chuỗi"),
    (True, "chuỗi"),
    (None, ""),
]


@pytest.mark.parametrize("value, message", BAD_MONEY)
@pytest.mark.parametrize("field", ["support_vnd", "counterpart_vnd", "other_vnd"])
def test_bad_amounts_are_refused_with_a_clear_message(centre, field, value, message):
    response = centre.post("/api/v1/proposals/", body(**{field: value}), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("value", [-5, 1.5, "5", MAX_VND + 1])
def test_bad_beneficiary_amounts_are_refused(centre, facilities, value):
    data = body(facilities)
    data["beneficiaries"][0]["support_vnd"] = value
    response = centre.post("/api/v1/proposals/", data, format="json")
    assert response.status_code == 400
    assert "support_vnd" in response.json()["beneficiaries"]["0"]
    assert counts() == (0, 0, 0)


def test_beneficiary_sums_that_do_not_add_up_are_refused(centre, facilities):
    data = body(facilities, support_vnd=700 * TRIEU)
    response = centre.post("/api/v1/proposals/", data, format="json")
    assert response.status_code == 400
    assert "Tổng hỗ trợ của các cơ sở (600 triệu đồng)" in response.json()["support_vnd"][0]
    assert counts() == (0, 0, 0)


def test_the_same_facility_twice_is_refused(centre, facilities):
    data = body([facilities[0], facilities[0]])
    response = centre.post("/api/v1/proposals/", data, format="json")
    assert response.status_code == 400
    assert "beneficiaries" in response.json()
    assert counts() == (0, 0, 0)


def test_a_province_that_did_not_exist_in_the_year_is_refused(cast):
    client = client_for(cast["centre.phutho"])
    response = client.post(
        "/api/v1/proposals/", body(province="hoa-binh", year=2026), format="json"
    )
    assert response.status_code == 400
    assert "Phú Thọ" in response.json()["province"][0]
    assert counts() == (0, 0, 0)
    response = client.post(
        "/api/v1/proposals/", body(province="hoa-binh", year=2023), format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"year": "hai nghìn"}, "year"),
        ({"start_date": "01/04/2026"}, "start_date"),
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"fund": "regional"}, "fund"),
        ({"content": 10}, "content"),
        ({"kind": "huge"}, "kind"),
        ({"province": "atlantis"}, "province"),
        ({"code": ""}, "code"),
        ({"beneficiaries": [{"facility": 999999}]}, "beneficiaries"),
        ({"beneficiaries": "not a list"}, "beneficiaries"),
        ({"indicators": [{"name": "x", "planned": -1}]}, "indicators"),
    ],
)
def test_malformed_input_is_refused_by_field(centre, overrides, field):
    response = centre.post("/api/v1/proposals/", body(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == (0, 0, 0)


def test_malformed_json_is_refused(centre):
    response = centre.post("/api/v1/proposals/", '{"code": "X",', content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert counts() == (0, 0, 0)


def test_a_duplicate_code_is_refused(centre):
    make_proposal(code="BN-2026-DP-101")
    response = centre.post("/api/v1/proposals/", body(), format="json")
    assert response.status_code == 400
    assert "code" in response.json()
    assert counts() == (1, 0, 0)


# Editing ---------------------------------------------------------------------------------


def test_a_centre_edits_a_draft_and_the_version_moves_on(centre, facilities):
    proposal = make_proposal(code="BN-1")
    response = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"title": "Tên mới", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Tên mới"
    assert response.json()["version"] == 2
    proposal.refresh_from_db()
    assert (proposal.title, proposal.version) == ("Tên mới", 2)


def test_put_replaces_the_proposal_and_its_beneficiaries(centre, facilities):
    created = centre.post("/api/v1/proposals/", body(facilities), format="json").json()
    data = body([facilities[0]], support_vnd=300 * TRIEU, counterpart_vnd=600 * TRIEU)
    data["version"] = created["version"]
    response = centre.put(f"/api/v1/proposals/{created['id']}/", data, format="json")
    assert response.status_code == 200, response.content
    assert [b["facility"] for b in response.json()["beneficiaries"]] == [facilities[0].pk]
    assert Beneficiary.objects.count() == 1


def test_patch_without_beneficiaries_keeps_them(centre, facilities):
    created = centre.post("/api/v1/proposals/", body(facilities), format="json").json()
    response = centre.patch(
        f"/api/v1/proposals/{created['id']}/",
        {"title": "Khác", "version": created["version"]},
        format="json",
    )
    assert response.status_code == 200
    assert len(response.json()["beneficiaries"]) == 2


def test_an_edit_without_a_version_is_refused(centre):
    proposal = make_proposal()
    response = centre.patch(f"/api/v1/proposals/{proposal.pk}/", {"title": "X"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_stale_edit_is_refused_with_409_and_the_changes(cast, centre):
    proposal = make_proposal()
    first = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"title": "Bản của anh Hùng", "version": 1},
        format="json",
    )
    assert first.status_code == 200
    before = counts()
    second = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"title": "Bản cũ", "support_vnd": 1, "version": 1},
        format="json",
    )
    assert second.status_code == 409
    data = second.json()
    assert data["current_version"] == 2
    assert "detail" in data
    assert any(change["new"] == "Bản của anh Hùng" for change in data["changes"])
    proposal.refresh_from_db()
    assert (proposal.title, proposal.support_vnd, proposal.version) == (
        "Bản của anh Hùng", 500 * TRIEU, 2,
    )  # fmt: skip
    assert counts() == before


def test_an_edit_that_breaks_a_rule_saves_nothing(centre, facilities):
    created = centre.post("/api/v1/proposals/", body(facilities), format="json").json()
    response = centre.patch(
        f"/api/v1/proposals/{created['id']}/",
        {"support_vnd": 1, "title": "Không lưu", "version": created["version"]},
        format="json",
    )
    assert response.status_code == 400
    proposal = Proposal.objects.get(pk=created["id"])
    assert (proposal.title, proposal.version) == (body()["title"], 1)


def test_a_submitted_proposal_cannot_be_edited_409(centre):
    proposal = make_proposal(state="submitted")
    response = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/", {"title": "X", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert "Đã gửi" in response.json()["detail"]


@pytest.mark.parametrize("role", ["dept.bacninh", "ministry", "manager"])
def test_only_the_centre_edits_403(cast, role):
    proposal = make_proposal()
    response = client_for(cast[role]).patch(
        f"/api/v1/proposals/{proposal.pk}/", {"title": "X", "version": 1}, format="json"
    )
    assert response.status_code == 403


def test_the_code_is_fixed_once_created(centre):
    proposal = make_proposal()
    response = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/", {"code": "NEW", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_a_centre_may_not_move_a_proposal_to_another_province(centre):
    proposal = make_proposal()
    response = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/", {"province": "phu-tho", "version": 1}, format="json"
    )
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.province_id == "bac-ninh"


def test_state_and_decision_fields_are_read_only(centre):
    proposal = make_proposal()
    response = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"state": "approved", "approved_support_vnd": 1, "version": 1},
        format="json",
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.state, proposal.approved_support_vnd) == ("draft", None)


def test_proposals_are_never_deleted(centre):
    proposal = make_proposal()
    assert centre.delete(f"/api/v1/proposals/{proposal.pk}/").status_code == 405
    assert Proposal.objects.filter(pk=proposal.pk).exists()


# Lists and filters -----------------------------------------------------------------------


@pytest.fixture
def spread(cast):
    """Proposals over years, funds, states and provinces Bắc Ninh's staff see."""
    rows = [
        ("A", "bac-ninh", 2026, "provincial", "draft", 3, "Đào tạo nghề ĐỨC"),
        ("B", "bac-ninh", 2025, "national", "submitted", 1, "Hội chợ"),
        ("C", "bac-giang", 2020, "district", "settled", 4, "Mô hình trình diễn"),
        ("D", "bac-giang", 2018, "provincial", "approved", 3, "Máy móc đức thành"),
        ("E", "phu-tho", 2026, "provincial", "draft", 3, "Duc Phu Tho"),
    ]
    return {
        code: make_proposal(code=code, province=p, year=y, fund=f, state=s, content_id=c, title=t)
        for code, p, y, f, s, c, t in rows
    }


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(row["code"] for row in response.json()["results"])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["A", "B", "C", "D"]),
        ({"province": "bac-giang"}, ["C", "D"]),
        ({"province": ["bac-ninh", "bac-giang"]}, ["A", "B", "C", "D"]),
        ({"province": "bac-ninh,bac-giang"}, ["A", "B", "C", "D"]),
        ({"year": 2026}, ["A"]),
        ({"year_from": 2019, "year_to": 2025}, ["B", "C"]),
        ({"fund": "provincial"}, ["A", "D"]),
        ({"fund": "provincial,district"}, ["A", "C", "D"]),
        ({"state": "draft"}, ["A"]),
        ({"state": ["approved", "settled"]}, ["C", "D"]),
        ({"content": 3}, ["A", "D"]),
        ({"kind": "single"}, ["A", "B", "C", "D"]),
        ({"q": "duc"}, ["A", "D"]),
        ({"q": "ĐỨC"}, ["A", "D"]),
        ({"q": "Đức", "state": "approved"}, ["D"]),
    ],
)
def test_the_list_filters_by_the_obvious_fields(cast, spread, params, expected):
    response = client_for(cast["dept.bacninh"]).get("/api/v1/proposals/", params)
    assert codes(response) == expected


@pytest.mark.parametrize(
    "params",
    [{"provice": "bac-ninh"}, {"status": "draft"}, {"search": "duc"}, {"year": 2026, "foo": 1}],
)
def test_an_unknown_parameter_is_refused_not_ignored(cast, spread, params):
    response = client_for(cast["dept.bacninh"]).get("/api/v1/proposals/", params)
    assert response.status_code == 400
    unknown = set(params) - {"year"}
    assert unknown <= set(response.json())


@pytest.mark.parametrize(
    "params", [{"state": "lost"}, {"year": "abc"}, {"fund": "regional"}, {"content": 42}]
)
def test_an_invalid_filter_value_is_refused(cast, spread, params):
    response = client_for(cast["dept.bacninh"]).get("/api/v1/proposals/", params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_paging_ordering_and_format_are_understood(cast, spread):
    client = client_for(cast["dept.bacninh"])
    response = client.get(
        "/api/v1/proposals/", {"page_size": 2, "page": 2, "ordering": "year", "format": "json"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4 and data["previous"] and data["next"] is None
    assert [row["code"] for row in data["results"]] == ["B", "A"]


def test_queries_do_not_grow_with_the_rows_listed(cast):
    client = client_for(cast["dept.bacninh"])
    facility = make_facility("bac-ninh", "2300777777")

    def add(n, start):
        for i in range(start, start + n):
            state = ["draft", "submitted", "returned", "approved"][i % 4]
            p = make_proposal(code=f"Q-{i:03d}", state=state, year=2025 + i % 2)
            Beneficiary.objects.create(
                proposal=p, facility=facility, support_vnd=p.support_vnd,
                counterpart_vnd=p.counterpart_vnd,
            )  # fmt: skip

    def queries():
        # A fresh user object, as each real request has: nothing cached from the last call.
        client.force_authenticate(User.objects.get(username="dept.bacninh"))
        cache.clear()  # count what computing costs, not a cached copy
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/proposals/", {"page_size": 100}).status_code == 200
        return len(captured)

    make_allocation(year=2026)  # 2025 has none: both the "approve" and the "no allocation" paths
    add(4, 0)
    few = queries()
    add(30, 4)
    assert queries() == few
