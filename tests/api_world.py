"""A small world for the API tests: two provinces' staff and one object of each kind per province.

Bắc Ninh's staff see Bắc Ninh and Bắc Giang (absorbed 2025); Phú Thọ's see Phú Thọ and Hòa Bình.
Much faster than the full demo data, which only the figures tests need.
"""

from dataclasses import dataclass, field

from rest_framework.test import APIClient

from tests.builders import make_allocation, make_facility, make_plan, make_proposal

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


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


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
        world.facilities[slug] = facility
        world.proposals[slug] = make_proposal(
            f"{slug.upper()}-{year}", slug, year, beneficiaries=[facility]
        )
        world.plans[slug] = make_plan(slug, year_from=year)
        world.allocations[slug] = make_allocation(slug, year)
    return world


def visible(username, province) -> bool:
    scope = SCOPE[username]
    return scope is None or province in scope
