"""Two staff acting on one registration at once, on PostgreSQL: one wins, the other hears 409.

SQLite serialises every write and ignores SELECT … FOR UPDATE, so the race needs PostgreSQL.
"""

import pytest
from django.db import connection

from demo.data import create_demo_accounts
from proposals.models import Proposal
from registrations.models import RegistrationEvent
from tests.builders import make_registration
from tests.races import race
from tests.registration_support import (  # noqa: F401 - fixtures
    fresh_cache,
    private_media,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_conversions_at_once_make_one_proposal_and_one_409():
    create_demo_accounts("x-password-123")
    registration = make_registration("bac-ninh")
    url = f"/api/v1/registrations/{registration.pk}/convert/"
    answers = race(
        "centre.bacninh", [("post", url, {"code": "RACE-A"}), ("post", url, {"code": "RACE-B"})]
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.content for a in answers]
    assert Proposal.objects.count() == 1
    assert RegistrationEvent.objects.filter(action="convert").count() == 1
    # The loser's facility was not created either: one facility, the proposal's beneficiary.
    assert RegistrationEvent.objects.filter(action="create_facility").count() == 1


def test_a_conversion_and_a_decline_at_once_leave_one_outcome():
    create_demo_accounts("x-password-123")
    registration = make_registration("bac-ninh")
    base = f"/api/v1/registrations/{registration.pk}"
    answers = race(
        "centre.bacninh",
        [
            ("post", f"{base}/convert/", {"code": "RACE-C"}),
            ("post", f"{base}/decline/", {"reason": "Không."}),
        ],
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.content for a in answers]
    registration.refresh_from_db()
    assert (registration.status == "accepted") == Proposal.objects.exists()
    closing = RegistrationEvent.objects.filter(action__in=["convert", "decline"])
    assert closing.count() == 1
