"""Facilities, allocations and plans carry a version: a stale write is refused, never lost.

The API answers 409 naming the fields changed since the version sent; a page shows what changed.
Without a version the write still works (SPEC §9) and is applied to the row as it is now.
"""

import pytest
from django.urls import reverse

from funding.models import Allocation, Plan
from tests.api_world import client_for
from tests.builders import TRIEU, make_allocation, make_facility

pytestmark = pytest.mark.django_db


def test_every_api_representation_carries_the_version(cast):
    facility = make_facility()
    allocation = make_allocation()
    plan = Plan.objects.create(
        province_id="bac-ninh", fund_id="provincial", year_from=2026, year_to=2030
    )
    client = client_for(cast["dept.bacninh"])
    assert client.get(f"/api/v1/facilities/{facility.pk}/").json()["version"] == 1
    assert client.get(f"/api/v1/allocations/{allocation.pk}/").json()["version"] == 1
    assert client.get(f"/api/v1/plans/{plan.pk}/").json()["version"] == 1


def test_it_refuses_a_stale_facility_patch_naming_the_changed_fields(cast):
    facility = make_facility()
    client = client_for(cast["centre.bacninh"])
    url = f"/api/v1/facilities/{facility.pk}/"
    first = client.patch(url, {"phone": "0222 3 123 456", "version": 1}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = client.patch(url, {"employees": 12, "version": 1}, format="json")
    assert stale.status_code == 409, stale.content
    body = stale.json()
    assert body["current_version"] == 2
    assert [c["field"] for c in body["changes"]] == ["phone"]
    facility.refresh_from_db()
    assert (facility.phone, facility.employees, facility.version) == ("0222 3 123 456", None, 2)


def test_it_refuses_a_stale_allocation_patch_naming_the_changed_fields(cast):
    allocation = make_allocation(amount_vnd=5_000 * TRIEU)
    client = client_for(cast["dept.bacninh"])
    url = f"/api/v1/allocations/{allocation.pk}/"
    raised = client.patch(url, {"amount_vnd": 9_000 * TRIEU, "version": 1}, format="json")
    assert raised.status_code == 200, raised.content
    stale = client.patch(url, {"decision_number": "7/QĐ-UBND", "version": 1}, format="json")
    assert stale.status_code == 409, stale.content
    assert [c["field"] for c in stale.json()["changes"]] == ["amount_vnd"]
    allocation.refresh_from_db()
    assert (allocation.amount_vnd, allocation.decision_number) == (9_000 * TRIEU, "")


def test_it_refuses_a_stale_plan_patch(cast):
    plan = Plan.objects.create(
        province_id="bac-ninh", fund_id="provincial", year_from=2026, year_to=2030
    )
    client = client_for(cast["dept.bacninh"])
    url = f"/api/v1/plans/{plan.pk}/"
    assert client.patch(url, {"note": "Lần 1", "version": 1}, format="json").status_code == 200
    stale = client.patch(url, {"target_support_vnd": 7 * TRIEU, "version": 1}, format="json")
    assert stale.status_code == 409
    plan.refresh_from_db()
    assert (plan.note, plan.target_support_vnd, plan.version) == ("Lần 1", 0, 2)


def test_a_patch_without_version_still_works_and_moves_the_version(cast):
    facility = make_facility()
    allocation = make_allocation()
    client = client_for(cast["dept.bacninh"])
    response = client.patch(f"/api/v1/facilities/{facility.pk}/", {"employees": 3}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    response = client.patch(
        f"/api/v1/allocations/{allocation.pk}/", {"note": "bổ sung"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2


def test_an_allocation_page_opened_before_an_api_raise_is_refused_with_what_changed(client, cast):
    allocation = make_allocation(amount_vnd=5_000 * TRIEU)
    client.force_login(cast["dept.bacninh"])
    url = reverse("funding:edit", args=[allocation.pk])
    page = client.get(url)
    assert page.context["form"]["version"].value() == 1
    api = client_for(cast["dept.bacninh"])
    raised = api.patch(
        f"/api/v1/allocations/{allocation.pk}/",
        {"amount_vnd": 9_000 * TRIEU, "decision_number": "9/QĐ-UBND", "version": 1},
        format="json",
    )
    assert raised.status_code == 200
    response = client.post(
        url, {"amount_vnd": "5.000", "decision_number": "", "note": "", "version": "1"}
    )
    assert response.status_code == 200
    labels = {c.label for c in response.context["stale"].changes}
    assert labels == {"Kinh phí phân bổ (đồng)", "Số quyết định"}
    assert "người khác sửa" in response.content.decode()
    allocation.refresh_from_db()
    assert (allocation.amount_vnd, allocation.decision_number) == (9_000 * TRIEU, "9/QĐ-UBND")


def test_a_facility_page_opened_before_another_edit_is_refused_with_what_changed(client, cast):
    facility = make_facility(tax_code="2300000001")
    client.force_login(cast["centre.bacninh"])
    url = reverse("facilities:edit", args=[facility.pk])
    assert client.get(url).context["form"]["version"].value() == 1
    api = client_for(cast["dept.bacninh"])
    api.patch(f"/api/v1/facilities/{facility.pk}/", {"employees": 40}, format="json")
    data = {
        "name": "Cơ sở Đức Thành mới",
        "legal_form": "sme",
        "tax_code": "2300000001",
        "province": "bac-ninh",
        "area_class": "normal",
        "version": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert [c.label for c in response.context["stale"].changes] == ["Số lao động"]
    facility.refresh_from_db()
    assert (facility.name, facility.employees) == ("Cơ sở Đức Thành", 40)


def test_allocation_history_says_who_raised_the_amount(client, cast):
    allocation = make_allocation(amount_vnd=5_000 * TRIEU)
    client_for(cast["dept.bacninh"]).patch(
        f"/api/v1/allocations/{allocation.pk}/", {"amount_vnd": 9_000 * TRIEU}, format="json"
    )
    record = Allocation.history.filter(id=allocation.pk).latest("history_date")
    assert record.history_user == cast["dept.bacninh"]
    client.force_login(cast["dept.bacninh"])
    html = client.get(reverse("funding:edit", args=[allocation.pk])).content.decode()
    assert "5.000 triệu đồng" in html and "9.000 triệu đồng" in html
    assert cast["dept.bacninh"].last_name in html
