"""/api/v1/registrations/: staff read and act; the public submits through the page only."""

import datetime

import pytest
from django.core import mail
from rest_framework.test import APIClient

from facilities.models import Facility
from proposals.models import Proposal
from registrations.models import Registration
from tests.builders import TRIEU, make_registration
from tests.registration_support import (  # noqa: F401 - fixtures
    fresh_cache,
    private_media,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/registrations/"
THIS_YEAR = datetime.date.today().year


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_list_holds_only_the_callers_province(cast):
    mine = make_registration("bac-ninh")
    make_registration("phu-tho", tax_code="2600999001")
    body = api(cast["dept.bacninh"]).get(URL).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["code"], row["province"], row["status"]) == (mine.code, "bac-ninh", "received")
    assert row["requested_support_vnd"] == 300 * TRIEU
    assert row["actions"] == []  # the department reads only
    assert api(cast["ministry"]).get(URL).json()["count"] == 0


def test_another_provinces_registration_is_not_found(cast):
    registration = make_registration("bac-ninh")
    assert api(cast["centre.bacninh"]).get(f"{URL}{registration.pk}/").status_code == 200
    for outsider in ("centre.phutho", "dept.phutho", "ministry"):
        client = api(cast[outsider])
        assert client.get(f"{URL}{registration.pk}/").status_code == 404
        response = client.post(f"{URL}{registration.pk}/decline/", {"reason": "x"}, format="json")
        assert response.status_code == 404


def test_the_api_refuses_anonymous_and_staff_submissions(cast):
    payload = {"name": "Robot", "province": "bac-ninh"}
    assert api().post(URL, payload, format="json").status_code in (401, 403)
    assert api(cast["centre.bacninh"]).post(URL, payload, format="json").status_code == 405
    assert Registration.objects.count() == 0


def test_the_centre_sees_its_actions_and_the_department_may_not_act(cast):
    registration = make_registration("bac-ninh")
    row = api(cast["centre.bacninh"]).get(f"{URL}{registration.pk}/").json()
    assert row["actions"] == ["review", "match", "create_facility", "convert", "decline"]
    response = api(cast["dept.bacninh"]).post(f"{URL}{registration.pk}/review/")
    assert response.status_code == 403


def test_declining_through_the_api_requires_a_reason(cast):
    registration = make_registration("bac-ninh")
    client = api(cast["centre.bacninh"])
    response = client.post(f"{URL}{registration.pk}/decline/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = client.post(f"{URL}{registration.pk}/decline/", {}, format="json")
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == "received"

    response = client.post(
        f"{URL}{registration.pk}/decline/", {"reason": "Không thuộc diện."}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decline_reason"]) == (
        "declined",
        "Không thuộc diện.",
    )
    again = client.post(f"{URL}{registration.pk}/decline/", {"reason": "Lần nữa"}, format="json")
    assert again.status_code == 409


def test_suggestions_through_the_api(cast):
    facility = Facility.objects.create(
        name="htx may tre duc thanh", legal_form="cooperative", province_id="bac-giang"
    )
    registration = make_registration("bac-ninh", tax_code="")
    found = api(cast["centre.bacninh"]).get(f"{URL}{registration.pk}/suggestions/").json()
    assert found == [
        {
            "id": facility.pk,
            "name": "htx may tre duc thanh",
            "tax_code": None,
            "province": "bac-giang",
            "by_tax_code": False,
            "by_name": True,
        }
    ]


def test_converting_through_the_api_with_defaults(cast, django_capture_on_commit_callbacks):
    registration = make_registration("bac-ninh")
    client = api(cast["centre.bacninh"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{URL}{registration.pk}/convert/", {"facility": None}, format="json"
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    proposal = Proposal.objects.get(pk=body["proposal"])
    assert body["status"] == "accepted"
    assert (proposal.state, proposal.fund_id, proposal.year, proposal.province_id) == (
        "draft",
        "provincial",
        THIS_YEAR,
        "bac-ninh",
    )
    beneficiary = proposal.beneficiaries.get()
    assert (beneficiary.support_vnd, beneficiary.counterpart_vnd) == (300 * TRIEU, 450 * TRIEU)
    assert [e["action"] for e in body["events"]] == ["submit", "create_facility", "convert"]
    assert len(mail.outbox) == 1


def test_converting_through_the_api_with_a_chosen_facility_and_fund(cast):
    facility = Facility.objects.create(
        name="Cơ sở có sẵn", legal_form="sme", province_id="bac-ninh", tax_code="2300000077"
    )
    registration = make_registration("bac-ninh")
    response = api(cast["centre.bacninh"]).post(
        f"{URL}{registration.pk}/convert/",
        {
            "facility": facility.pk,
            "fund": "national",
            "support_vnd": 250 * TRIEU,
            "code": "BN-API-1",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    proposal = Proposal.objects.get(code="BN-API-1")
    assert (proposal.fund_id, proposal.support_vnd) == ("national", 250 * TRIEU)
    assert proposal.beneficiaries.get().facility == facility
    assert response.json()["facility"] == facility.pk


def test_converting_to_a_facility_of_another_province_is_refused(cast):
    elsewhere = Facility.objects.create(name="Khác", legal_form="sme", province_id="phu-tho")
    registration = make_registration("bac-ninh")
    response = api(cast["centre.bacninh"]).post(
        f"{URL}{registration.pk}/convert/", {"facility": elsewhere.pk}, format="json"
    )
    assert response.status_code == 400
    assert "facility" in response.json()
    assert Proposal.objects.count() == 0


def test_a_proposal_rule_answers_400_by_field(cast):
    registration = make_registration("bac-ninh")
    response = api(cast["centre.bacninh"]).post(
        f"{URL}{registration.pk}/convert/", {"support_vnd": 1.5}, format="json"
    )
    assert response.status_code == 400
    assert "support_vnd" in response.json()


def test_the_list_filters_by_status(cast):
    make_registration("bac-ninh")
    closed = make_registration("bac-ninh", tax_code="2300999077")
    client = api(cast["centre.bacninh"])
    client.post(f"{URL}{closed.pk}/decline/", {"reason": "Không thuộc diện."}, format="json")
    assert client.get(URL, {"status": "open"}).json()["count"] == 1
    assert client.get(URL, {"status": "declined"}).json()["results"][0]["code"] == closed.code
    assert client.get(URL, {"statuss": "open"}).status_code == 400
