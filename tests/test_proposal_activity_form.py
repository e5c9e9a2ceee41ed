"""The proposal page names an activity type (SPEC §3.1): offered by content, required for new
proposals, refused next to the field when it belongs to another content."""

import pytest
from django.test import Client
from django.urls import reverse

from proposals.models import Proposal
from tests.builders import make_proposal
from tests.test_proposal_pages import form_data

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_form_offers_activity_types_grouped_by_their_content(cast):
    html = client_for(cast["centre.bacninh"]).get(reverse("proposals:create")).content.decode()
    assert '<optgroup label="3. ' in html
    assert '<option value="machinery" data-content="3">' in html
    assert '<option value="fair" data-content="4">' in html
    assert "js/activity-select.js" in html


def test_a_new_proposal_without_an_activity_type_is_refused(cast):
    client = client_for(cast["centre.bacninh"])
    response = client.post(reverse("proposals:create"), form_data(activity=""))
    assert response.status_code == 200
    assert response.context["form"].errors["activity"] == ["Trường này là bắt buộc."]
    assert not Proposal.objects.filter(code="BN-2026-DP-100").exists()


def test_an_activity_type_of_another_content_is_refused_next_to_the_field(cast):
    client = client_for(cast["centre.bacninh"])
    response = client.post(reverse("proposals:create"), form_data(content="1", activity="fair"))
    assert response.status_code == 200
    [message] = response.context["form"].errors["activity"]
    assert message == (
        "Loại hoạt động “Hội chợ, triển lãm” thuộc nội dung 4, không thuộc nội dung 1 của đề án."
    )
    assert 'id="id_activity_error"' in response.content.decode()
    assert not Proposal.objects.filter(code="BN-2026-DP-100").exists()


def test_the_chosen_activity_type_is_saved(cast):
    client = client_for(cast["centre.bacninh"])
    response = client.post(
        reverse("proposals:create"), form_data(content="3", activity="demo_model")
    )
    assert response.status_code == 302
    assert Proposal.objects.get(code="BN-2026-DP-100").activity_id == "demo_model"


def test_a_proposal_entered_before_activity_types_is_still_edited_without_one(cast):
    proposal = make_proposal(code="BN-2026-DP-150", activity_id=None, content_id=1)
    client = client_for(cast["centre.bacninh"])
    data = form_data(
        code="BN-2026-DP-150",
        activity="",
        version=str(proposal.version),
        **{"ind-TOTAL_FORMS": "0"},
    )
    response = client.post(reverse("proposals:edit", args=[proposal.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    proposal.refresh_from_db()
    assert (proposal.title, proposal.activity_id) == ("Đào tạo nghề gốm", None)


def test_the_edit_page_of_another_province_is_not_found(cast):
    proposal = make_proposal(code="PT-2026-DP-150", province="phu-tho", activity_id="machinery")
    response = client_for(cast["centre.bacninh"]).get(reverse("proposals:edit", args=[proposal.pk]))
    assert response.status_code == 404
