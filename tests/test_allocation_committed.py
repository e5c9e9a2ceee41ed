"""What approvals committed is kept on the allocation row, in the transition's transaction.

After approve, start, accept, settle and cancel the kept figure equals a sum from scratch; the
allocation page and the API read it; `check_allocations` finds and repairs a drifted row.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from funding.models import Allocation
from proposals import lifecycle
from proposals.budget import committed_vnd, refresh_all_committed
from proposals.management.commands.check_allocations import drifted
from proposals.models import Proposal
from tests.api_world import client_for
from tests.builders import TRIEU, centre_of, make_allocation, make_proposal, walk_to

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
ACTORS = ("centre.bacninh", "dept.bacninh")


def act(cast, proposal, action, **data):
    """Perform `action` as whichever Bắc Ninh role the table gives it to."""
    data.setdefault("comment", "Lý do cụ thể")
    for username in ACTORS:
        user = cast[username]
        if lifecycle.rows_for_role(user, proposal, action):
            return lifecycle.perform(proposal.pk, action, user, data)
    raise AssertionError(f"no Bắc Ninh role performs {action}")


def kept(allocation) -> int:
    allocation.refresh_from_db()
    from_scratch = committed_vnd(allocation.province_id, allocation.year, allocation.fund_id)
    assert allocation.committed_vnd == from_scratch
    return allocation.committed_vnd


def test_the_kept_figure_follows_approve_start_accept_settle_and_cancel(cast):
    allocation = make_allocation(amount_vnd=2_000 * TRIEU)
    first = make_proposal(code="T-1", support_vnd=500 * TRIEU)
    second = make_proposal(code="T-2", support_vnd=300 * TRIEU)
    assert kept(allocation) == 0
    walk_to(first, "approved", cast)
    assert kept(allocation) == 500 * TRIEU
    walk_to(second, "approved", cast)
    assert kept(allocation) == 800 * TRIEU
    first = act(cast, Proposal.objects.get(pk=first.pk), "start")
    assert kept(allocation) == 800 * TRIEU
    accepted = {
        "support_vnd": 450 * TRIEU,
        "counterpart_vnd": 900 * TRIEU,
        "other_vnd": 0,
        "council": "Ông A (Chủ tịch), Bà B",
    }
    first = act(cast, first, "accept", **accepted)
    assert kept(allocation) == 800 * TRIEU
    act(cast, first, "settle", decision_number="9/QĐ-QT", decision_date=TODAY, **accepted)
    assert kept(allocation) == 800 * TRIEU
    act(cast, Proposal.objects.get(pk=second.pk), "cancel")
    assert kept(allocation) == 500 * TRIEU


def test_a_new_allocation_finds_the_approvals_made_before_it(cast):
    make_proposal(state="approved", approved_support_vnd=700 * TRIEU)
    allocation = make_allocation(amount_vnd=1_000 * TRIEU)
    assert kept(allocation) == 700 * TRIEU


def test_the_allocation_page_and_api_read_the_kept_figure(client, cast):
    allocation = make_allocation(amount_vnd=1_000 * TRIEU)
    walk_to(make_proposal(support_vnd=400 * TRIEU), "approved", cast)
    client.force_login(cast["dept.bacninh"])
    page = client.get(reverse("funding:edit", args=[allocation.pk]))
    assert "<strong>400</strong> triệu đồng" in page.content.decode()
    data = client_for(cast["dept.bacninh"]).get(f"/api/v1/allocations/{allocation.pk}/").json()
    assert (data["approved_vnd"], data["remaining_vnd"]) == (400 * TRIEU, 600 * TRIEU)


def test_check_allocations_finds_a_drifted_row_and_repairs_it_with_fix(cast, capsys):
    allocation = make_allocation(amount_vnd=1_000 * TRIEU)
    make_proposal(state="approved", approved_support_vnd=250 * TRIEU)
    Allocation.objects.filter(pk=allocation.pk).update(committed_vnd=1)
    call_command("check_allocations")
    assert "1 phân bổ lệch" in capsys.readouterr().out
    assert [a.pk for a, _total in drifted()] == [allocation.pk]
    call_command("check_allocations", "--fix")
    allocation.refresh_from_db()
    assert allocation.committed_vnd == 250 * TRIEU
    assert drifted() == []


def test_a_bulk_load_gets_every_allocations_figure_in_one_statement(cast):
    first = make_allocation(amount_vnd=1_000 * TRIEU)
    second = make_allocation(year=2025, amount_vnd=1_000 * TRIEU)
    Proposal.objects.bulk_create(
        [
            Proposal(
                code=code,
                title="Đề án nạp hàng loạt",
                year=year,
                province_id="bac-ninh",
                unit=centre_of("bac-ninh"),
                implementing_unit="Trung tâm",
                fund_id="provincial",
                content_id=3,
                kind="single",
                support_vnd=amount,
                approved_support_vnd=amount,
                state="approved",
            )
            for code, year, amount in (("B-1", 2026, 120 * TRIEU), ("B-2", 2025, 80 * TRIEU))
        ]
    )
    refresh_all_committed()
    assert (kept(first), kept(second)) == (120 * TRIEU, 80 * TRIEU)


def test_the_generators_allocations_carry_the_sum_of_their_approvals(db):
    from bench.generate import generate

    generate(80, seed=5, clear_first=True, log=lambda _message: None)
    assert Allocation.objects.filter(committed_vnd__gt=0).exists()
    assert drifted() == []
