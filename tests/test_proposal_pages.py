"""The proposal pages: list, search, create/edit with beneficiaries, detail, actions, files."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from facilities.models import Facility
from proposals.models import Attachment, Beneficiary, Proposal, ProposalEvent
from tests.builders import centre_of, make_allocation, make_facility

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def make(code="BN-T-001", state="draft", province="bac-ninh", **extra):
    fields = dict(
        code=code,
        title="Hỗ trợ máy móc cho cơ sở ĐỨC Thành",
        year=2026,
        province_id=province,
        implementing_unit="Trung tâm Khuyến công",
        fund_id="provincial",
        content_id=3,
        kind="single",
        support_vnd=500_000_000,
        counterpart_vnd=1_000_000_000,
        state=state,
    )
    fields.update(extra)
    fields.setdefault("unit", centre_of(fields["province_id"]))
    proposal = Proposal(**fields)
    proposal.save()
    return proposal


def form_data(**overrides):
    data = {
        "code": "BN-2026-DP-100",
        "title": "Đào tạo nghề gốm",
        "year": "2026",
        "province": "bac-ninh",
        "implementing_unit": "Trung tâm Khuyến công Bắc Ninh",
        "fund": "provincial",
        "content": "1",
        "activity": "vocational_training",
        "kind": "group",
        "objectives": "",
        "scale": "",
        "schedule": "",
        "start_date": "01/04/2026",
        "end_date": "30/11/2026",
        "support_vnd": "300",
        "counterpart_vnd": "150,5",
        "other_vnd": "",
        "ben-TOTAL_FORMS": "2",
        "ben-INITIAL_FORMS": "0",
        "ben-MIN_NUM_FORMS": "0",
        "ben-MAX_NUM_FORMS": "1000",
        "ind-TOTAL_FORMS": "1",
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
        "ind-0-name": "Lao động được đào tạo",
        "ind-0-unit": "người",
        "ind-0-planned": "35",
    }
    data.update(overrides)
    return data


def two_beneficiaries(existing: Facility):
    return {
        "ben-0-facility": str(existing.pk),
        "ben-0-support_vnd": "200",
        "ben-0-counterpart_vnd": "100",
        "ben-1-new_name": "Hộ kinh doanh gốm Phù Lãng mới",
        "ben-1-new_legal_form": "household",
        "ben-1-new_tax_code": "2300999999",
        "ben-1-support_vnd": "100.000.000 đ",
        "ben-1-counterpart_vnd": "50,5",
    }


@pytest.fixture
def facility(db):
    return make_facility(tax_code="2300100001", name="Công ty TNHH Bao bì Đức Thắng")


def test_search_finds_duc_whatever_the_case_and_diacritics(cast):
    make()
    client = client_for(cast["centre.bacninh"])
    for typed in ("duc", "ĐỨC", "Đức", "đức thành"):
        page = client.get(reverse("proposals:list"), {"q": typed})
        assert "BN-T-001" in page.content.decode(), typed
    assert "BN-T-001" not in client.get(reverse("proposals:list"), {"q": "xyz"}).content.decode()


def test_the_list_shows_only_the_users_provinces(cast):
    make()
    make(code="PT-T-001", province="phu-tho")
    make(code="BG-T-001", province="bac-giang", year=2020)
    html = client_for(cast["centre.bacninh"]).get(reverse("proposals:list")).content.decode()
    assert "BN-T-001" in html and "BG-T-001" in html and "PT-T-001" not in html
    html = client_for(cast["manager"]).get(reverse("proposals:list")).content.decode()
    assert "PT-T-001" in html and "BN-T-001" in html


@pytest.mark.parametrize("name", ["proposals:detail", "proposals:edit"])
def test_another_provinces_proposal_is_not_found(cast, name):
    proposal = make(province="phu-tho", code="PT-T-001")
    response = client_for(cast["centre.bacninh"]).get(reverse(name, args=[proposal.pk]))
    assert response.status_code == 404


def test_a_manager_reads_but_cannot_edit(cast):
    proposal = make()
    client = client_for(cast["manager"])
    page = client.get(proposal.get_absolute_url())
    assert page.status_code == 200
    assert reverse("proposals:edit", args=[proposal.pk]) not in page.content.decode()
    assert client.get(reverse("proposals:edit", args=[proposal.pk])).status_code == 403
    assert client.get(reverse("proposals:create")).status_code == 403


def test_a_centre_creates_a_proposal_with_two_beneficiaries(cast, facility):
    client = client_for(cast["centre.bacninh"])
    response = client.post(reverse("proposals:create"), form_data(**two_beneficiaries(facility)))
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = Proposal.objects.get(code="BN-2026-DP-100")
    assert (proposal.support_vnd, proposal.counterpart_vnd) == (300_000_000, 150_500_000)
    assert proposal.created_by == cast["centre.bacninh"]
    rows = {
        b.facility.name: (b.support_vnd, b.counterpart_vnd)
        for b in proposal.beneficiaries.select_related("facility")
    }
    assert rows == {
        "Công ty TNHH Bao bì Đức Thắng": (200_000_000, 100_000_000),
        "Hộ kinh doanh gốm Phù Lãng mới": (100_000_000, 50_500_000),
    }
    assert Facility.objects.get(tax_code="2300999999").province_id == "bac-ninh"
    assert proposal.indicators.get().planned == 35
    assert proposal.start_date == datetime.date(2026, 4, 1)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"support_vnd": "-5"}, "support_vnd", "không được âm"),
        ({"support_vnd": "30.72,3"}, "support_vnd", "không hợp lệ"),
        ({"support_vnd": "99999999999999 triệu"}, "support_vnd", "quá lớn"),
        ({"ben-0-support_vnd": "150"}, None, "Tổng hỗ trợ của các cơ sở"),
        ({"province": "hoa-binh"}, "province", "Phú Thọ"),
        ({"end_date": "01/01/2026"}, "end_date", "sau ngày bắt đầu"),
        ({"ben-1-new_tax_code": "2300100001"}, None, "đã được dùng cho cơ sở"),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(cast, facility, overrides, field, message):
    client = client_for(cast["centre.bacninh"])
    before = (Proposal.objects.count(), Facility.objects.count(), Beneficiary.objects.count())
    data = form_data(**two_beneficiaries(facility))
    data.update(overrides)
    response = client.post(reverse("proposals:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if field:
        assert field in response.context["form"].errors
    after = (Proposal.objects.count(), Facility.objects.count(), Beneficiary.objects.count())
    assert after == before


def test_province_choice_is_limited_to_the_centres_own_lineage(cast, facility):
    response = client_for(cast["centre.bacninh"]).post(
        reverse("proposals:create"), form_data(province="phu-tho")
    )
    assert "province" in response.context["form"].errors
    assert not Proposal.objects.filter(code="BN-2026-DP-100").exists()


def test_a_stale_edit_is_refused_and_shows_what_changed(cast):
    proposal = make()
    client = client_for(cast["centre.bacninh"])
    edit = reverse("proposals:edit", args=[proposal.pk])
    data = form_data(code=proposal.code, version="1", title="Tên mới của tôi")
    # A colleague saves first.
    colleague = client_for(cast["centre.bacninh"])
    assert (
        colleague.post(
            edit, form_data(code=proposal.code, version="1", title="Tên của đồng nghiệp")
        ).status_code
        == 302
    )
    response = client.post(edit, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "người khác sửa" in html and "Tên của đồng nghiệp" in html
    proposal.refresh_from_db()
    assert proposal.title == "Tên của đồng nghiệp" and proposal.version == 2


def test_the_department_approves_with_a_decision_number(cast):
    proposal = make(state="submitted")
    make_allocation("bac-ninh", 2026, "provincial", amount_vnd=2_000_000_000)
    client = client_for(cast["dept.bacninh"])
    url = reverse("proposals:transition", args=[proposal.pk, "approve"])
    assert "còn lại 2.000" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "decision_number": "45/QĐ-SCT",
            "decision_date": "20/11/2026",
            "approved_support_vnd": "450",
            "version": "1",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.approved_support_vnd) == ("approved", 450_000_000)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "45/QĐ-SCT" in html and "Phê duyệt" in html


def test_a_disabled_button_says_why(cast):
    proposal = make(state="submitted")
    html = client_for(cast["dept.bacninh"]).get(proposal.get_absolute_url()).content.decode()
    assert "disabled" in html and "Chưa có phân bổ" in html


def test_returning_requires_a_reason_and_is_on_the_timeline(cast):
    proposal = make(state="submitted")
    client = client_for(cast["dept.bacninh"])
    url = reverse("proposals:transition", args=[proposal.pk, "return"])
    response = client.post(url, {"comment": "", "version": "1"})
    assert response.status_code == 200 and "bắt buộc" in response.content.decode()
    client.post(url, {"comment": "Bổ sung dự toán chi tiết", "version": "1"})
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Bổ sung dự toán chi tiết" in html
    assert ProposalEvent.objects.filter(proposal=proposal, action="return").count() == 1


def test_a_wrong_role_gets_403_on_an_action_page(cast):
    proposal = make(state="submitted")
    url = reverse("proposals:transition", args=[proposal.pk, "approve"])
    assert client_for(cast["centre.bacninh"]).get(url).status_code == 403
    assert client_for(cast["dept.phutho"]).get(url).status_code == 404


def test_attachments_are_checked_and_served_only_within_scope(cast, settings):
    proposal = make()
    client = client_for(cast["centre.bacninh"])
    upload = reverse("proposals:attachment-upload", args=[proposal.pk])
    fake = SimpleUploadedFile("du-toan.pdf", b"not really a pdf", content_type="application/pdf")
    client.post(upload, {"file": fake})
    assert not Attachment.objects.exists()
    settings.ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("to.pdf", PDF, content_type="application/pdf")
    assert "quá lớn" in client.post(upload, {"file": big}, follow=True).content.decode()
    assert not Attachment.objects.exists()
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    good = SimpleUploadedFile("du-toan.pdf", PDF, content_type="application/pdf")
    client.post(upload, {"file": good, "description": "Dự toán"})
    attachment = Attachment.objects.get()
    url = reverse("proposals:attachment", args=[proposal.pk, attachment.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    assert client_for(cast["centre.phutho"]).get(url).status_code == 404


def test_the_queue_lists_what_waits_for_the_department(cast):
    make(state="submitted")
    make(code="BN-T-002")
    html = client_for(cast["dept.bacninh"]).get(reverse("proposals:queue")).content.decode()
    assert "BN-T-001" in html and "BN-T-002" not in html


def test_an_edit_cannot_move_a_proposal_to_another_province(cast):
    from django.core.exceptions import ValidationError

    from proposals.editing import save_proposal

    proposal = make()
    proposal.province_id = "phu-tho"
    with pytest.raises(ValidationError, match="tỉnh này"):
        save_proposal(proposal, cast["centre.bacninh"], expected_version=1)
    assert Proposal.objects.get(pk=proposal.pk).province_id == "bac-ninh"
