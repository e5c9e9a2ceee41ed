"""How much of an allocation approvals have committed.

The figure is kept on the allocation row (`Allocation.committed_vnd`) by `refresh_committed`,
in the transaction that moves a proposal, so pages and the API read a column; `committed_vnd`
is the definition, from scratch, which `check_allocations` compares it with.
"""

from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from funding.models import Allocation
from khuyencong import datacache
from proposals.models import Proposal


def committed_proposals(province_id, year, fund_id):
    """Approved (and later) proposals that draw on one (province, year, fund) allocation."""
    return Proposal.objects.counted_in_reports().filter(
        province_id=province_id, year=year, fund_id=fund_id
    )


def committed_vnd(province_id, year, fund_id) -> int:
    return committed_proposals(province_id, year, fund_id).aggregate(
        total=Coalesce(Sum("approved_support_vnd"), 0)
    )["total"]


@transaction.atomic
def refresh_committed(province_id, year, fund_id) -> int | None:
    """Recompute the committed sum of one allocation and store it on its row.

    Takes the allocation's row lock first (a no-op when the caller holds it), so the sum is
    read after every other writer of that allocation committed. None when there is none.
    """
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .filter(province_id=province_id, year=year, fund_id=fund_id)
        .order_by()
        .first()
    )
    if allocation is None:
        return None
    total = committed_vnd(province_id, year, fund_id)
    if total != allocation.committed_vnd:
        # A figure the approvals move, not anyone's edit: no history record, no version.
        Allocation.objects.filter(pk=allocation.pk).update(committed_vnd=total)
        datacache.changed()
    return total


def refresh_all_committed() -> None:
    """Recompute every allocation's figure in one statement: after bulk loads (the generator),
    which write proposals and allocations without the lifecycle."""
    approved = (
        Proposal.objects.counted_in_reports()
        .filter(
            province_id=OuterRef("province_id"), year=OuterRef("year"), fund_id=OuterRef("fund_id")
        )
        .order_by()
        .values("province_id")
        .annotate(total=Sum("approved_support_vnd"))
        .values("total")
    )
    Allocation.objects.update(committed_vnd=Coalesce(Subquery(approved), Value(0)))
    datacache.changed()


def refresh_after_transition(proposal, from_state) -> None:
    """After a transition: refresh the allocation when the proposal entered, left or stayed in
    the counted states (approve, accept, settle, cancel), whose money it commits."""
    from proposals.lifecycle import COUNTED_STATES  # the lifecycle imports this module

    if proposal.is_counted or from_state in COUNTED_STATES:
        refresh_committed(proposal.province_id, proposal.year, proposal.fund_id)


def refresh_saved_allocation(sender, instance, raw=False, **kwargs) -> None:
    """A saved allocation (a new one may find approvals made before it) gets its figure."""
    if not raw:
        refresh_committed(instance.province_id, instance.year, instance.fund_id)


def remaining_for(proposal) -> int | None:
    """What remains of the allocation a proposal draws on; None when it has none.

    Uses the figure `prefetch_remaining` attached, so a list asks once for all its rows;
    `lifecycle.perform` re-reads its own locked row, which never carries one.
    """
    if hasattr(proposal, "_remaining_vnd"):
        return proposal._remaining_vnd
    allocation = allocation_queryset(proposal).first()
    if allocation is None:
        return None
    return allocation.amount_vnd - allocation.committed_vnd


def prefetch_remaining(proposals) -> None:
    """Attach what remains of each proposal's allocation to many proposals, in one query."""
    proposals = list(proposals)
    if not proposals:
        return
    allocations = Allocation.objects.with_usage().filter(
        province_id__in={p.province_id for p in proposals},
        year__in={p.year for p in proposals},
        fund_id__in={p.fund_id for p in proposals},
    )
    remaining = {(a.province_id, a.year, a.fund_id): a.remaining_vnd for a in allocations}
    for proposal in proposals:
        key = (proposal.province_id, proposal.year, proposal.fund_id)
        proposal._remaining_vnd = remaining.get(key)


def allocation_queryset(proposal):
    """The (at most one) allocation a proposal draws on, as a queryset to annotate."""
    return Allocation.objects.filter(
        province_id=proposal.province_id, year=proposal.year, fund_id=proposal.fund_id
    )
