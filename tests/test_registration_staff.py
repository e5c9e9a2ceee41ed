"""The centre's side: queue, detail, suggestions, match, create facility, convert, decline."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from facilities.models import Facility
from proposals.models import Attachment, Proposal
from registrations import workflow
from registrations.models import Registration, RegistrationEvent
from tests.builders import TRIEU, centre_of, make_registration
from tests.registration_support import (  # noqa: F401 - fixtures
    PDF,
    client_for,
    fresh_cache,
    private_media,
)

pytestmark = pytest.mark.django_db
THIS_YEAR = datetime.date.today().year


def with_pdf():
    upload = SimpleUploadedFile("bao-gia.pdf", PDF, content_type="application/pdf")
    return [(upload, "application/pdf")]


# --- Who sees what ----------------------------------------------------------------------------


def test_the_queue_lists_the_provinces_registrations_for_centre_and_department(cast):
    mine = make_registration("bac-ninh")
    other = make_registration("phu-tho", tax_code="2600999001")
    for username in ("centre.bacninh", "dept.bacninh"):
        response = client_for(cast[username]).get("/registrations/")
        assert response.status_code == 200
        assert list(response.context["page"]) == [mine], username
        assert other.code not in response.content.decode()


def test_a_registration_is_visible_only_to_its_provinces_centre_and_department(cast):
    registration = make_registration("bac-ninh")
    url = registration.get_absolute_url()
    assert client_for(cast["centre.bacninh"]).get(url).status_code == 200
    assert client_for(cast["dept.bacninh"]).get(url).status_code == 200
    for outsider in ("centre.phutho", "dept.phutho", "ministry", "manager"):
        assert client_for(cast[outsider]).get(url).status_code == 404, outsider


def test_people_without_a_provincial_role_get_no_queue(cast):
    assert client_for(cast["ministry"]).get("/registrations/").status_code == 403
    assert Client().get("/registrations/").status_code == 302  # to the login page


def test_the_menu_shows_the_queue_to_centre_and_department_only(cast):
    link = 'href="/registrations/"'
    assert link in client_for(cast["centre.bacninh"]).get("/").content.decode()
    assert link in client_for(cast["dept.phutho"]).get("/").content.decode()
    assert link not in client_for(cast["ministry"]).get("/").content.decode()


def test_attachments_download_only_for_staff_who_see_the_registration(cast):
    registration = make_registration("bac-ninh", uploads=with_pdf())
    item = registration.files.get()
    url = f"/registrations/{registration.pk}/files/{item.pk}/"
    response = client_for(cast["dept.bacninh"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client_for(cast["centre.phutho"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_department_reads_but_may_not_act(cast):
    registration = make_registration("bac-ninh")
    dept = client_for(cast["dept.bacninh"])
    page = dept.get(registration.get_absolute_url()).content.decode()
    assert "Lập dự thảo đề án" not in page
    assert dept.post(f"/registrations/{registration.pk}/review/").status_code == 403
    assert dept.get(f"/registrations/{registration.pk}/convert/").status_code == 403
    assert (
        dept.post(f"/registrations/{registration.pk}/decline/", {"reason": "x"}).status_code == 403
    )
    registration.refresh_from_db()
    assert registration.status == "received"


# --- Suggestions and matching -----------------------------------------------------------------


def test_matching_finds_an_existing_facility_by_tax_code(cast):
    facility = Facility.objects.create(
        name="Tên hoàn toàn khác", legal_form="sme", tax_code="2300999001", province_id="bac-ninh"
    )
    registration = make_registration("bac-ninh", tax_code="2300999001")
    found = workflow.suggestions(registration, cast["centre.bacninh"])
    assert [(s.facility, s.by_tax_code, s.by_name) for s in found] == [(facility, True, False)]


def test_matching_finds_a_facility_whose_name_differs_only_in_diacritics_or_case(cast):
    facility = Facility.objects.create(
        name="HTX MÂY TRE DUC THANH", legal_form="cooperative", province_id="bac-ninh"
    )
    registration = make_registration("bac-ninh", name="Hợp tác xã mây tre Đức Thành", tax_code="")
    found = workflow.suggestions(registration, cast["centre.bacninh"])
    assert [(s.facility, s.by_tax_code, s.by_name) for s in found] == [(facility, False, True)]


def test_suggestions_come_from_the_provinces_lineage_only(cast):
    absorbed = Facility.objects.create(
        name="Mây tre Đức Thành", legal_form="household", province_id="bac-giang"
    )
    Facility.objects.create(name="Mây tre Đức Thành", legal_form="household", province_id="phu-tho")
    registration = make_registration("bac-ninh", tax_code="")
    found = workflow.suggestions(registration, cast["centre.bacninh"])
    assert [s.facility for s in found] == [absorbed]


def test_the_detail_page_shows_suggestions_and_matching_writes_an_event(
    cast, django_capture_on_commit_callbacks
):
    facility = Facility.objects.create(
        name="HTX Mây tre Đức Thành", legal_form="cooperative", province_id="bac-ninh"
    )
    registration = make_registration("bac-ninh")
    centre = client_for(cast["centre.bacninh"])
    assert facility.name in centre.get(registration.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = centre.post(
            f"/registrations/{registration.pk}/match/", {"facility": facility.pk}
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.facility, registration.status) == (facility, "reviewing")
    event = registration.events.get(action="match")
    assert (event.actor, event.from_status, event.to_status, event.facility) == (
        cast["centre.bacninh"],
        "received",
        "reviewing",
        facility,
    )
    assert [m.to for m in mail.outbox] == [["htx.ducthanh@example.vn"]]
    assert "Đang xem xét" in mail.outbox[0].subject


def test_matching_to_another_provinces_facility_is_not_found(cast):
    elsewhere = Facility.objects.create(name="X", legal_form="sme", province_id="phu-tho")
    registration = make_registration("bac-ninh")
    centre = client_for(cast["centre.bacninh"])
    response = centre.post(f"/registrations/{registration.pk}/match/", {"facility": elsewhere.pk})
    assert response.status_code == 404
    assert registration.events.count() == 1


def test_the_centre_creates_the_facility_from_the_registration(cast):
    registration = make_registration("bac-ninh", employees=25)
    centre = client_for(cast["centre.bacninh"])
    centre.post(f"/registrations/{registration.pk}/create-facility/")
    registration.refresh_from_db()
    facility = registration.facility
    assert (facility.name, facility.tax_code, facility.province_id, facility.employees) == (
        "Hợp tác xã Mây tre ĐỨC Thành",
        "2300999001",
        "bac-ninh",
        25,
    )
    assert registration.events.filter(action="create_facility", facility=facility).exists()


def test_creating_a_facility_whose_tax_code_exists_is_refused_with_the_reason(cast):
    Facility.objects.create(
        name="Đã có", legal_form="sme", tax_code="2300999001", province_id="bac-ninh"
    )
    registration = make_registration("bac-ninh")
    centre = client_for(cast["centre.bacninh"])
    response = centre.post(f"/registrations/{registration.pk}/create-facility/", follow=True)
    assert "2300999001" in response.content.decode()
    assert Facility.objects.count() == 1
    registration.refresh_from_db()
    assert registration.facility is None
    assert registration.status == "received"


# --- Converting into a draft proposal ---------------------------------------------------------


def test_the_convert_form_is_prefilled_from_the_registration(cast):
    registration = make_registration("bac-ninh")
    form = client_for(cast["centre.bacninh"]).get(f"/registrations/{registration.pk}/convert/")
    initial = form.context["form"].initial
    assert initial["title"].startswith("Hỗ trợ máy chẻ nan tự động")
    assert initial["fund"] == "provincial"
    assert initial["year"] == THIS_YEAR
    assert initial["content"] == 3
    assert (initial["support_vnd"], initial["counterpart_vnd"]) == (300 * TRIEU, 450 * TRIEU)


def convert_data(**overrides):
    data = {
        "facility": "",
        "code": f"BN-{THIS_YEAR}-DK-001",
        "title": "Hỗ trợ máy chẻ nan tự động cho HTX Đức Thành",
        "year": str(THIS_YEAR),
        "fund": "provincial",
        "content": "3",
        "implementing_unit": "Trung tâm Khuyến công Bắc Ninh",
        "support_vnd": "300",
        "counterpart_vnd": "450",
    }
    data.update(overrides)
    return data


def test_converting_creates_a_draft_proposal_with_the_beneficiary_events_and_mail(
    cast, django_capture_on_commit_callbacks
):
    registration = make_registration("bac-ninh", uploads=with_pdf())
    centre = client_for(cast["centre.bacninh"])
    with django_capture_on_commit_callbacks(execute=True):
        response = centre.post(f"/registrations/{registration.pk}/convert/", convert_data())
    proposal = Proposal.objects.get(code=f"BN-{THIS_YEAR}-DK-001")
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert (proposal.state, proposal.province_id, proposal.year, proposal.fund_id) == (
        "draft",
        "bac-ninh",
        THIS_YEAR,
        "provincial",
    )
    assert (proposal.support_vnd, proposal.counterpart_vnd, proposal.kind) == (
        300 * TRIEU,
        450 * TRIEU,
        "single",
    )
    assert proposal.created_by == cast["centre.bacninh"]
    beneficiary = proposal.beneficiaries.get()
    assert beneficiary.facility.tax_code == "2300999001"
    assert (beneficiary.support_vnd, beneficiary.counterpart_vnd) == (300 * TRIEU, 450 * TRIEU)

    registration.refresh_from_db()
    assert (registration.status, registration.proposal, registration.facility) == (
        "accepted",
        proposal,
        beneficiary.facility,
    )
    steps = list(registration.events.values_list("action", "from_status", "to_status"))
    assert steps == [
        ("submit", "", "received"),
        ("create_facility", "received", "received"),
        ("convert", "received", "accepted"),
    ]
    assert registration.events.get(action="convert").actor == cast["centre.bacninh"]

    # The applicant's document travelled with it.
    copied = Attachment.objects.get(proposal=proposal)
    assert copied.original_name == "bao-gia.pdf"
    assert copied.file.read() == PDF

    # One mail, of the outcome, to the applicant.
    assert [m.to for m in mail.outbox] == [["htx.ducthanh@example.vn"]]
    assert proposal.code in mail.outbox[0].body
    assert "Đã đưa vào đề án" in mail.outbox[0].subject


def test_converting_with_a_matched_facility_uses_it(cast):
    facility = Facility.objects.create(
        name="HTX Mây tre Đức Thành", legal_form="cooperative", province_id="bac-ninh"
    )
    registration = make_registration("bac-ninh")
    workflow.match(registration.pk, cast["centre.bacninh"], facility)
    proposal = workflow.convert(registration.pk, cast["centre.bacninh"])
    assert list(proposal.beneficiaries.values_list("facility", flat=True)) == [facility.pk]
    assert Facility.objects.count() == 1
    assert proposal.fund_id == "provincial"
    assert proposal.code.startswith(f"DK-{THIS_YEAR}-")


def test_a_proposal_rule_refuses_the_conversion_and_nothing_is_saved(cast):
    Proposal.objects.create(
        code="TAKEN-1",
        title="x",
        year=THIS_YEAR,
        province_id="bac-ninh",
        unit=centre_of("bac-ninh"),
        implementing_unit="x",
        fund_id="provincial",
        content_id=1,
        kind="single",
    )
    registration = make_registration("bac-ninh")
    centre = client_for(cast["centre.bacninh"])
    response = centre.post(
        f"/registrations/{registration.pk}/convert/", convert_data(code="TAKEN-1")
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    registration.refresh_from_db()
    assert (registration.status, registration.facility) == ("received", None)
    assert Facility.objects.count() == 0
    assert registration.events.count() == 1


def test_a_registration_is_converted_once(cast):
    registration = make_registration("bac-ninh")
    workflow.convert(registration.pk, cast["centre.bacninh"])
    centre = client_for(cast["centre.bacninh"])
    response = centre.post(
        f"/registrations/{registration.pk}/convert/", convert_data(code="BN-X-2"), follow=True
    )
    assert "Hồ sơ đã xử lý xong" in response.content.decode()
    assert Proposal.objects.count() == 1


# --- Declining --------------------------------------------------------------------------------


def test_declining_requires_a_reason(cast):
    registration = make_registration("bac-ninh")
    centre = client_for(cast["centre.bacninh"])
    response = centre.post(f"/registrations/{registration.pk}/decline/", {"reason": "   "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    registration.refresh_from_db()
    assert registration.status == "received"
    with pytest.raises(workflow.ValidationError):
        workflow.decline(registration.pk, cast["centre.bacninh"], "")
    assert registration.events.count() == 1


def test_declining_with_a_reason_records_it_and_tells_the_applicant(
    cast, django_capture_on_commit_callbacks
):
    registration = make_registration("bac-ninh")
    centre = client_for(cast["centre.bacninh"])
    with django_capture_on_commit_callbacks(execute=True):
        centre.post(
            f"/registrations/{registration.pk}/decline/",
            {"reason": "Cơ sở đã nhận hỗ trợ cùng nội dung năm trước."},
        )
    registration.refresh_from_db()
    assert registration.status == "declined"
    assert registration.decline_reason == "Cơ sở đã nhận hỗ trợ cùng nội dung năm trước."
    event = RegistrationEvent.objects.get(action="decline")
    assert (event.from_status, event.to_status, event.comment) == (
        "received",
        "declined",
        "Cơ sở đã nhận hỗ trợ cùng nội dung năm trước.",
    )
    assert "Cơ sở đã nhận hỗ trợ cùng nội dung năm trước." in mail.outbox[0].body


def test_reviewing_moves_a_received_registration_on(cast):
    registration = make_registration("bac-ninh")
    client_for(cast["centre.bacninh"]).post(f"/registrations/{registration.pk}/review/")
    registration.refresh_from_db()
    assert registration.status == "reviewing"
    assert registration.events.filter(action="review", actor=cast["centre.bacninh"]).exists()


def test_events_are_never_edited(cast):
    registration = make_registration("bac-ninh")
    event = registration.events.get()
    with pytest.raises(workflow.ValidationError):
        event.save()
    with pytest.raises(workflow.ValidationError):
        event.delete()


def test_the_queue_searches_ignoring_diacritics_and_filters_by_status(cast):
    make_registration("bac-ninh", name="Cơ sở gốm ĐỨC Minh", tax_code="2300999011")
    declined = make_registration("bac-ninh", name="Cơ sở chè Xuân", tax_code="2300999012")
    workflow.decline(declined.pk, cast["centre.bacninh"], "Không thuộc diện.")
    centre = client_for(cast["centre.bacninh"])
    found = centre.get("/registrations/", {"q": "duc minh"}).context["page"]
    assert [r.name for r in found] == ["Cơ sở gốm ĐỨC Minh"]
    assert [r.name for r in centre.get("/registrations/").context["page"]] == ["Cơ sở gốm ĐỨC Minh"]
    closed = centre.get("/registrations/", {"status": "declined"}).context["page"]
    assert [r.name for r in closed] == ["Cơ sở chè Xuân"]
    assert Registration.objects.count() == 2


def test_the_convert_form_starts_from_the_facility_with_the_same_tax_code(cast):
    facility = Facility.objects.create(
        name="Tên khác", legal_form="sme", tax_code="2300999001", province_id="bac-ninh"
    )
    registration = make_registration("bac-ninh")
    page = client_for(cast["centre.bacninh"]).get(f"/registrations/{registration.pk}/convert/")
    assert page.context["form"].initial["facility"] == facility.pk


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_for_two_rows_as_for_twenty(cast):
    centre = client_for(cast["centre.bacninh"])
    for i in range(2):
        make_registration("bac-ninh", tax_code=f"23009990{i:02d}", uploads=with_pdf())
    few_page = count_queries(centre, "/registrations/")
    few_api = count_queries(centre, "/api/v1/registrations/")
    for i in range(2, 20):
        make_registration("bac-ninh", tax_code=f"23009990{i:02d}", uploads=with_pdf())
    assert count_queries(centre, "/registrations/") == few_page
    assert count_queries(centre, "/api/v1/registrations/") == few_api


def test_a_file_lost_from_storage_is_404_and_does_not_block_the_proposal(cast):
    registration = make_registration("bac-ninh", uploads=with_pdf())
    item = registration.files.get()
    item.file.storage.delete(item.file.name)
    centre = client_for(cast["centre.bacninh"])
    assert centre.get(f"/registrations/{registration.pk}/files/{item.pk}/").status_code == 404
    proposal = workflow.convert(registration.pk, cast["centre.bacninh"])
    assert proposal.attachments.count() == 0
