"""How much of an allocation approvals have committed, computed in SQL."""

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from funding.models import Allocation
from proposals.models import COUNTED_STATES, Proposal


def committed_proposals(province_id, year, fund_id):
    """Approved (and later) proposals that draw on one (province, year, fund) allocation."""
    return Proposal.objects.filter(
        province_id=province_id, year=year, fund_id=fund_id, state__in=COUNTED_STATES
    )


def committed_vnd(province_id, year, fund_id) -> int:
    return committed_proposals(province_id, year, fund_id).aggregate(
        total=Coalesce(Sum("approved_support_vnd"), 0)
    )["total"]


def with_usage(allocations):
    """Annotate allocations with `approved_vnd` and `remaining_vnd` in one query."""
    approved = (
        Proposal.objects.filter(
            province_id=OuterRef("province_id"),
            year=OuterRef("year"),
            fund_id=OuterRef("fund_id"),
            state__in=COUNTED_STATES,
        )
        .order_by()
        .values("province_id")
        .annotate(total=Sum("approved_support_vnd"))
        .values("total")
    )
    return allocations.annotate(approved_vnd=Coalesce(Subquery(approved), Value(0))).annotate(
        remaining_vnd=Coalesce("amount_vnd", 0) - Coalesce(Subquery(approved), Value(0))
    )


def allocation_queryset(proposal):
    """The (at most one) allocation a proposal draws on, as a queryset to annotate."""
    return Allocation.objects.filter(
        province_id=proposal.province_id, year=proposal.year, fund_id=proposal.fund_id
    )
