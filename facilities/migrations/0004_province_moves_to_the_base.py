"""Facilities point at the base's Province, then the old one leaves the state (khuyencong 0003).

State only: the table `facilities_province` and every row stay where they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('facilities', '0003_list_and_report_indexes'),
        ('funding', '0003_province_in_the_base'),
        ('khuyencong', '0003_province'),
        ('proposals', '0006_province_in_the_base'),
        ('registrations', '0002_province_in_the_base'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalfacility',
                    name='province',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='khuyencong.province', verbose_name='tỉnh, thành phố'),
                ),
                migrations.AlterField(
                    model_name='facility',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='khuyencong.province', verbose_name='tỉnh, thành phố'),
                ),
                migrations.DeleteModel(
                    name='Province',
                ),
            ],
        ),
    ]
