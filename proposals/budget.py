"""How much of an allocation approvals have committed, computed in SQL."""

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from funding.models import Allocation
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


def with_usage(allocations):
    """Annotate allocations with `approved_vnd` and `remaining_vnd` in one query."""
    approved = (
        Proposal.objects.counted_in_reports()
        .filter(
            province_id=OuterRef("province_id"),
            year=OuterRef("year"),
            fund_id=OuterRef("fund_id"),
        )
        .order_by()
        .values("province_id")
        .annotate(total=Sum("approved_support_vnd"))
        .values("total")
    )
    return allocations.annotate(approved_vnd=Coalesce(Subquery(approved), Value(0))).annotate(
        remaining_vnd=Coalesce("amount_vnd", 0) - Coalesce(Subquery(approved), Value(0))
    )


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
    return allocation.amount_vnd - committed_vnd(
        proposal.province_id, proposal.year, proposal.fund_id
    )


def prefetch_remaining(proposals) -> None:
    """Attach what remains of each proposal's allocation to many proposals, in one query."""
    proposals = list(proposals)
    if not proposals:
        return
    allocations = with_usage(
        Allocation.objects.filter(
            province_id__in={p.province_id for p in proposals},
            year__in={p.year for p in proposals},
            fund_id__in={p.fund_id for p in proposals},
        )
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
