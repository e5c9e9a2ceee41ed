"""PostgreSQL itself refuses to rewrite events and field histories (khuyencong.append_only)."""

import pytest
from django.db import IntegrityError, connection, transaction

from facilities.models import Facility
from khuyencong import append_only
from proposals.models import ProposalEvent
from tests.builders import make_allocation, make_facility, make_proposal, make_user, walk_to

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers"),
]


def _refused(statement, *params):
    with pytest.raises(IntegrityError, match="never changed"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


def test_every_event_and_history_table_has_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
            [append_only.TRIGGER],
        )
        guarded = {row[0].strip('"') for row in cursor.fetchall()}
    expected = {
        "proposals_proposalevent",
        "registrations_registrationevent",
        "proposals_historicalproposal",
        "facilities_historicalfacility",
        "funding_historicalallocation",
        "funding_historicalplan",
    }
    assert expected <= guarded
    assert guarded == set(append_only.tables())


def test_an_event_cannot_be_edited_or_deleted_even_in_sql(cast):
    make_allocation()
    proposal = walk_to(make_proposal(), "approved", cast)
    event = ProposalEvent.objects.filter(proposal=proposal).latest("pk")
    _refused("UPDATE proposals_proposalevent SET comment = 'sửa lén' WHERE id = %s", event.pk)
    _refused("DELETE FROM proposals_proposalevent WHERE id = %s", event.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalEvent.objects.filter(pk=event.pk).update(comment="sửa lén")
    event.refresh_from_db()
    assert event.comment != "sửa lén"


def test_a_field_history_cannot_be_rewritten():
    facility = make_facility()
    facility.name = "Cơ sở Đức Thành mới"
    facility.save()
    first = Facility.history.order_by("history_id").first()
    _refused(
        "UPDATE facilities_historicalfacility SET name = 'khác' WHERE history_id = %s",
        first.history_id,
    )
    _refused("DELETE FROM facilities_historicalfacility WHERE history_id = %s", first.history_id)
    assert Facility.history.count() == 2


def test_deleting_an_account_only_empties_its_name_in_the_history():
    editor = make_user("editor")
    facility = make_facility()
    facility._history_user = editor  # what HistoryRequestMiddleware does for a page save
    facility.name = "Đổi tên"
    facility.save()
    record = Facility.history.filter(history_user=editor).get()
    editor.delete()
    record.refresh_from_db()
    assert record.history_user_id is None and record.name == "Đổi tên"
    # Emptying is all it may do: setting another user is still a rewrite.
    other = make_user("other")
    _refused(
        "UPDATE facilities_historicalfacility SET history_user_id = %s WHERE history_id = %s",
        other.pk,
        record.history_id,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # SET LOCAL: to a commit
def test_the_explicit_erasure_setting_allows_deletion_in_its_transaction_only():
    facility = make_facility()
    record = Facility.history.get(id=facility.pk)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL khuyencong.allow_erasure = 'on'")
        cursor.execute(
            "DELETE FROM facilities_historicalfacility WHERE history_id = %s", [record.history_id]
        )
    assert not Facility.history.filter(history_id=record.history_id).exists()
    facility.save()
    _refused("DELETE FROM facilities_historicalfacility WHERE id = %s", facility.pk)
