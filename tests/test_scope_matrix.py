"""Every object page and API endpoint, as every demo role, on its own and another province.

A provincial user asking for another province's object gets 404 (never 403, never the data);
nobody ever gets a 500. Objects of Bắc Ninh are the "own" side of the Bắc Ninh staff, those of
Phú Thọ the "other" side, and the other way round for Phú Thọ's staff.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from proposals.models import Attachment, Payment, ProgressReport
from tests.builders import make_allocation, make_facility, make_plan, make_proposal

pytestmark = pytest.mark.django_db

PROVINCIAL = {
    "centre.bacninh": "bac-ninh",
    "dept.bacninh": "bac-ninh",
    "centre.phutho": "phu-tho",
    "dept.phutho": "phu-tho",
}
NATIONAL = ["ministry", "manager", "admin"]


def world_for(province):
    facility = make_facility(province, f"T-{province}", name=f"Cơ sở {province}")
    proposal = make_proposal(
        f"M-{province}",
        province,
        title="x",
        implementing_unit="x",
        support_vnd=10,
        counterpart_vnd=0,
        state="in_progress",
        approved_support_vnd=10,
    )
    report = ProgressReport.objects.create(
        proposal=proposal, month="2026-10-01", percent_complete=5, narrative="x"
    )
    payment = Payment.objects.create(proposal=proposal, kind="advance", amount_vnd=1)
    attachment = Attachment(
        proposal=proposal, original_name="x.pdf", content_type="application/pdf", size=1
    )
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    allocation = make_allocation(province, 2026, "provincial", amount_vnd=100)
    plan = make_plan(
        province, "provincial", 2026, targets=({"indicator_id": "trainees", "count": 5},)
    )
    return {
        "plan": plan,
        "facility": facility,
        "proposal": proposal,
        "report": report,
        "payment": payment,
        "attachment": attachment,
        "allocation": allocation,
    }


def pages(w):
    p = w["proposal"].pk
    return [
        ("get", reverse("proposals:detail", args=[p])),
        ("get", reverse("proposals:edit", args=[p])),
        ("get", reverse("proposals:transition", args=[p, "accept"])),
        ("get", reverse("proposals:attachment", args=[p, w["attachment"].pk])),
        ("post", reverse("proposals:attachment-upload", args=[p])),
        ("post", reverse("proposals:progress-create", args=[p])),
        ("post", reverse("proposals:progress-comment", args=[p, w["report"].pk])),
        ("post", reverse("proposals:payment-request", args=[p])),
        ("post", reverse("proposals:payment-decide", args=[p, w["payment"].pk])),
        ("get", reverse("facilities:detail", args=[w["facility"].pk])),
        ("get", reverse("facilities:edit", args=[w["facility"].pk])),
        ("get", reverse("funding:edit", args=[w["allocation"].pk])),
        ("get", reverse("plans:detail", args=[w["plan"].pk])),
        ("get", reverse("plans:edit", args=[w["plan"].pk])),
        ("post", reverse("plans:edit", args=[w["plan"].pk])),
    ]


def api_endpoints(w):
    p = w["proposal"].pk
    return [
        ("get", f"/api/v1/proposals/{p}/"),
        ("patch", f"/api/v1/proposals/{p}/"),
        ("get", f"/api/v1/proposals/{p}/transitions/"),
        ("post", f"/api/v1/proposals/{p}/transitions/"),
        ("get", f"/api/v1/proposals/{p}/progress/"),
        ("get", f"/api/v1/proposals/{p}/payments/"),
        ("post", f"/api/v1/proposals/{p}/payments/{w['payment'].pk}/decision/"),
        ("get", f"/api/v1/proposals/{p}/attachments/"),
        ("get", f"/api/v1/facilities/{w['facility'].pk}/"),
        ("patch", f"/api/v1/facilities/{w['facility'].pk}/"),
        ("get", f"/api/v1/allocations/{w['allocation'].pk}/"),
        ("patch", f"/api/v1/allocations/{w['allocation'].pk}/"),
        ("get", f"/api/v1/plans/{w['plan'].pk}/"),
        ("patch", f"/api/v1/plans/{w['plan'].pk}/"),
    ]


@pytest.fixture
def worlds(cast):
    return {"bac-ninh": world_for("bac-ninh"), "phu-tho": world_for("phu-tho")}


@pytest.mark.parametrize("username", list(PROVINCIAL))
def test_another_provinces_objects_are_not_found_on_any_page(cast, worlds, username):
    other = "phu-tho" if PROVINCIAL[username] == "bac-ninh" else "bac-ninh"
    client = Client()
    client.force_login(cast[username])
    for method, url in pages(worlds[other]):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (username, method, url, response.status_code)


@pytest.mark.parametrize("username", list(PROVINCIAL))
def test_another_provinces_objects_are_not_found_in_the_api(cast, worlds, username):
    other = "phu-tho" if PROVINCIAL[username] == "bac-ninh" else "bac-ninh"
    client = APIClient()
    client.force_authenticate(cast[username])
    for method, url in api_endpoints(worlds[other]):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 404, (username, method, url, response.status_code)


@pytest.mark.parametrize("username", list(PROVINCIAL) + NATIONAL)
def test_own_or_national_scope_never_errors_and_never_hides(cast, worlds, username):
    own = PROVINCIAL.get(username, "bac-ninh")
    client, api = Client(), APIClient()
    client.force_login(cast[username])
    api.force_authenticate(cast[username])
    for method, url in pages(worlds[own]):
        response = getattr(client, method)(url)
        assert response.status_code in (200, 302, 403, 409), (username, method, url)
    for method, url in api_endpoints(worlds[own]):
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code in (200, 400, 403, 409), (username, method, url)


def test_lists_never_show_another_province(cast, worlds):
    for username, own in PROVINCIAL.items():
        other = "phu-tho" if own == "bac-ninh" else "bac-ninh"
        client, api = Client(), APIClient()
        client.force_login(cast[username])
        api.force_authenticate(cast[username])
        for url in (
            reverse("proposals:list"),
            reverse("facilities:list"),
            reverse("funding:list"),
            reverse("proposals:queue"),
            reverse("plans:list"),
        ):
            html = client.get(url).content.decode()
            assert f"M-{other}" not in html and f"Cơ sở {other}" not in html, (username, url)
            assert reverse("plans:detail", args=[worlds[other]["plan"].pk]) not in html
        for url in (
            "/api/v1/proposals/",
            "/api/v1/facilities/",
            "/api/v1/allocations/",
            "/api/v1/plans/",
        ):
            body = api.get(url).content.decode()
            assert other not in body, (username, url)
