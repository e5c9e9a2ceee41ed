"""Parallel PATCHes of different fields of one facility or allocation, on PostgreSQL (SPEC §10).

Each round sends two PATCHes carrying the same version at once: exactly one is saved (200) and
the other is refused (409) naming the field the first changed; the saved change stays. Without
a version both changes are kept: the write path applies each to the locked row as it is then.
"""

import pytest
from django.db import connection

from demo.data import create_demo_accounts
from facilities.models import Facility
from funding.models import Allocation
from tests.builders import TRIEU, make_allocation, make_facility
from tests.races import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL; SQLite serialises writes "
        "and ignores SELECT … FOR UPDATE (run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROUNDS = 32


def one_saved_one_refused(answers, fields):
    """The saved answer's field, after checking the other was a 409 naming it."""
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409], [a.content for a in answers]
    saved = next(i for i, a in enumerate(answers) if a.status_code == 200)
    refused = answers[1 - saved].json()
    assert [c["field"] for c in refused["changes"]] == [fields[saved]]
    return fields[saved]


def test_parallel_facility_patches_with_one_version_save_one_and_refuse_the_other():
    create_demo_accounts("x-password-123")
    facility = make_facility()
    url = f"/api/v1/facilities/{facility.pk}/"
    for n in range(ROUNDS):
        version = Facility.objects.get(pk=facility.pk).version
        phone, employees = f"0222 000 {n:03d}", 100 + n
        answers = race(
            "centre.bacninh",
            [
                ("patch", url, {"phone": phone, "version": version}),
                ("patch", url, {"employees": employees, "version": version}),
            ],
        )
        field = one_saved_one_refused(answers, ["phone", "employees"])
        stored = Facility.objects.get(pk=facility.pk)
        assert stored.version == version + 1
        assert getattr(stored, field) == {"phone": phone, "employees": employees}[field], n


def test_parallel_allocation_patches_with_one_version_save_one_and_refuse_the_other():
    create_demo_accounts("x-password-123")
    allocation = make_allocation(amount_vnd=1_000 * TRIEU)
    url = f"/api/v1/allocations/{allocation.pk}/"
    for n in range(ROUNDS):
        version = Allocation.objects.get(pk=allocation.pk).version
        amount, decision = (2_000 + n) * TRIEU, f"{n}/QĐ-UBND"
        answers = race(
            "dept.bacninh",
            [
                ("patch", url, {"amount_vnd": amount, "version": version}),
                ("patch", url, {"decision_number": decision, "version": version}),
            ],
        )
        field = one_saved_one_refused(answers, ["amount_vnd", "decision_number"])
        stored = Allocation.objects.get(pk=allocation.pk)
        assert stored.version == version + 1
        assert getattr(stored, field) == {"amount_vnd": amount, "decision_number": decision}[field]


def test_parallel_patches_without_a_version_keep_both_changes():
    create_demo_accounts("x-password-123")
    facility = make_facility()
    allocation = make_allocation(amount_vnd=1_000 * TRIEU)
    for n in range(ROUNDS):
        answers = race(
            "centre.bacninh",
            [
                ("patch", f"/api/v1/facilities/{facility.pk}/", {"phone": f"0222 111 {n:03d}"}),
                ("patch", f"/api/v1/facilities/{facility.pk}/", {"employees": 200 + n}),
            ],
        )
        assert [a.status_code for a in answers] == [200, 200]
        stored = Facility.objects.get(pk=facility.pk)
        assert (stored.phone, stored.employees) == (f"0222 111 {n:03d}", 200 + n)
        answers = race(
            "dept.bacninh",
            [
                (
                    "patch",
                    f"/api/v1/allocations/{allocation.pk}/",
                    {"amount_vnd": (3_000 + n) * TRIEU},
                ),
                ("patch", f"/api/v1/allocations/{allocation.pk}/", {"decision_number": f"{n}/QĐ"}),
            ],
        )
        assert [a.status_code for a in answers] == [200, 200]
        stored = Allocation.objects.get(pk=allocation.pk)
        assert (stored.amount_vnd, stored.decision_number) == ((3_000 + n) * TRIEU, f"{n}/QĐ")
