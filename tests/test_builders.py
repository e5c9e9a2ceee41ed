"""The shared builders make what they say: a walked proposal has the real events of SPEC §5."""

import pytest

from proposals.models import ProposalEvent
from tests.builders import make_allocation, make_plan, make_proposal, make_user, walk_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("state", "fund", "steps"),
    [
        (
            "settled",
            "provincial",
            [
                ("submit", "centre.bacninh"),
                ("approve", "dept.bacninh"),
                ("start", "centre.bacninh"),
                ("accept", "dept.bacninh"),
                ("settle", "dept.bacninh"),
            ],
        ),
        (
            "cancelled",
            "national",
            [
                ("submit", "centre.bacninh"),
                ("forward", "dept.bacninh"),
                ("approve", "ministry"),
                ("cancel", "ministry"),
            ],
        ),
    ],
)
def test_walk_to_reaches_a_state_through_one_event_per_step_by_the_right_role(
    cast, state, fund, steps
):
    make_allocation(fund=fund)
    proposal = walk_to(make_proposal(fund=fund), state, cast)
    assert proposal.state == state
    events = ProposalEvent.objects.filter(proposal=proposal).order_by("pk")
    assert [(e.action, e.actor.username) for e in events] == steps


def test_a_plan_gets_five_years_and_its_targets():
    plan = make_plan(year_from=2026, targets=[(3, "Máy móc", 5), (1, "Đào tạo", 2)])
    assert (plan.year_from, plan.year_to) == (2026, 2030)
    assert sorted(plan.targets.values_list("description", "count")) == [
        ("Máy móc", 5),
        ("Đào tạo", 2),
    ]


def test_a_user_holds_the_role_given_for_the_province_given():
    user = make_user("lan", "centre", "bac-ninh")
    assert list(user.memberships.values_list("role", "province")) == [("centre", "bac-ninh")]
    assert not make_user("nobody").memberships.exists()
