"""Free-text outcome indicators (and plan-target descriptions) onto the SPEC §3.2 catalogue.

A row whose name is a catalogue name (case, diacritics, spacing and a trailing "(unit)" folded)
gets that indicator; the others keep their text as "other", listed in the admin for mapping.
"""

import re

from django.db import migrations

from khuyencong.text import normalise

_UNIT_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


def _folded(text):
    return normalise(_UNIT_SUFFIX.sub("", text or "")).strip(" .:;")


def _catalogue(apps):
    OutputIndicator = apps.get_model("funding", "OutputIndicator")
    return {_folded(i.name): i for i in OutputIndicator.objects.all()}


def forwards(apps, schema_editor):
    catalogue = _catalogue(apps)
    OutcomeIndicator = apps.get_model("proposals", "OutcomeIndicator")
    taken = set(
        OutcomeIndicator.objects.filter(indicator__isnull=False).values_list(
            "proposal_id", "indicator_id"
        )
    )
    for row in OutcomeIndicator.objects.filter(indicator__isnull=True).iterator():
        match = catalogue.get(_folded(row.name))
        if match is None or (row.proposal_id, match.pk) in taken:
            continue
        taken.add((row.proposal_id, match.pk))
        row.indicator = match
        row.save(update_fields=["indicator"])

    PlanTarget = apps.get_model("funding", "PlanTarget")
    for target in PlanTarget.objects.filter(indicator__isnull=True, activity__isnull=True):
        match = catalogue.get(_folded(target.description))
        if match is not None:
            target.indicator = match
            target.save(update_fields=["indicator"])


class Migration(migrations.Migration):
    dependencies = [("proposals", "0010_outputs_on_the_catalogue")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
