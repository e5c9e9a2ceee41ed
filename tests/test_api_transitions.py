"""POST /api/v1/proposals/{id}/transitions/: every (state, action, role) of the lifecycle table.

The expectations come from SPEC §5 written by hand (`tests.lifecycle_spec`), never from the
table under test: an allowed combination answers 200 with the new state; a role that may never
take that action on the fund answers 403; a role that could, but not from this state, answers
409. Nothing changes unless the answer is 200.
"""

import pytest

from khuyencong.money import format_trieu
from proposals.models import Proposal, ProposalEvent
from tests import lifecycle_spec as spec
from tests.api_world import client_for
from tests.builders import TODAY, TRIEU, make_allocation, make_proposal

pytestmark = pytest.mark.django_db

ROLE_USERS = {
    "centre": "centre.bacninh",
    "department": "dept.bacninh",
    "ministry": "ministry",
    "manager": "manager",
    "admin": "admin",
}
FUNDS = ("national", "provincial", "district")


# A national and a local fund: the API answers alike for every local fund (the lifecycle tests
# cover the district fund row by row).
FUNDS = ("national", "provincial")
# States from approval on carry a decision (SPEC §6: counted from approval).
DECIDED = ("approved", "in_progress", "accepted", "settled", "cancelled")


def url(proposal):
    return f"/api/v1/proposals/{proposal.pk}/transitions/"


def payload(action, proposal):
    data = {"action": action, "comment": "Lý do cụ thể"}
    if action == "approve":
        data.update(
            decision_number="12/QĐ-SCT",
            decision_date=TODAY.isoformat(),
            approved_support_vnd=proposal.support_vnd,
        )
    if action == "accept":
        data.update(support_vnd=proposal.support_vnd, counterpart_vnd=900 * TRIEU, other_vnd=0)
    return data


def expected_status(state, fund, action, role):
    """(status, target) SPEC §5 gives for this combination."""
    target = spec.expected_target(state, action, role, fund)
    if target:
        return 200, target
    return (409 if spec.may_ever(action, role, fund) else 403), None


def make_in_state(state, fund, code):
    """A proposal as it would be in `state`: from approval on it carries its decision."""
    extra = {}
    if state in DECIDED:
        extra = dict(
            decision_number="1/QĐ",
            decision_date=TODAY,
            approved_support_vnd=500 * TRIEU,
            final_support_vnd=500 * TRIEU,
            final_counterpart_vnd=1_000 * TRIEU,
            final_other_vnd=0,
        )
    return make_proposal(code=code, state=state, fund=fund, **extra)


@pytest.fixture
def allocations(db):
    for fund in spec.ANY:
        make_allocation("bac-ninh", 2026, fund)


@pytest.mark.parametrize("role", spec.ROLES)
@pytest.mark.parametrize("action", spec.ACTIONS)
@pytest.mark.parametrize("state", spec.STATES)
def test_every_state_action_role_triple_answers_as_the_table_says(
    cast, allocations, state, action, role
):
    client = client_for(cast[ROLE_USERS[role]])
    for n, fund in enumerate(FUNDS):
        proposal = make_in_state(state, fund, code=f"T-{n}")
        status, target = expected_status(state, fund, action, role)
        response = client.post(url(proposal), payload(action, proposal), format="json")
        assert response.status_code == status, (fund, response.content)
        proposal.refresh_from_db()
        if status == 200:
            data = response.json()
            assert (data["state"], data["version"]) == (target, 2)
            event = ProposalEvent.objects.get(proposal=proposal)
            assert (event.action, event.from_state, event.to_state) == (action, state, target)
            assert event.actor == cast[ROLE_USERS[role]]
        else:
            assert set(response.json()) == {"detail"}
            assert (proposal.state, proposal.version) == (state, 1)
            assert not ProposalEvent.objects.filter(proposal=proposal).exists()


def test_the_matrix_covers_every_row_of_spec():
    covered = {
        (source, action, role)
        for source, action, role, funds, _target in spec.ROWS
        if any(fund in funds for fund in FUNDS)
    }
    assert covered <= {(s, a, r) for s in spec.STATES for a in spec.ACTIONS for r in ROLE_USERS}
    assert len(covered) == len(spec.ROWS)


