"""Provinces move to the base app (it must import no app): state only, the table and its rows stay.

`facilities_province` keeps its name (Meta.db_table), so no row is copied and no foreign key
changes in the database. Every foreign key is re-pointed in its own app's state
(funding 0003, proposals 0006, registrations 0002, facilities 0004), then facilities 0004 drops
its old Province from the state. The content type is renamed too, so permissions given on
provinces and admin log entries follow the model.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="facilities", new="khuyencong"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="province").exists():
        ContentType.objects.using(db).filter(app_label=old, model="province").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="khuyencong", new="facilities")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('facilities', '0003_list_and_report_indexes'),  # the table exists, provinces.csv loaded
        ('khuyencong', '0002_data_version'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Province',
                    fields=[
                        ('slug', models.SlugField(max_length=40, primary_key=True, serialize=False, verbose_name='mã định danh')),
                        ('name', models.CharField(max_length=80, verbose_name='tên')),
                        ('kind', models.CharField(choices=[('tinh', 'Tỉnh'), ('thanh_pho', 'Thành phố')], max_length=10, verbose_name='loại')),
                        ('code_until_2025', models.CharField(blank=True, max_length=3, verbose_name='mã đến 30/6/2025')),
                        ('code_from_2025', models.CharField(blank=True, max_length=3, verbose_name='mã từ 1/7/2025')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='hiệu lực đến')),
                        ('successor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='predecessors', to='khuyencong.province', verbose_name='tỉnh kế thừa')),
                    ],
                    options={
                        'verbose_name': 'tỉnh, thành phố',
                        'verbose_name_plural': 'tỉnh, thành phố',
                        'db_table': 'facilities_province',
                        'ordering': ['name'],
                    },
                ),
                migrations.AlterField(
                    model_name='membership',
                    name='province',
                    field=models.ForeignKey(blank=True, help_text='Để trống với vai trò toàn quốc.', null=True, on_delete=django.db.models.deletion.PROTECT, to='khuyencong.province', verbose_name='tỉnh, thành phố'),
                ),
                migrations.AddConstraint(
                    model_name='province',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('successor__isnull', True), ('valid_to__isnull', True)), models.Q(('successor__isnull', False), ('valid_to__isnull', False)), _connector='OR'), name='province_ended_has_successor'),
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
