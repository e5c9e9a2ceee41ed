"""Concurrent approvals and edits through the API, on PostgreSQL (SPEC §10).

SQLite serialises every write on one file and ignores SELECT … FOR UPDATE, so these races can
only be shown where they can happen.
"""

import pytest
from django.db import connection
from django.db.models import Sum

from demo.data import create_demo_accounts
from proposals.models import Proposal, ProposalEvent
from tests.builders import TODAY, TRIEU, make_allocation, make_proposal
from tests.races import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL; SQLite serialises writes "
        "and ignores SELECT … FOR UPDATE (run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_twenty_approvals_at_once_never_overspend_the_allocation():
    create_demo_accounts("x-password-123")
    allocation = make_allocation(
        amount_vnd=5_000 * TRIEU
    )  # room for 12 of 20 proposals of 400 triệu
    proposals = [
        make_proposal(code=f"C-{i:02d}", state="submitted", support_vnd=400 * TRIEU)
        for i in range(20)
    ]
    answers = race(
        "dept.bacninh",
        [
            (
                "post",
                f"/api/v1/proposals/{p.pk}/transitions/",
                {
                    "action": "approve",
                    "decision_number": f"{p.pk}/QĐ-SCT",
                    "decision_date": TODAY.isoformat(),
                    "approved_support_vnd": p.support_vnd,
                },
            )
            for p in proposals
        ],
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 12 + [400] * 8, [a.content for a in answers]
    assert all("Vượt phân bổ" in a.json()["detail"] for a in answers if a.status_code == 400)
    approved = Proposal.objects.filter(state="approved")
    assert approved.count() == 12
    total = approved.aggregate(total=Sum("approved_support_vnd"))["total"]
    assert total <= allocation.amount_vnd
    assert ProposalEvent.objects.filter(action="approve").count() == 12


def test_two_approvers_of_one_proposal_give_one_approval_and_one_409():
    create_demo_accounts("x-password-123")
    make_allocation()
    proposal = make_proposal(state="submitted")
    body = {
        "action": "approve",
        "decision_number": "1/QĐ",
        "decision_date": TODAY.isoformat(),
        "approved_support_vnd": proposal.support_vnd,
    }
    url = f"/api/v1/proposals/{proposal.pk}/transitions/"
    answers = race("dept.bacninh", [("post", url, body), ("post", url, body)])
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert ProposalEvent.objects.filter(proposal=proposal).count() == 1


def test_two_edits_from_the_same_version_keep_one_and_refuse_the_other():
    create_demo_accounts("x-password-123")
    proposal = make_proposal()
    url = f"/api/v1/proposals/{proposal.pk}/"
    answers = race(
        "centre.bacninh",
        [
            ("patch", url, {"title": "Bản của Hùng", "version": 1}),
            ("patch", url, {"title": "Bản của Lan", "version": 1}),
        ],
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    winner = next(a for a in answers if a.status_code == 200).json()
    loser = next(a for a in answers if a.status_code == 409).json()
    proposal.refresh_from_db()
    assert (proposal.title, proposal.version) == (winner["title"], 2)
    assert loser["current_version"] == 2
    # No lost update: the refused edit left no trace in the field history either.
    assert list(proposal.history.values_list("title", flat=True)) == [
        winner["title"],
        "Hỗ trợ máy móc thiết bị",
    ]