# The journey and the figures -------------------------------------------------------------


def test_submit_return_resubmit_approve_and_the_events_tell_the_story(cast):
    make_allocation(amount_vnd=1_000 * TRIEU)
    centre, dept = client_for(cast["centre.bacninh"]), client_for(cast["dept.bacninh"])
    proposal = make_proposal()
    assert centre.post(url(proposal), {"action": "submit"}, format="json").json()["state"] == (
        "submitted"
    )
    response = dept.post(url(proposal), {"action": "return", "comment": "Bổ sung dự toán"})
    assert response.json()["state"] == "returned"
    assert response.json()["actions"] == []  # now the centre's turn
    centre.post(url(proposal), {"action": "submit"}, format="json")
    response = dept.post(
        url(proposal),
        {
            "action": "approve",
            "decision_number": "45/QĐ-SCT",
            "decision_date": "2026-03-15",
            "approved_support_vnd": 450 * TRIEU,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["state"], data["decision_number"], data["decision_date"]) == (
        "approved",
        "45/QĐ-SCT",
        "2026-03-15",
    )
    assert (data["approved_support_vnd"], data["final_support_vnd"]) == (450 * TRIEU, 450 * TRIEU)
    assert data["actions"] == ["cancel"]

    events = dept.get(url(proposal)).json()
    assert [(e["action"], e["from_state"], e["to_state"]) for e in events] == [
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("approve", "submitted", "approved"),
    ]
    assert events[1]["comment"] == "Bổ sung dự toán"
    assert (events[1]["actor"], events[1]["actor_name"]) == ("dept.bacninh", "Trần Thị Lan")
    assert events[3]["support_vnd"] == 450 * TRIEU
    assert events[3]["decision_date"] == "2026-03-15"
    assert all(e["at"] for e in events)


def test_accept_records_the_actual_figures(cast, allocations):
    proposal = make_proposal(state="in_progress", approved_support_vnd=500 * TRIEU)
    response = client_for(cast["dept.bacninh"]).post(
        url(proposal),
        {"action": "accept", "support_vnd": 480 * TRIEU, "counterpart_vnd": 1_100 * TRIEU,
         "other_vnd": 7},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200
    data = response.json()
    assert (data["final_support_vnd"], data["final_counterpart_vnd"], data["final_other_vnd"]) == (
        480 * TRIEU,
        1_100 * TRIEU,
        7,
    )


# Refusals with their reasons --------------------------------------------------------------


def approve(client, proposal, amount=None, **extra):
    body = {
        "action": "approve",
        "decision_number": "1/QĐ",
        "decision_date": TODAY.isoformat(),
        "approved_support_vnd": proposal.support_vnd if amount is None else amount,
    }
    body.update(extra)
    return client.post(url(proposal), body, format="json")


def test_approval_beyond_the_allocation_is_refused_with_what_remains(cast):
    make_allocation(amount_vnd=800 * TRIEU)
    dept = client_for(cast["dept.bacninh"])
    first = make_proposal(code="A", state="submitted")
    second = make_proposal(code="B", state="submitted")
    assert approve(dept, first).status_code == 200
    response = approve(dept, second)
    assert response.status_code == 400
    assert f"còn lại {format_trieu(300 * TRIEU)} triệu đồng" in response.json()["detail"]
    second.refresh_from_db()
    assert (second.state, second.version) == ("submitted", 1)
    assert ProposalEvent.objects.filter(proposal=second).count() == 0


def test_approval_without_an_allocation_is_refused(cast):
    proposal = make_proposal(state="submitted")
    response = approve(client_for(cast["dept.bacninh"]), proposal)
    assert response.status_code == 400
    assert "Chưa có phân bổ" in response.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


def test_the_actions_field_hides_an_approval_the_allocation_cannot_cover(cast):
    make_allocation(amount_vnd=100 * TRIEU)
    proposal = make_proposal(state="submitted")
    response = client_for(cast["dept.bacninh"]).get(f"/api/v1/proposals/{proposal.pk}/")
    assert "approve" not in response.json()["actions"]
    assert "reject" in response.json()["actions"]


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"decision_number": ""}, "decision_number"),
        ({"decision_date": "15/03/2026"}, "decision_date"),
        ({"decision_date": "2999-01-01"}, "decision_date"),
        ({"approved_support_vnd": -1}, "approved_support_vnd"),
        ({"approved_support_vnd": 1.5}, "approved_support_vnd"),
        ({"approved_support_vnd": "500000000"}, "approved_support_vnd"),
        ({"approved_support_vnd": 10**16}, "approved_support_vnd"),
        ({"approved_support_vnd": 500 * TRIEU + 1}, "approved_support_vnd"),
    ],
)
def test_approval_fields_are_checked(cast, allocations, extra, field):
    proposal = make_proposal(state="submitted")
    response = approve(client_for(cast["dept.bacninh"]), proposal, **extra)
    assert response.status_code == 400
    assert field in response.json()
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


