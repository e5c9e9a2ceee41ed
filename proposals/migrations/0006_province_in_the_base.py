"""Proposals point at the base's Province (khuyencong 0003); state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('khuyencong', '0003_province'),
        ('proposals', '0005_province_cover'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalproposal',
                    name='province',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='khuyencong.province', verbose_name='tỉnh, thành phố'),
                ),
                migrations.AlterField(
                    model_name='proposal',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='khuyencong.province', verbose_name='tỉnh, thành phố'),
                ),
            ],
        ),
    ]
