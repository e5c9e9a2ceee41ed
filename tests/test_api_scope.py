"""Every list and detail endpoint as every demo role, on own and other provinces: no leak."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from facilities.models import Facility
from funding.models import Allocation, Plan
from proposals.models import Proposal, ProposalEvent
from tests.api_world import SCOPE, USERS, build_world, visible

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "facilities": "facilities",
    "proposals": "proposals",
    "allocations": "allocations",
    "plans": "plans",
}


@pytest.fixture
def world(cast):
    return build_world(cast)


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("kind", ENDPOINTS)
def test_each_role_lists_exactly_the_provinces_it_may_see(world, username, kind):
    objects = getattr(world, kind)
    expected = {obj.pk for slug, obj in objects.items() if visible(username, slug)}
    response = world.client(username).get(f"/api/v1/{kind}/", {"page_size": 100})
    assert ids(response) == expected


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("kind", ENDPOINTS)
def test_each_role_reads_its_own_objects_and_gets_404_for_others(world, username, kind):
    client = world.client(username)
    for slug, obj in getattr(world, kind).items():
        response = client.get(f"/api/v1/{kind}/{obj.pk}/")
        if visible(username, slug):
            assert response.status_code == 200, (slug, response.content)
            assert response.json()["id"] == obj.pk
        else:
            assert response.status_code == 404, (slug, response.content)
            assert response.json() == {"detail": "Không tìm thấy."}


@pytest.mark.parametrize("username", USERS)
def test_each_role_reads_events_only_of_proposals_it_may_see(world, username):
    client = world.client(username)
    for slug, proposal in world.proposals.items():
        response = client.get(f"/api/v1/proposals/{proposal.pk}/transitions/")
        assert response.status_code == (200 if visible(username, slug) else 404)


def test_centre_phutho_reading_a_bac_ninh_proposal_gets_404(world):
    response = world.client("centre.phutho").get(
        f"/api/v1/proposals/{world.proposals['bac-ninh'].pk}/"
    )
    assert response.status_code == 404


def test_dept_bacninh_sees_bac_giang_history(world):
    response = world.client("dept.bacninh").get("/api/v1/proposals/", {"province": "bac-giang"})
    assert ids(response) == {world.proposals["bac-giang"].pk}


def test_dept_phutho_sees_hoa_binh_history(world):
    response = world.client("dept.phutho").get("/api/v1/proposals/", {"year": 2023})
    assert ids(response) == {world.proposals["hoa-binh"].pk}


def test_a_provincial_user_may_not_filter_its_way_into_another_province(world):
    response = world.client("centre.bacninh").get("/api/v1/proposals/", {"province": "phu-tho"})
    assert response.status_code == 400
    assert "province" in response.json()


def test_reference_data_is_the_same_for_everyone(world):
    for username in USERS:
        client = world.client(username)
        assert client.get("/api/v1/provinces/", {"page_size": 100}).json()["count"] == 63
        assert client.get("/api/v1/funds/").json()["count"] == 3
        assert client.get("/api/v1/contents/").json()["count"] == 9


def test_anonymous_callers_are_refused_everywhere(world):
    client = APIClient()
    for kind in [*ENDPOINTS, "provinces", "funds", "contents"]:
        assert client.get(f"/api/v1/{kind}/").status_code in (401, 403)


def _counts():
    return (
        Facility.objects.count(),
        Proposal.objects.count(),
        Allocation.objects.count(),
        Plan.objects.count(),
        ProposalEvent.objects.count(),
        list(Proposal.objects.order_by("pk").values_list("state", "version", "title")),
    )


@pytest.mark.parametrize("username", ["manager", "admin"])
def test_read_only_roles_get_403_for_every_write(world, username):
    client = world.client(username)
    before = _counts()
    posts = {
        "facilities": {"name": "X", "legal_form": "sme", "province": "bac-ninh"},
        "proposals": {
            "code": "X-1",
            "title": "X",
            "year": 2026,
            "province": "bac-ninh",
            "implementing_unit": "X",
            "fund": "provincial",
            "content": 1,
            "kind": "single",
        },
        "allocations": {
            "province": "bac-ninh",
            "year": 2027,
            "fund": "provincial",
            "amount_vnd": 1,
        },
        "plans": {
            "province": "bac-ninh",
            "fund": "national",
            "year_from": 2031,
            "year_to": 2035,
            "target_support_vnd": 1,
        },
    }
    for kind, body in posts.items():
        assert client.post(f"/api/v1/{kind}/", body, format="json").status_code == 403, kind
        for obj in getattr(world, kind).values():
            for method in (client.patch, client.put):
                response = method(f"/api/v1/{kind}/{obj.pk}/", {"version": 1}, format="json")
                assert response.status_code == 403, (kind, response.content)
    for proposal in world.proposals.values():
        for action in ("submit", "approve", "withdraw", "cancel"):
            response = client.post(
                f"/api/v1/proposals/{proposal.pk}/transitions/",
                {"action": action, "comment": "x"},
                format="json",
            )
            assert response.status_code == 403, (action, response.content)
    assert _counts() == before


@pytest.mark.parametrize("username", [u for u in USERS if SCOPE[u] is not None])
def test_provincial_staff_cannot_write_to_another_provinces_objects(world, username):
    client = world.client(username)
    before = _counts()
    for kind in ENDPOINTS:
        for slug, obj in getattr(world, kind).items():
            if visible(username, slug):
                continue
            response = client.patch(f"/api/v1/{kind}/{obj.pk}/", {"version": 1}, format="json")
            assert response.status_code == 404, (kind, slug)
    for slug, proposal in world.proposals.items():
        if not visible(username, slug):
            response = client.post(
                f"/api/v1/proposals/{proposal.pk}/transitions/",
                {"action": "submit"},
                format="json",
            )
            assert response.status_code == 404
    assert _counts() == before


@pytest.mark.parametrize("kind", [*ENDPOINTS, "provinces"])
def test_list_queries_do_not_grow_with_the_rows(cast, kind):
    def queries(page_size):
        client = APIClient()
        client.force_authenticate(User.objects.get(username="ministry"))  # nothing cached
        cache.clear()  # count what computing costs, not a cached copy
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/{kind}/", {"page_size": page_size})
        assert response.status_code == 200
        return len(captured)

    build_world(cast)
    assert queries(1) == queries(100)