@pytest.mark.parametrize(
    "action, state, username",
    [
        ("return", "submitted", "dept.bacninh"),
        ("reject", "submitted", "dept.bacninh"),
        ("withdraw", "draft", "centre.bacninh"),
        ("cancel", "approved", "dept.bacninh"),
    ],
)
def test_refusing_or_cancelling_needs_a_comment(cast, action, state, username):
    proposal = make_proposal(state=state)
    response = client_for(cast[username]).post(
        url(proposal), {"action": action, "comment": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "comment" in response.json()


def test_an_unknown_action_is_refused(cast):
    proposal = make_proposal()
    response = client_for(cast["centre.bacninh"]).post(
        url(proposal), {"action": "publish"}, format="json"
    )
    assert response.status_code == 400
    assert "action" in response.json()


def test_a_department_trying_to_submit_gets_403(cast):
    proposal = make_proposal()
    response = client_for(cast["dept.bacninh"]).post(
        url(proposal), {"action": "submit"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"]


def test_submitting_with_sums_that_do_not_add_up_is_refused(cast):
    from facilities.models import Facility
    from proposals.models import Beneficiary

    proposal = make_proposal()
    facility = Facility.objects.create(name="X", legal_form="sme", province_id="bac-ninh")
    Beneficiary.objects.create(proposal=proposal, facility=facility, support_vnd=1)
    response = client_for(cast["centre.bacninh"]).post(
        url(proposal), {"action": "submit"}, format="json"
    )
    assert response.status_code == 400
    assert "Tổng hỗ trợ" in response.json()["detail"]


def test_a_stale_version_on_a_transition_is_409(cast, allocations):
    proposal = make_proposal(state="submitted", version=3)
    response = approve(client_for(cast["dept.bacninh"]), proposal, version=2)
    assert response.status_code == 409
    assert Proposal.objects.get(pk=proposal.pk).state == "submitted"


def test_acting_twice_gives_one_success_and_one_409(cast, allocations):
    proposal = make_proposal(state="submitted")
    dept = client_for(cast["dept.bacninh"])
    assert approve(dept, proposal).status_code == 200
    second = approve(dept, proposal)
    assert second.status_code == 409
    assert "Đã phê duyệt" in second.json()["detail"]
    assert ProposalEvent.objects.filter(proposal=proposal).count() == 1


def test_bac_ninh_staff_act_on_bac_giang_history(cast):
    make_allocation("bac-giang", 2024)
    proposal = make_proposal(province="bac-giang", year=2024, state="submitted")
    assert approve(client_for(cast["dept.bacninh"]), proposal).status_code == 200


def test_the_event_list_is_a_plain_list_oldest_first(cast):
    proposal = make_proposal()
    client = client_for(cast["centre.bacninh"])
    client.post(url(proposal), {"action": "submit"}, format="json")
    client.post(url(proposal), {"action": "withdraw", "comment": "Trùng"}, format="json")
    events = client.get(url(proposal)).json()
    assert [e["to_state"] for e in events] == ["submitted", "withdrawn"]
