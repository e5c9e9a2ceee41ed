"""Allocations and plans point at the base's Province (khuyencong 0003); state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0002_reference_data'),
        ('khuyencong', '0003_province'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='allocation',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='khuyencong.province', verbose_name='tỉnh, thành phố'),
                ),
                migrations.AlterField(
                    model_name='plan',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='khuyencong.province', verbose_name='tỉnh, thành phố'),
                ),
            ],
        ),
    ]
