"""/api/v1/proposals/{id}/progress/, /payments/ and /attachments/: the same rules as the pages."""

import datetime

import pytest
from rest_framework.test import APIClient

from proposals.models import Payment, Proposal
from tests.builders import TRIEU, make_proposal

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def proposal(db):
    p = make_proposal(
        "API-IMP",
        title="x",
        implementing_unit="x",
        support_vnd=1_000 * TRIEU,
        counterpart_vnd=0,
        state="in_progress",
        approved_support_vnd=1_000 * TRIEU,
    )
    p.record_final_figures(1_000 * TRIEU, 0, 0)
    p.save()
    return p


def url(proposal, tail):
    return f"/api/v1/proposals/{proposal.pk}/{tail}"


def test_the_centre_reports_progress_once_a_month(cast, proposal):
    month = datetime.date.today().replace(day=1).isoformat()
    body = {"month": month, "percent_complete": 30, "narrative": "Đã mua máy."}
    first = api(cast["centre.bacninh"]).post(url(proposal, "progress/"), body, format="json")
    assert first.status_code == 201, first.json()
    again = api(cast["centre.bacninh"]).post(url(proposal, "progress/"), body, format="json")
    assert again.status_code == 400 and "month" in again.json()
    listed = api(cast["manager"]).get(url(proposal, "progress/")).json()
    assert [r["percent_complete"] for r in listed] == [30]
    report_id = first.json()["id"]
    comment = {"department_comment": "Đề nghị gửi kèm ảnh."}
    assert (
        api(cast["centre.bacninh"])
        .post(url(proposal, f"progress/{report_id}/comment/"), comment, format="json")
        .status_code
        == 403
    )
    done = api(cast["dept.bacninh"]).post(
        url(proposal, f"progress/{report_id}/comment/"), comment, format="json"
    )
    assert (
        done.status_code == 200
        and done.json()["department_comment"] == comment["department_comment"]
    )


def test_advances_over_70_percent_are_refused_with_a_clear_error(cast, proposal):
    client = api(cast["centre.bacninh"])
    ok = client.post(
        url(proposal, "payments/"), {"kind": "advance", "amount_vnd": 700 * TRIEU}, format="json"
    )
    assert ok.status_code == 201
    over = client.post(
        url(proposal, "payments/"), {"kind": "advance", "amount_vnd": 1}, format="json"
    )
    assert over.status_code == 400 and "70 %" in over.json()["amount_vnd"][0]
    floaty = client.post(
        url(proposal, "payments/"), {"kind": "advance", "amount_vnd": 1.5}, format="json"
    )
    assert floaty.status_code == 400
    assert Payment.objects.count() == 1


def test_only_the_department_decides_and_a_refusal_needs_a_reason(cast, proposal):
    payment = (
        api(cast["centre.bacninh"])
        .post(
            url(proposal, "payments/"),
            {"kind": "advance", "amount_vnd": 100 * TRIEU},
            format="json",
        )
        .json()
    )
    decision = url(proposal, f"payments/{payment['id']}/decision/")
    assert (
        api(cast["centre.bacninh"]).post(decision, {"approve": True}, format="json").status_code
        == 403
    )
    assert (
        api(cast["dept.bacninh"]).post(decision, {"approve": False}, format="json").status_code
        == 400
    )
    done = api(cast["dept.bacninh"]).post(decision, {"approve": True}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "approved"


def test_another_province_sees_nothing(cast, proposal):
    for tail in ("progress/", "payments/", "attachments/"):
        assert api(cast["centre.phutho"]).get(url(proposal, tail)).status_code == 404
    assert (
        api(cast["dept.phutho"])
        .post(url(proposal, "payments/"), {"kind": "advance", "amount_vnd": 1}, format="json")
        .status_code
        == 404
    )


def test_a_settled_proposal_refuses_changes_through_the_api(cast, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(state="settled")
    client = api(cast["centre.bacninh"])
    assert (
        client.post(
            url(proposal, "payments/"), {"kind": "final", "amount_vnd": 1}, format="json"
        ).status_code
        == 409
    )
    assert client.patch(
        f"/api/v1/proposals/{proposal.pk}/", {"title": "y", "version": 1}, format="json"
    ).status_code in (403, 409)
    assert (
        client.post(
            url(proposal, "progress/"),
            {"month": datetime.date.today().isoformat(), "percent_complete": 1, "narrative": "x"},
            format="json",
        ).status_code
        == 409
    )
    proposal.refresh_from_db()
    assert proposal.title == "x" and not proposal.payments.exists()


def test_attachments_are_uploaded_checked_and_listed(cast, proposal):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client = api(cast["centre.bacninh"])
    bad = SimpleUploadedFile("du-toan.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url(proposal, "attachments/"), {"file": bad}, format="multipart")
    assert response.status_code == 400
    good = SimpleUploadedFile("du-toan.pdf", pdf, content_type="application/pdf")
    response = client.post(
        url(proposal, "attachments/"), {"file": good, "description": "Dự toán"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    listed = api(cast["manager"]).get(url(proposal, "attachments/")).json()
    assert [a["original_name"] for a in listed] == ["du-toan.pdf"]
    assert (
        api(cast["manager"])
        .post(url(proposal, "attachments/"), {"file": good}, format="multipart")
        .status_code
        == 403
    )
