"""The database itself refuses impossible money and duplicate keys."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from khuyencong.models import Membership
from proposals.models import Beneficiary, ProposalEvent, check_beneficiary_sums
from tests.builders import make_allocation, make_facility, make_plan, make_proposal

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize("field", ["support_vnd", "counterpart_vnd", "other_vnd"])
def test_it_refuses_negative_proposal_amounts(field):
    refused(lambda: make_proposal(**{field: -1}))


def test_it_refuses_negative_allocations_and_plan_targets():
    refused(lambda: make_allocation("bac-ninh", 2026, "national", amount_vnd=-1))
    refused(
        lambda: make_plan("bac-ninh", "national", 2026, 2030, target_support_vnd=-5, targets=())
    )


def test_it_refuses_a_plan_that_ends_before_it_starts():
    refused(lambda: make_plan("bac-ninh", "national", 2030, 2026, targets=()))


def test_it_refuses_two_allocations_for_the_same_year_and_fund():
    make_allocation("bac-ninh", 2026, "national", amount_vnd=1)
    refused(lambda: make_allocation("bac-ninh", 2026, "national", amount_vnd=2))


def test_it_refuses_duplicate_proposal_codes():
    make_proposal()
    refused(lambda: make_proposal())


def test_it_refuses_amounts_beyond_a_64_bit_integer():
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - driver-specific error
        make_proposal(support_vnd=2**63)


def test_tax_codes_are_unique_when_present_and_optional_otherwise():
    make_facility(name="A", tax_code="123")
    make_facility(name="B", legal_form="household", tax_code="")
    make_facility(name="C", legal_form="household")
    refused(lambda: make_facility(name="D", tax_code="123"))


def test_a_facility_is_a_beneficiary_once_per_proposal():
    proposal = make_proposal()
    facility = make_facility(name="A")
    Beneficiary.objects.create(proposal=proposal, facility=facility, support_vnd=1)
    refused(lambda: Beneficiary.objects.create(proposal=proposal, facility=facility))
    refused(
        lambda: Beneficiary.objects.create(
            proposal=make_proposal(code="T-2"), facility=facility, support_vnd=-1
        )
    )


def test_beneficiary_amounts_must_add_up_to_the_proposal():
    proposal = make_proposal(support_vnd=100_000_000, counterpart_vnd=50_000_000)
    check_beneficiary_sums(proposal, [])  # no beneficiaries is allowed
    check_beneficiary_sums(
        proposal,
        [
            {"support_vnd": 60_000_000, "counterpart_vnd": 20_000_000},
            {"support_vnd": 40_000_000, "counterpart_vnd": 30_000_000},
        ],
    )
    with pytest.raises(ValidationError) as error:
        check_beneficiary_sums(proposal, [{"support_vnd": 90_000_000, "counterpart_vnd": 0}])
    assert set(error.value.message_dict) == {"support_vnd", "counterpart_vnd"}
    assert "90" in error.value.message_dict["support_vnd"][0]


def test_a_proposal_must_belong_to_a_province_that_existed_in_its_year():
    make_proposal(code="HB-2023", year=2023, province="hoa-binh").full_clean()
    with pytest.raises(ValidationError) as error:
        make_proposal(code="HB-2026", year=2026, province="hoa-binh").full_clean()
    assert "Phú Thọ" in error.value.message_dict["province"][0]


def test_provincial_roles_need_a_province_and_national_roles_none(cast):
    user = cast["manager"]
    refused(lambda: Membership.objects.create(user=user, role="centre"))
    refused(lambda: Membership.objects.create(user=user, role="ministry", province_id="bac-ninh"))


def test_events_cannot_be_edited_or_deleted():
    event = ProposalEvent.objects.create(
        proposal=make_proposal(), action="submit", from_state="draft", to_state="submitted"
    )
    event.comment = "sửa"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
