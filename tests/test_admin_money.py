"""The admin cannot bypass the money rules: amounts, keys, decisions and states are read-only.

An admin once set an allocation 1 đồng below what approvals had committed; the proposal admin
edited approved amounts, province, year, fund and decision numbers.
"""

import pytest
from django.test import Client
from django.urls import reverse

from funding.models import Allocation, Plan
from tests.api_world import client_for
from tests.builders import TRIEU, make_allocation, make_facility, make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(cast):
    client = Client()
    client.force_login(cast["admin"])
    return client


def test_the_admin_cannot_lower_an_allocation_below_what_was_approved(admin_client):
    allocation = make_allocation(amount_vnd=1_000 * TRIEU)
    make_proposal(state="approved", approved_support_vnd=900 * TRIEU)
    url = reverse("admin:funding_allocation_change", args=[allocation.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="amount_vnd"' not in page.content.decode()
    response = admin_client.post(
        url,
        {
            "province": "bac-ninh",
            "year": "2026",
            "fund": "provincial",
            "amount_vnd": str(900 * TRIEU - 1),
            "decision_number": "giả mạo",
            "note": "ghi chú của quản trị",
        },
    )
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert (allocation.amount_vnd, allocation.decision_number) == (1_000 * TRIEU, "")
    assert allocation.note == "ghi chú của quản trị"
    assert allocation.version == 2  # an open edit page learns that the row moved


def test_the_admin_cannot_enter_an_allocation_around_the_rules(admin_client):
    response = admin_client.get(reverse("admin:funding_allocation_add"))
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_the_admin_cannot_change_a_plans_money_or_period(admin_client):
    plan = Plan.objects.create(
        province_id="bac-ninh", fund_id="provincial", year_from=2026, year_to=2030
    )
    html = admin_client.get(reverse("admin:funding_plan_change", args=[plan.pk])).content.decode()
    for name in ("target_support_vnd", "province", "fund", "year_from", "year_to"):
        assert f'name="{name}"' not in html


def test_the_proposal_admin_shows_money_keys_decisions_and_state_read_only(admin_client):
    proposal = make_proposal(
        state="approved", approved_support_vnd=400 * TRIEU, decision_number="1/QĐ"
    )
    page = admin_client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for name in (
        "approved_support_vnd",
        "province",
        "year",
        "fund",
        "decision_number",
        "decision_date",
        "state",
    ):
        assert f'name="{name}"' not in html, name
    proposal.refresh_from_db()
    assert proposal.approved_support_vnd == 400 * TRIEU


def test_an_admin_edit_of_a_facility_moves_its_version_so_an_open_edit_is_refused(
    admin_client, cast
):
    facility = make_facility(tax_code="2300000001")
    url = reverse("admin:facilities_facility_change", args=[facility.pk])
    response = admin_client.post(
        url,
        {
            "name": "Tên do quản trị sửa",
            "legal_form": "sme",
            "tax_code": "2300000001",
            "province": "bac-ninh",
            "area_class": "normal",
        },
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.name, facility.version) == ("Tên do quản trị sửa", 2)
    stale = client_for(cast["centre.bacninh"]).patch(
        f"/api/v1/facilities/{facility.pk}/", {"name": "Tên cũ", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert [c["field"] for c in stale.json()["changes"]] == ["name"]
