"""Registrations point at the base's Province (khuyencong 0003); state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('khuyencong', '0003_province'),
        ('registrations', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='registration',
                    name='province',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='khuyencong.province', verbose_name='tỉnh, thành phố'),
                ),
            ],
        ),
    ]
