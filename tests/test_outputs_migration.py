"""The migration that moved free-text outcome indicators onto the SPEC §3.2 catalogue."""

import importlib

import pytest
from django.apps import apps

from funding.models import PlanTarget
from proposals.models import OutcomeIndicator
from tests.builders import make_plan, make_proposal

pytestmark = pytest.mark.django_db

migration = importlib.import_module("proposals.migrations.0011_outputs_on_the_catalogue_data")


def test_names_that_are_catalogue_names_get_the_key_and_the_others_stay_other():
    proposal = make_proposal()
    rows = [
        # Case, diacritics, spacing and a trailing "(unit)" do not matter.
        OutcomeIndicator.objects.create(
            proposal=proposal, name="LAO ĐỘNG được đào tạo  nghề (người)", unit="người", planned=40
        ),
        OutcomeIndicator.objects.create(
            proposal=proposal, name="Mô hình trình diễn kỹ thuật", unit="mô hình", planned=1
        ),
        # Not a catalogue name: kept as it was, for an administrator to map.
        OutcomeIndicator.objects.create(
            proposal=proposal, name="Công suất mô hình", unit="tấn/năm", planned=60_000
        ),
    ]
    migration.forwards(apps, None)
    mapped = {
        row.name: row.indicator_id
        for row in OutcomeIndicator.objects.filter(pk__in=[r.pk for r in rows])
    }
    assert mapped == {
        "LAO ĐỘNG được đào tạo  nghề (người)": "trainees",
        "Mô hình trình diễn kỹ thuật": "demo_models",
        "Công suất mô hình": None,
    }


def test_the_same_indicator_twice_on_one_proposal_maps_only_the_first():
    proposal = make_proposal()
    first = OutcomeIndicator.objects.create(proposal=proposal, name="Lượt tư vấn", planned=5)
    second = OutcomeIndicator.objects.create(proposal=proposal, name="lượt tư vấn", planned=7)
    migration.forwards(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.indicator_id, second.indicator_id) == ("consultations", None)


def test_plan_target_descriptions_that_are_catalogue_names_get_the_indicator():
    plan = make_plan()
    named = PlanTarget.objects.create(
        plan=plan, content_id=3, description="Cơ sở được hỗ trợ máy móc thiết bị", count=42
    )
    free = PlanTarget.objects.create(plan=plan, content_id=3, description="Máy in 3D", count=2)
    migration.forwards(apps, None)
    named.refresh_from_db()
    free.refresh_from_db()
    assert (named.indicator_id, free.indicator_id) == ("machinery_facilities", None)
