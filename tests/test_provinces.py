import datetime

import pytest

from khuyencong.models import Province

pytestmark = pytest.mark.django_db


def test_migrate_loads_all_63_provinces_and_the_34_of_today():
    assert Province.objects.count() == 63
    assert Province.objects.current().count() == 34


def test_bac_giang_rolls_into_bac_ninh():
    bac_giang = Province.objects.get(slug="bac-giang")
    assert bac_giang.valid_to == datetime.date(2025, 6, 30)
    assert bac_giang.today().slug == "bac-ninh"


def test_a_province_lists_its_predecessors():
    phu_tho = Province.objects.get(slug="phu-tho")
    assert {p.slug for p in phu_tho.predecessors.all()} == {"vinh-phuc", "hoa-binh"}
    assert phu_tho.lineage_slugs() == {"phu-tho", "vinh-phuc", "hoa-binh"}


def test_a_continuing_province_is_its_own_today():
    assert Province.objects.get(slug="ha-noi").today().slug == "ha-noi"


def test_an_absorbed_province_existed_until_2025_only():
    hoa_binh = Province.objects.get(slug="hoa-binh")
    assert hoa_binh.existed_in(2023)
    assert hoa_binh.existed_in(2025)
    assert not hoa_binh.existed_in(2026)
    assert {p.slug for p in Province.objects.existing_in(2026)} >= {"phu-tho"}
    assert "hoa-binh" not in {p.slug for p in Province.objects.existing_in(2026)}


def test_the_code_in_force_follows_the_reform():
    bac_ninh = Province.objects.get(slug="bac-ninh")
    assert bac_ninh.code_on(datetime.date(2024, 1, 1)) == bac_ninh.code_until_2025
    assert bac_ninh.code_on(datetime.date(2025, 7, 1)) == "24"


def test_every_successor_is_a_province_of_today():
    for province in Province.objects.filter(successor__isnull=False):
        assert province.successor.valid_to is None
    assert Province.objects.filter(successor__isnull=False).count() == 29
