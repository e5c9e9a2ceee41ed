"""Load the 63 provinces and the 2025 succession map from facilities/provinces.csv."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "provinces.csv"


def load(apps, schema_editor):
    Province = apps.get_model("facilities", "Province")
    with CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        Province.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "code_until_2025": row["code_until_2025_06_30"],
                "code_from_2025": row["code_from_2025_07_01"],
            },
        )
    # Successors second, so every target row exists.
    for row in rows:
        if row["successor_slug"]:
            Province.objects.filter(slug=row["slug"]).update(
                valid_to=datetime.date.fromisoformat(row["valid_to"]),
                successor_id=row["successor_slug"],
            )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
