"""The proposal form's inline "new facility" row follows the facility rules (facilities.writing).

It used to check tax codes its own way: it showed another province's facility by name, let a
spaced code sit beside the same code, entered facilities under absorbed provinces and dropped a
tax code typed beside a chosen facility.
"""

import pytest
from django.test import Client
from django.urls import reverse

from facilities.models import Facility, normalise_tax_code
from proposals.models import Proposal
from tests.builders import make_facility
from tests.test_proposal_pages import form_data

pytestmark = pytest.mark.django_db


def post(user, **rows):
    client = Client()
    client.force_login(user)
    data = form_data(
        **{
            "ben-TOTAL_FORMS": "1",
            "ben-0-support_vnd": "300",
            "ben-0-counterpart_vnd": "150,5",
            **rows,
        }
    )
    return client.post(reverse("proposals:create"), data)


def new_row(name="Hộ kinh doanh gốm mới", tax_code=""):
    return {
        "ben-0-new_name": name,
        "ben-0-new_legal_form": "household",
        "ben-0-new_tax_code": tax_code,
    }


def test_a_tax_code_of_another_provinces_facility_does_not_reveal_it(cast):
    make_facility("phu-tho", "2600000001", name="Xưởng mộc Phú Thọ bí mật")
    response = post(cast["centre.bacninh"], **new_row(tax_code="2600000001"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xưởng mộc Phú Thọ bí mật" not in html
    assert "không có quyền xem" in html
    assert not Proposal.objects.exists()


def test_a_spaced_tax_code_does_not_sit_beside_the_same_code(cast):
    make_facility("bac-ninh", "2300000001", name="Công ty Đức Thắng")
    response = post(cast["centre.bacninh"], **new_row(tax_code="2300 000 001"))
    assert response.status_code == 200
    assert "đã được dùng cho cơ sở" in response.content.decode()
    assert Facility.objects.count() == 1
    assert not Proposal.objects.exists()


def test_a_new_facility_of_an_absorbed_provinces_proposal_goes_to_todays_province(cast):
    response = post(
        cast["centre.bacninh"], province="bac-giang", year="2024", **new_row(name="Cơ sở mây tre")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Proposal.objects.get().province_id == "bac-giang"
    assert Facility.objects.get(name="Cơ sở mây tre").province_id == "bac-ninh"


def test_a_tax_code_typed_beside_a_chosen_facility_must_be_its_own(cast):
    chosen = make_facility("bac-ninh", "2300000001", name="Công ty Đức Thắng")
    response = post(
        cast["centre.bacninh"],
        **{"ben-0-facility": str(chosen.pk), "ben-0-new_tax_code": "2300000009"},
    )
    assert response.status_code == 200
    assert "không phải mã số thuế của cơ sở đã chọn" in response.content.decode()
    assert not Proposal.objects.exists()
    response = post(
        cast["centre.bacninh"],
        **{"ben-0-facility": str(chosen.pk), "ben-0-new_tax_code": "2300 000 001"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("2300 000 001", "2300000001"),
        (" 0101.234.567-001 ", "0101234567-001"),
        ("", ""),
        (None, ""),
    ],
)
def test_tax_codes_have_one_stored_form(typed, stored):
    assert normalise_tax_code(typed) == stored
