"""Fill Allocation.committed_vnd for the rows that exist: the approvals' sum, as budget defines it."""

from django.db import migrations
from django.db.models import Sum


def fill(apps, schema_editor):
    from proposals.lifecycle import COUNTED_STATES

    Allocation = apps.get_model("funding", "Allocation")
    Proposal = apps.get_model("proposals", "Proposal")
    sums = (
        Proposal.objects.filter(state__in=COUNTED_STATES)
        .values("province_id", "year", "fund_id")
        .annotate(total=Sum("approved_support_vnd"))
        .order_by()
    )
    for row in sums:
        Allocation.objects.filter(
            province_id=row["province_id"], year=row["year"], fund_id=row["fund_id"]
        ).update(committed_vnd=row["total"] or 0)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0007_field_validators"),
        ("funding", "0005_versions_and_history"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
