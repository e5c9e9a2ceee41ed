"""The lifecycle table and `perform`: every (state, action, role, fund) against SPEC §5 as written
by hand in `tests.lifecycle_spec`, events, allocations."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from facilities.models import Facility
from funding.models import Allocation
from khuyencong import access
from khuyencong.errors import Invalid, NotPermitted, StateConflict
from proposals import lifecycle
from proposals.lifecycle import TRANSITIONS, TransitionError
from proposals.models import Beneficiary, Proposal, ProposalEvent
from tests import lifecycle_spec as spec
from tests.builders import centre_of

pytestmark = pytest.mark.django_db

ROLE_USERS = {
    "centre": "centre.bacninh",
    "department": "dept.bacninh",
    "ministry": "ministry",
    "manager": "manager",
    "admin": "admin",
}
TODAY = datetime.date.today()


def make(state="draft", fund="provincial", code="T-001", **extra):
    fields = dict(
        code=code,
        title="Hỗ trợ máy móc",
        year=2026,
        province_id="bac-ninh",
        implementing_unit="Trung tâm",
        fund_id=fund,
        content_id=3,
        kind="single",
        support_vnd=500_000_000,
        counterpart_vnd=1_000_000_000,
        state=state,
    )
    if state in ("approved", "in_progress", "accepted", "settled", "cancelled"):
        fields["approved_support_vnd"] = fields["support_vnd"]
    fields.update(extra)
    fields.setdefault("unit", centre_of(fields["province_id"]))
    return Proposal.objects.create(**fields)


def payload(action, proposal):
    data = {"comment": "Lý do cụ thể"}
    if action == "approve":
        data.update(
            decision_number="12/QĐ", decision_date=TODAY, approved_support_vnd=proposal.support_vnd
        )
    if action in ("accept", "settle"):
        data.update(
            support_vnd=proposal.approved_support_vnd or 0,
            counterpart_vnd=900_000_000,
            other_vnd=0,
            council="Ông A (Chủ tịch), Bà B",
        )
    if action == "settle":
        data.update(decision_number="9/QĐ-QT", decision_date=TODAY)
    return data


@pytest.fixture
def allocations(db):
    for fund in ("national", "provincial", "district"):
        Allocation.objects.create(
            province_id="bac-ninh", year=2026, fund_id=fund, amount_vnd=10_000_000_000
        )


@pytest.mark.parametrize("fund", spec.ANY)
@pytest.mark.parametrize("role", spec.ROLES)
@pytest.mark.parametrize("state", spec.STATES)
def test_every_state_action_role_and_fund_follows_spec(cast, allocations, state, fund, role):
    user = cast[ROLE_USERS[role]]
    for n, action in enumerate(spec.ACTIONS):
        proposal = make(state=state, fund=fund, code=f"T-{n}")
        target = spec.expected_target(state, action, role, fund)
        if target:
            done = lifecycle.perform(proposal.pk, action, user, payload(action, proposal))
            assert done.state == target, action
            event = ProposalEvent.objects.get(proposal=proposal)
            assert (event.from_state, event.to_state, event.actor) == (state, target, user)
            assert done.version == 2
            continue
        expected = StateConflict if spec.may_ever(action, role, fund) else NotPermitted
        with pytest.raises(expected):
            lifecycle.perform(proposal.pk, action, user, payload(action, proposal))
        proposal.refresh_from_db()
        assert proposal.state == state and proposal.version == 1, action
        assert not ProposalEvent.objects.filter(proposal=proposal).exists(), action


def test_a_province_staff_cannot_act_on_another_province(cast, allocations):
    proposal = make(state="submitted", province_id="phu-tho")
    with pytest.raises(NotPermitted):
        lifecycle.perform(
            proposal.pk, "approve", cast["dept.bacninh"], payload("approve", proposal)
        )


def test_bac_ninh_staff_act_on_bac_giang_history(cast):
    proposal = make(state="submitted", province_id="bac-giang", year=2024)
    Allocation.objects.create(
        province_id="bac-giang", year=2024, fund_id="provincial", amount_vnd=10**9
    )
    done = lifecycle.perform(
        proposal.pk, "approve", cast["dept.bacninh"], payload("approve", proposal)
    )
    assert done.state == "approved"


def test_approval_needs_an_allocation(cast):
    proposal = make(state="submitted")
    with pytest.raises(TransitionError, match="Chưa có phân bổ"):
        lifecycle.perform(
            proposal.pk, "approve", cast["dept.bacninh"], payload("approve", proposal)
        )


def test_approval_may_not_exceed_what_remains(cast):
    Allocation.objects.create(
        province_id="bac-ninh", year=2026, fund_id="provincial", amount_vnd=800_000_000
    )
    first, second = make(state="submitted"), make(state="submitted", code="T-002")
    lifecycle.perform(first.pk, "approve", cast["dept.bacninh"], payload("approve", first))
    with pytest.raises(TransitionError, match="còn lại 300"):
        lifecycle.perform(second.pk, "approve", cast["dept.bacninh"], payload("approve", second))
    second.refresh_from_db()
    assert second.state == "submitted"


def test_approval_records_the_decision_and_the_figures_reports_count(cast, allocations):
    proposal = make(state="submitted")
    done = lifecycle.perform(
        proposal.pk,
        "approve",
        cast["dept.bacninh"],
        {
            "decision_number": "45/QĐ-SCT",
            "decision_date": TODAY,
            "approved_support_vnd": 450_000_000,
            "comment": "",
        },
    )
    assert (done.decision_number, done.approved_support_vnd) == ("45/QĐ-SCT", 450_000_000)
    assert (done.final_support_vnd, done.final_counterpart_vnd) == (450_000_000, 1_000_000_000)
    event = done.events.get()
    assert (event.support_vnd, event.decision_number) == (450_000_000, "45/QĐ-SCT")


def test_acceptance_figures_become_the_final_ones(cast, allocations):
    proposal = make(state="in_progress", approved_support_vnd=500_000_000)
    done = lifecycle.perform(
        proposal.pk,
        "accept",
        cast["dept.bacninh"],
        {
            "support_vnd": 480_000_000,
            "counterpart_vnd": 1_200_000_000,
            "other_vnd": 5,
            "council": "Hội đồng nghiệm thu của Sở",
        },
    )
    assert (done.final_support_vnd, done.final_counterpart_vnd, done.final_other_vnd) == (
        480_000_000,
        1_200_000_000,
        5,
    )


@pytest.mark.parametrize("action", ["return", "reject", "withdraw", "cancel"])
def test_a_comment_is_required_to_refuse_or_cancel(cast, allocations, action):
    state = {
        "return": "submitted",
        "reject": "submitted",
        "withdraw": "draft",
        "cancel": "approved",
    }[action]
    user = cast["centre.bacninh" if action == "withdraw" else "dept.bacninh"]
    proposal = make(state=state)
    with pytest.raises(ValidationError) as error:
        lifecycle.perform(proposal.pk, action, user, {"comment": "  "})
    assert "comment" in error.value.message_dict


def test_approval_requires_decision_fields_and_sane_amounts(cast, allocations):
    proposal = make(state="submitted")
    with pytest.raises(ValidationError) as error:
        lifecycle.perform(
            proposal.pk,
            "approve",
            cast["dept.bacninh"],
            {"decision_date": TODAY + datetime.timedelta(days=3), "approved_support_vnd": -1},
        )
    assert set(error.value.message_dict) == {
        "decision_number",
        "decision_date",
        "approved_support_vnd",
    }
    with pytest.raises(ValidationError, match="vượt kinh phí đề nghị"):
        lifecycle.perform(
            proposal.pk,
            "approve",
            cast["dept.bacninh"],
            {
                "decision_number": "1",
                "decision_date": TODAY,
                "approved_support_vnd": proposal.support_vnd + 1,
            },
        )


def test_submit_checks_beneficiary_sums(cast):
    proposal = make()
    facility = Facility.objects.create(name="Cơ sở A", legal_form="sme", province_id="bac-ninh")
    Beneficiary.objects.create(
        proposal=proposal, facility=facility, support_vnd=1, counterpart_vnd=0
    )
    with pytest.raises(TransitionError, match="Tổng hỗ trợ"):
        lifecycle.perform(proposal.pk, "submit", cast["centre.bacninh"])


def test_a_stale_version_is_a_conflict(cast, allocations):
    proposal = make(state="submitted")
    with pytest.raises(StateConflict):
        lifecycle.perform(
            proposal.pk,
            "approve",
            cast["dept.bacninh"],
            {**payload("approve", proposal), "version": 0},
        )


def test_a_transition_mails_who_must_act_next(cast, django_capture_on_commit_callbacks):
    cast["dept.bacninh"].email = "so@bacninh.gov.vn"
    cast["dept.bacninh"].save()
    proposal = make()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.perform(proposal.pk, "submit", cast["centre.bacninh"])
    assert [m.to for m in mail.outbox] == [["so@bacninh.gov.vn"]]
    assert proposal.code in mail.outbox[0].subject
    assert f"/proposals/{proposal.pk}/" in mail.outbox[0].body


def test_the_queue_shows_what_waits_for_each_role(cast, allocations):
    submitted = make(state="submitted")
    appraised = make(state="appraised", fund="national", code="T-002")
    draft = make(code="T-003")
    other = make(state="submitted", province_id="phu-tho", code="T-004")
    queue = lambda user: set(lifecycle.queue_for(user).values_list("code", flat=True))  # noqa: E731
    assert queue(cast["dept.bacninh"]) == {submitted.code}
    assert queue(cast["ministry"]) == {appraised.code}
    assert queue(cast["centre.bacninh"]) == {draft.code}
    assert queue(cast["dept.phutho"]) == {other.code}
    assert queue(cast["manager"]) == set()


def test_buttons_say_why_they_are_disabled(cast):
    proposal = make(state="submitted")
    actions = {a.action: a for a in lifecycle.available_actions(cast["dept.bacninh"], proposal)}
    assert set(actions) == {"return", "approve", "reject"}
    assert not actions["approve"].allowed
    assert "Chưa có phân bổ" in actions["approve"].reason
    assert lifecycle.allowed_action_keys(cast["manager"], proposal) == []
    access.forget(cast["dept.bacninh"])


# --- The table itself, pinned to SPEC §5 -------------------------------------------------------


def _expand(rows):
    return {
        (source, action, role, fund): target
        for source, action, role, funds, target in rows
        for fund in funds
    }


def test_the_table_is_spec_section_5_arrow_for_arrow():
    table = _expand(
        (source, t.action, t.role, t.funds, t.target) for t in TRANSITIONS for source in t.sources
    )
    assert table == _expand(spec.ROWS)
    assert set(lifecycle.ACTIONS) == set(spec.ACTIONS)


@pytest.mark.parametrize(
    "state, fund, path",
    [
        ("draft", "provincial", []),
        ("submitted", "provincial", ["submit"]),
        ("returned", "national", ["submit", "return"]),
        ("appraised", "national", ["submit", "forward"]),
        ("approved", "provincial", ["submit", "approve"]),
        ("approved", "national", ["submit", "forward", "approve"]),
        ("rejected", "district", ["submit", "reject"]),
        ("in_progress", "provincial", ["submit", "approve", "start"]),
        ("settled", "national", ["submit", "forward", "approve", "start", "accept", "settle"]),
        ("cancelled", "provincial", ["submit", "approve", "cancel"]),
        ("withdrawn", "provincial", ["withdraw"]),
    ],
)
def test_the_shortest_path_to_a_state_is_read_from_the_table(state, fund, path):
    assert lifecycle.path_to(state, fund) == path


def test_a_local_fund_never_reaches_appraised():
    with pytest.raises(ValueError):
        lifecycle.path_to("appraised", "provincial")


def test_an_allocation_refusal_is_invalid_input_not_a_conflict(cast):
    proposal = make(state="submitted")
    with pytest.raises(Invalid, match="Chưa có phân bổ"):
        lifecycle.perform(
            proposal.pk, "approve", cast["dept.bacninh"], payload("approve", proposal)
        )


def test_the_generators_histories_walk_spec_step_by_step(db):
    from bench.generate import generate

    generate(80, seed=5, clear_first=True, log=lambda _message: None)
    proposals = Proposal.objects.prefetch_related("events__actor__memberships")
    assert {p.state for p in proposals} >= {"settled", "cancelled", "rejected", "approved"}
    for proposal in proposals:
        state = "draft"
        for event in sorted(proposal.events.all(), key=lambda e: (e.at, e.pk)):
            roles = {m.role for m in event.actor.memberships.all()}
            targets = {
                spec.expected_target(state, event.action, role, proposal.fund_id) for role in roles
            }
            assert event.from_state == state, (proposal.code, event.action)
            assert event.to_state in targets, (proposal.code, state, event.action, roles)
            state = event.to_state
        assert state == proposal.state, proposal.code
