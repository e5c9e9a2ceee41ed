"""A small world for the API tests: two provinces' staff and one object of each kind per province.

Bắc Ninh's staff see Bắc Ninh and Bắc Giang (absorbed 2025); Phú Thọ's see Phú Thọ and Hòa Bình.
Much faster than the full demo data, which only the figures tests need.
"""

import datetime
from dataclasses import dataclass, field

from rest_framework.test import APIClient

from facilities.models import Facility
from funding.models import Allocation, Plan, PlanTarget
from proposals.budget import refresh_committed
from proposals.models import Beneficiary, Proposal

USERS = (
    "centre.bacninh",
    "dept.bacninh",
    "centre.phutho",
    "dept.phutho",
    "ministry",
    "manager",
    "admin",
)
# Which provinces each demo user sees (None: all).
SCOPE = {
    "centre.bacninh": {"bac-ninh", "bac-giang"},
    "dept.bacninh": {"bac-ninh", "bac-giang"},
    "centre.phutho": {"phu-tho", "hoa-binh", "vinh-phuc"},
    "dept.phutho": {"phu-tho", "hoa-binh", "vinh-phuc"},
    "ministry": None,
    "manager": None,
    "admin": None,
}
TODAY = datetime.date.today()
TRIEU = 1_000_000


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def make_facility(province="bac-ninh", tax_code=None, name="Cơ sở Đức Thành", **extra):
    extra.setdefault("legal_form", "sme")
    return Facility.objects.create(name=name, tax_code=tax_code, province_id=province, **extra)


def make_proposal(code="T-001", province="bac-ninh", year=2026, fund="provincial", **extra):
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
    proposal = Proposal.objects.create(**fields)
    # Made directly in its state, not through the lifecycle: keep the allocation's figure true.
    refresh_committed(province, year, fund)
    return proposal


def allocate(province="bac-ninh", year=2026, fund="provincial", amount_vnd=10_000 * TRIEU):
    return Allocation.objects.create(
        province_id=province, year=year, fund_id=fund, amount_vnd=amount_vnd
    )


@dataclass
class World:
    users: dict
    facilities: dict = field(default_factory=dict)
    proposals: dict = field(default_factory=dict)
    allocations: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)

    def client(self, username) -> APIClient:
        return client_for(self.users[username])


def build_world(users) -> World:
    """One facility, proposal, allocation and plan in each of four provinces."""
    world = World(users=users)
    specs = [
        ("bac-ninh", 2026, "2300900001"),
        ("bac-giang", 2024, "2400900001"),
        ("phu-tho", 2026, "2600900001"),
        ("hoa-binh", 2023, "5400900001"),
    ]
    for slug, year, tax_code in specs:
        facility = make_facility(slug, tax_code, name=f"Cơ sở {slug}")
        proposal = make_proposal(f"{slug.upper()}-{year}", slug, year)
        Beneficiary.objects.create(
            proposal=proposal,
            facility=facility,
            support_vnd=proposal.support_vnd,
            counterpart_vnd=proposal.counterpart_vnd,
        )
        plan = Plan.objects.create(
            province_id=slug,
            fund_id="provincial",
            year_from=year,
            year_to=year + 4,
            target_support_vnd=5_000 * TRIEU,
        )
        PlanTarget.objects.create(plan=plan, content_id=3, description="Máy móc", count=5)
        world.facilities[slug] = facility
        world.proposals[slug] = proposal
        world.allocations[slug] = allocate(slug, year)
        world.plans[slug] = plan
    return world


def visible(username, province) -> bool:
    scope = SCOPE[username]
    return scope is None or province in scope
