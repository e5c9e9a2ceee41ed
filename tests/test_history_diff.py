"""One history diff: the proposal timeline reads like the facility one (labels, money)."""

import pytest
from django.urls import reverse

from facilities.models import Facility
from proposals.editing import changes_since
from tests.builders import make_proposal

pytestmark = pytest.mark.django_db


def _edit(proposal):
    proposal.kind, proposal.support_vnd, proposal.version = "group", 650_000_000, 2
    proposal.save()


def test_the_proposal_timeline_shows_choice_labels_and_money_in_trieu(client, cast):
    proposal = make_proposal(support_vnd=500_000_000)
    _edit(proposal)
    client.force_login(cast["centre.bacninh"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Loại đề án: <del>Đề án đơn lẻ</del> &rarr; <ins>Đề án nhóm</ins>" in page
    assert (
        "Kinh phí khuyến công hỗ trợ (đồng): <del>500 triệu đồng</del> &rarr; "
        "<ins>650 triệu đồng</ins>" in page
    )
    assert "500000000" not in page and "single" not in page


def test_what_changed_since_a_stale_read_speaks_the_same_way():
    proposal = make_proposal(support_vnd=500_000_000)
    _edit(proposal)
    changes = {c.field: (c.old, c.new) for c in changes_since(proposal, 1)}
    assert changes == {
        "Loại đề án": ("Đề án đơn lẻ", "Đề án nhóm"),
        "Kinh phí khuyến công hỗ trợ (đồng)": ("500 triệu đồng", "650 triệu đồng"),
    }


def test_the_facility_timeline_uses_the_same_words(client, cast):
    facility = Facility.objects.create(name="Cơ sở A", province_id="bac-ninh", legal_form="sme")
    facility.legal_form, facility.employees = "cooperative", 1200
    facility.save()
    client.force_login(cast["centre.bacninh"])
    page = client.get(reverse("facilities:detail", args=[facility.pk])).content.decode()
    assert "Loại hình: <del>Doanh nghiệp nhỏ và vừa</del> &rarr; <ins>Hợp tác xã</ins>" in page
    assert "Số lao động: <del>—</del> &rarr; <ins>1.200</ins>" in page
