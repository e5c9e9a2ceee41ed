"""Seed the implementing units: one provincial centre per province (old and current, so history
keeps its centre) and the ministry's three regional centres with the provinces each serves."""

from django.db import migrations

# Today's provinces each regional centre serves; the provinces they absorbed in 2025 follow.
REGIONS = {
    1: [
        "ha-noi", "tuyen-quang", "cao-bang", "thai-nguyen", "lao-cai", "dien-bien", "lai-chau",
        "son-la", "phu-tho", "lang-son", "quang-ninh", "bac-ninh", "hai-phong", "hung-yen",
        "ninh-binh", "thanh-hoa", "nghe-an", "ha-tinh",
    ],
    2: ["quang-tri", "hue", "da-nang", "quang-ngai", "gia-lai", "dak-lak", "khanh-hoa", "lam-dong"],
    3: [
        "ho-chi-minh", "dong-nai", "tay-ninh", "can-tho", "vinh-long", "dong-thap", "ca-mau",
        "an-giang",
    ],
}
REGIONAL_NAME = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp khu vực {n}"


def seed(apps, schema_editor):
    Province = apps.get_model("khuyencong", "Province")
    Unit = apps.get_model("khuyencong", "Unit")
    provinces = list(Province.objects.all())
    for province in provinces:
        Unit.objects.get_or_create(
            kind="centre",
            province=province,
            defaults={
                "name": f"Trung tâm Khuyến công {province.name}",
                "short_name": f"TTKC {province.name}",
                # A centre of a province absorbed in 2025 keeps its history, takes no new work.
                "active": province.valid_to is None,
            },
        )
    for n, today in REGIONS.items():
        unit, _ = Unit.objects.get_or_create(
            kind="regional_centre",
            name=REGIONAL_NAME.format(n=n),
            defaults={"short_name": f"TTKC&TVPTCN KV{n}"},
        )
        served = [p for p in provinces if p.slug in today or p.successor_id in today]
        unit.provinces_served.set(served)


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0004_unit")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
