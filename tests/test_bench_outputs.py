"""The benchmark's generated proposals name an activity type of their content and plan catalogue
outputs (SPEC §3.1, §3.2), accepted ones with their actuals, so reports' outputs are measured."""

import pytest
from django.db.models import F

from proposals.models import OutcomeIndicator, Proposal

pytestmark = pytest.mark.django_db


def test_generated_proposals_have_activities_and_catalogue_outputs(db):
    from bench.generate import generate

    generate(120, seed=7, clear_first=True, log=lambda _message: None)
    proposals = Proposal.objects.all()
    assert not proposals.filter(activity=None).exists()
    assert not proposals.exclude(activity__content=F("content")).exists()
    outputs = OutcomeIndicator.objects.all()
    assert outputs.exists()
    assert not outputs.filter(indicator=None).exists()
    accepted = outputs.filter(proposal__state__in=["accepted", "settled"])
    assert accepted.exists() and not accepted.filter(actual=None).exists()
    assert (
        not outputs.exclude(proposal__state__in=["accepted", "settled"])
        .exclude(actual=None)
        .exists()
    )
    models = outputs.filter(indicator="demo_models")
    assert set(models.values_list("proposal__activity", flat=True)) <= {"demo_model"}
    assert set(models.values_list("planned", flat=True)) <= {1}
