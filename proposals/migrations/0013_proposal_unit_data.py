"""Each proposal's implementing unit from its free text: a mention of regional centre 1, 2 or 3
("khu vực 1", "KV1") names that regional centre, anything else the proposal's provincial centre.
The text stays as the note it was."""

import re

from django.db import migrations

from khuyencong.text import normalise

# normalise() folds case and diacritics: "Khu vực 2" → "khu vuc 2".
REGIONAL = re.compile(r"\b(?:khu vuc|kv)\s*\.?\s*([123])\b")


def regional_number(text):
    found = REGIONAL.search(normalise(text or ""))
    return int(found.group(1)) if found else None


def forwards(apps, schema_editor):
    Proposal = apps.get_model("proposals", "Proposal")
    Unit = apps.get_model("khuyencong", "Unit")
    centres = dict(Unit.objects.filter(kind="centre").values_list("province_id", "pk"))
    regional = {}
    for unit in Unit.objects.filter(kind="regional_centre"):
        number = regional_number(unit.name)
        if number:
            regional[number] = unit.pk
    by_text = {}
    for text in Proposal.objects.values_list("implementing_unit", flat=True).distinct():
        number = regional_number(text)
        if number in regional:
            by_text[text] = regional[number]
    for text, unit in by_text.items():
        Proposal.objects.filter(implementing_unit=text, unit__isnull=True).update(unit=unit)
    for province, unit in centres.items():
        Proposal.objects.filter(province_id=province, unit__isnull=True).update(unit=unit)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0012_proposal_unit"), ("khuyencong", "0005_seed_units")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
