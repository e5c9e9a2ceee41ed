"""The one home for building test records: facilities, proposals (raw rows in any state, or walked
there through the real lifecycle), beneficiaries, allocations, plans with targets, registrations
and users with a role.

Plain functions with defaults a test overrides by keyword: each reads as the record it makes.
"""

import datetime

from django.contrib.auth import get_user_model

from facilities.models import Facility
from funding.models import Allocation, Plan, PlanTarget
from khuyencong.models import Membership, Unit
from proposals import lifecycle
from proposals.budget import refresh_committed
from proposals.models import Beneficiary, Proposal
from registrations import workflow
from registrations.models import Registration

TODAY = datetime.date.today()
TRIEU = 1_000_000


def make_facility(province="bac-ninh", tax_code=None, name="Cơ sở Đức Thành", **extra):
    extra.setdefault("legal_form", "sme")
    return Facility.objects.create(name=name, tax_code=tax_code, province_id=province, **extra)


def make_proposal(
    code="T-001", province="bac-ninh", year=2026, fund="provincial", beneficiaries=(), **extra
):
    """A proposal row made directly in its state (`state=` among `extra`), without events.

    Each facility in `beneficiaries` gets a share of the whole figures (one facility: all of it).
    Use `walk_to` where a test needs the lifecycle's real events.
    """
    fields = dict(
        code=code,
        title="Hỗ trợ máy móc thiết bị",
        year=year,
        province_id=province,
        implementing_unit="Trung tâm Khuyến công",
        fund_id=fund,
        content_id=3,
        kind="single",
        support_vnd=500 * TRIEU,
        counterpart_vnd=1_000 * TRIEU,
    )
    fields.update(extra)
    if "unit" not in fields and "unit_id" not in fields:
        fields["unit"] = centre_of(province)
    proposal = Proposal.objects.create(**fields)
    for facility in beneficiaries:
        add_beneficiary(proposal, facility)
    # Made directly in its state, not through the lifecycle: keep the allocation's figure true.
    refresh_committed(province, year, fund)
    return proposal


def centre_of(province="bac-ninh"):
    """The seeded provincial centre of `province` (the migration makes one per province)."""
    return Unit.objects.get(kind=Unit.Kind.CENTRE, province_id=province)


def regional_centre(number=1):
    """The ministry's seeded regional centre no. `number` (1 north, 2 centre, 3 south)."""
    return Unit.objects.get(kind=Unit.Kind.REGIONAL_CENTRE, name__endswith=f"khu vực {number}")


def add_beneficiary(proposal, facility, support_vnd=None, counterpart_vnd=None):
    """`facility` as a beneficiary of `proposal`, with the proposal's figures unless given."""
    return Beneficiary.objects.create(
        proposal=proposal,
        facility=facility,
        support_vnd=proposal.support_vnd if support_vnd is None else support_vnd,
        counterpart_vnd=proposal.counterpart_vnd if counterpart_vnd is None else counterpart_vnd,
    )


def walk_payload(action, proposal) -> dict:
    """What a user types for `action`: a reason, and the figures approval and acceptance need."""
    data = {"comment": "Lý do cụ thể"}
    if action == "approve":
        data.update(
            decision_number="12/QĐ", decision_date=TODAY, approved_support_vnd=proposal.support_vnd
        )
    if action in ("accept", "settle"):
        data.update(
            support_vnd=proposal.approved_support_vnd or 0,
            counterpart_vnd=proposal.counterpart_vnd,
            other_vnd=0,
            council="Ông A (Chủ tịch), Bà B",
        )
    if action == "settle":
        data.update(decision_number="9/QĐ-QT", decision_date=TODAY)
    return data


def walk_to(proposal, state, cast, staff="bacninh") -> Proposal:
    """Take a draft `proposal` to `state` through `lifecycle.perform`, one real event a step.

    The steps are the table's shortest path (`lifecycle.path_to`); each is performed by the demo
    `cast` member holding the role the table's row names: the centre and department of `staff`
    (the province's demo users, `centre.<staff>`, `dept.<staff>`) or the ministry.
    """
    actors = {
        "centre": cast[f"centre.{staff}"],
        "department": cast[f"dept.{staff}"],
        "ministry": cast["ministry"],
    }
    here = proposal.state
    for action in lifecycle.path_to(state, proposal.fund_id):
        row = lifecycle.row_for(here, action, proposal.fund_id)
        proposal = lifecycle.perform(
            proposal.pk, action, actors[row.role], walk_payload(action, proposal)
        )
        here = proposal.state
    return proposal


def make_allocation(province="bac-ninh", year=2026, fund="provincial", amount_vnd=10_000 * TRIEU):
    return Allocation.objects.create(
        province_id=province, year=year, fund_id=fund, amount_vnd=amount_vnd
    )


def make_plan(
    province="bac-ninh",
    fund="provincial",
    year_from=2026,
    year_to=None,
    target_support_vnd=5_000 * TRIEU,
    targets=((3, "Máy móc", 5),),
    target_proposals=None,
):
    """A five-year plan (unless `year_to` says otherwise) with its targets: (content,
    description, count) tuples, or dicts of PlanTarget fields (`activity_id="machinery"`,
    `indicator_id="demo_models"`, `count=5`…)."""
    plan = Plan.objects.create(
        province_id=province,
        fund_id=fund,
        year_from=year_from,
        year_to=year_from + 4 if year_to is None else year_to,
        target_support_vnd=target_support_vnd,
        target_proposals=target_proposals,
    )
    for target in targets:
        if isinstance(target, dict):
            PlanTarget.objects.create(plan=plan, **target)
        else:
            content, description, count = target
            PlanTarget.objects.create(
                plan=plan, content_id=content, description=description, count=count
            )
    return plan


def make_registration(province="bac-ninh", uploads=(), **fields) -> Registration:
    """A registration as the public page would save it (fields override the defaults)."""
    values = {
        "name": "Hợp tác xã Mây tre ĐỨC Thành",
        "legal_form": "cooperative",
        "tax_code": "2300999001",
        "address": "Thôn Đông, xã Phù Lãng",
        "sector": "Mây tre đan",
        "employees": 25,
        "representative": "Nguyễn Văn Đức",
        "phone": "0912345678",
        "email": "htx.ducthanh@example.vn",
        "content_id": 3,
        "need": "Hỗ trợ máy chẻ nan tự động",
        "description": "HTX cần 2 máy chẻ nan.",
        "requested_support_vnd": 300 * TRIEU,
        "counterpart_vnd": 450 * TRIEU,
    }
    values.update(fields)
    return workflow.submit(Registration(province_id=province, **values), list(uploads))


def make_user(username, role=None, province=None, password=None, **fields):
    """A user holding `role` for `province` (None: the whole country); no role if `role` is None."""
    user = get_user_model().objects.create_user(username, password=password, **fields)
    if role is not None:
        Membership.objects.create(user=user, role=role, province_id=province)
    return user
