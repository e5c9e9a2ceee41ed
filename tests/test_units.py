"""Implementing units (SPEC §4, §9): the seeded centres, who may implement where, the proposal's
unit and partners on the API and the pages, and /api/v1/units/."""

import importlib

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from khuyencong.models import Province, Unit
from proposals.models import Proposal
from tests.api_world import client_for
from tests.builders import TRIEU, centre_of, make_proposal, regional_centre
from tests.test_proposal_pages import form_data

pytestmark = pytest.mark.django_db

unit_data = importlib.import_module("proposals.migrations.0013_proposal_unit_data")


def body(**overrides):
    data = {
        "code": "BN-2026-QG-201",
        "title": "Mô hình trình diễn kỹ thuật sản xuất bao bì carton",
        "year": 2026,
        "province": "bac-ninh",
        "fund": "national",
        "content": 3,
        "activity": "demo_model",
        "kind": "single",
        "support_vnd": 900 * TRIEU,
    }
    data.update(overrides)
    return data


@pytest.fixture
def centre(cast):
    return client_for(cast["centre.bacninh"])


# -- the seeded units --


def test_every_province_old_and_new_has_its_provincial_centre():
    assert Unit.objects.filter(kind="centre").count() == 63
    bac_ninh = Unit.objects.get(kind="centre", province_id="bac-ninh")
    assert bac_ninh.name == "Trung tâm Khuyến công Bắc Ninh"
    assert bac_ninh.active
    # Bắc Giang's centre keeps its history but takes no new work after the merger.
    assert not Unit.objects.get(kind="centre", province_id="bac-giang").active


def test_the_three_regional_centres_serve_north_centre_and_south():
    assert Unit.objects.filter(kind="regional_centre", province__isnull=True).count() == 3
    served = {
        n: set(regional_centre(n).provinces_served.values_list("slug", flat=True))
        for n in (1, 2, 3)
    }
    assert {"bac-ninh", "bac-giang", "ha-noi", "ha-tinh", "ha-giang"} <= served[1]
    assert {"da-nang", "quang-nam", "gia-lai", "kon-tum", "binh-thuan"} <= served[2]
    assert {"ho-chi-minh", "binh-duong", "can-tho", "bac-lieu"} <= served[3]
    assert "ho-chi-minh" not in served[1] and "bac-ninh" not in served[3]
    # Every province, old and current, is served by exactly one regional centre.
    assert sum(len(s) for s in served.values()) == 63
    assert set().union(*served.values()) == set(Province.objects.values_list("slug", flat=True))


def test_a_unit_works_in_its_province_its_absorbed_ones_and_where_it_serves():
    bac_ninh, bac_giang = (
        Province.objects.get(slug="bac-ninh"),
        Province.objects.get(slug="bac-giang"),
    )
    assert centre_of("bac-ninh").may_work_in(bac_ninh)
    assert centre_of("bac-ninh").may_work_in(bac_giang)  # Bắc Giang's history is Bắc Ninh's
    assert not centre_of("bac-giang").may_work_in(bac_ninh)
    assert not centre_of("phu-tho").may_work_in(bac_ninh)
    assert regional_centre(1).may_work_in(bac_ninh)
    assert not regional_centre(3).may_work_in(bac_ninh)
    nationwide = Unit.objects.create(kind="provider", name="Viện Nghiên cứu Cơ khí")
    assert nationwide.may_work_in(bac_ninh)


def test_the_migration_reads_regional_centres_out_of_the_free_text():
    assert unit_data.regional_number("Trung tâm KC&TVPTCN khu vực 1") == 1
    assert unit_data.regional_number("TTKC KV3 phối hợp TTKC Cần Thơ") == 3
    assert unit_data.regional_number("Khu Vực 2") == 2
    assert unit_data.regional_number("Trung tâm Khuyến công Bắc Ninh") is None
    assert unit_data.regional_number("khu vực 12") is None


# -- the proposal's unit through the API --


def test_a_proposal_naming_no_unit_gets_the_callers_centre(centre):
    response = centre.post("/api/v1/proposals/", body(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["unit"] == centre_of("bac-ninh").pk
    assert data["unit_name"] == "Trung tâm Khuyến công Bắc Ninh"
    assert data["partners"] == []


def test_a_regional_centre_serving_the_province_implements_with_a_partner(centre):
    kv1, own = regional_centre(1), centre_of("bac-ninh")
    response = centre.post(
        "/api/v1/proposals/", body(unit=kv1.pk, partners=[own.pk]), format="json"
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get(pk=response.json()["id"])
    assert proposal.unit == kv1
    assert list(proposal.partners.all()) == [own]


@pytest.mark.parametrize("unit", ["kv3", "phu-tho", "bac-giang"])
def test_a_unit_that_may_not_work_in_the_province_is_refused(centre, unit):
    chosen = {
        "kv3": regional_centre(3),
        "phu-tho": centre_of("phu-tho"),
        "bac-giang": centre_of("bac-giang"),  # absorbed: no longer active
    }[unit]
    response = centre.post("/api/v1/proposals/", body(unit=chosen.pk), format="json")
    assert response.status_code == 400
    assert "unit" in response.json()
    assert "Đơn vị" in response.json()["unit"][0]
    assert not Proposal.objects.filter(code="BN-2026-QG-201").exists()


def test_an_unknown_unit_and_the_unit_as_its_own_partner_are_refused(centre):
    response = centre.post("/api/v1/proposals/", body(unit=999999), format="json")
    assert response.status_code == 400
    assert "/api/v1/units/" in response.json()["unit"][0]
    own = centre_of("bac-ninh").pk
    response = centre.post("/api/v1/proposals/", body(unit=own, partners=[own]), format="json")
    assert response.status_code == 400
    assert response.json()["partners"] == ["Đơn vị chủ trì không đồng thời là đơn vị phối hợp."]
    assert not Proposal.objects.filter(code="BN-2026-QG-201").exists()


def test_an_edit_that_names_no_unit_keeps_it_and_moving_province_rechecks_it(centre, cast):
    proposal = make_proposal(code="BN-2026-QG-202", fund="national", unit=regional_centre(1))
    url = f"/api/v1/proposals/{proposal.pk}/"
    response = centre.patch(url, {"version": 1, "title": "Tên mới"}, format="json")
    assert response.status_code == 200, response.content
    proposal.refresh_from_db()
    assert proposal.unit == regional_centre(1) and proposal.version == 2
    # Bắc Giang 2024 is still served by KV1 and was Bắc Ninh's history: accepted.
    response = centre.patch(
        url, {"version": 2, "province": "bac-giang", "year": 2024}, format="json"
    )
    assert response.status_code == 200, response.content
    # Bắc Ninh's centre chosen for the same proposal: allowed; Phú Thọ's: refused.
    response = centre.patch(url, {"version": 3, "unit": centre_of("phu-tho").pk}, format="json")
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.unit == regional_centre(1) and proposal.province_id == "bac-giang"


def test_another_province_does_not_see_the_proposal_of_a_regional_centre(cast):
    proposal = make_proposal(code="BN-2026-QG-203", fund="national", unit=regional_centre(1))
    response = client_for(cast["centre.phutho"]).get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 404


# -- /api/v1/units/ --


def test_the_units_of_a_province_are_its_centre_and_its_regional_centre(centre):
    response = centre.get("/api/v1/units/?province=bac-ninh&active=true")
    assert response.status_code == 200
    names = {u["name"] for u in response.json()}
    assert names == {
        "Trung tâm Khuyến công Bắc Ninh",
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp khu vực 1",
    }


def test_the_regional_centres_have_no_province(centre):
    response = centre.get("/api/v1/units/?kind=regional_centre")
    rows = response.json()
    assert [(u["name"][-9:], u["kind"], u["province"]) for u in rows] == [
        ("khu vực 1", "regional_centre", None),
        ("khu vực 2", "regional_centre", None),
        ("khu vực 3", "regional_centre", None),
    ]
    assert "bac-ninh" in rows[0]["provinces_served"]
    assert {"id", "name", "kind", "province"} <= set(rows[0])


def test_a_units_filter_it_does_not_know_is_refused(centre):
    assert centre.get("/api/v1/units/?provnce=bac-ninh").status_code == 400
    assert centre.get("/api/v1/units/?kind=ministry").status_code == 400


def test_the_units_list_needs_a_login():
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/units/").status_code in (401, 403)


# -- pages --


def test_the_form_offers_only_the_units_that_may_work_in_the_province(client, cast):
    client.force_login(cast["centre.bacninh"])
    response = client.get("/proposals/new/")
    choices = {str(unit) for unit in response.context["form"].fields["unit"].queryset}
    assert choices == {
        "Trung tâm Khuyến công Bắc Ninh",
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp khu vực 1",
    }
    assert response.context["form"].initial["unit"] == centre_of("bac-ninh")
    # The province the units are offered for is the one the form starts with.
    assert response.context["form"].initial["province"] == "bac-ninh"


def test_the_page_refuses_a_regional_centre_of_another_region_and_saves_nothing(client, cast):
    client.force_login(cast["centre.bacninh"])
    response = client.post("/proposals/new/", form_data(unit=str(regional_centre(3).pk)))
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not Proposal.objects.filter(code="BN-2026-DP-100").exists()


def test_the_page_saves_the_unit_and_partners_and_the_detail_shows_them(client, cast):
    client.force_login(cast["centre.bacninh"])
    data = form_data(unit=str(regional_centre(1).pk), partners=[str(centre_of("bac-ninh").pk)])
    response = client.post("/proposals/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    proposal = Proposal.objects.get(code="BN-2026-DP-100")
    assert proposal.unit == regional_centre(1)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp khu vực 1" in page
    assert "Đơn vị phối hợp" in page and "Trung tâm Khuyến công Bắc Ninh" in page


def test_the_admin_changes_the_provinces_a_regional_centre_serves(client):
    admin = User.objects.create_superuser("root", "root@example.org", "pw-123-long")
    client.force_login(admin)
    kv1 = regional_centre(1)
    response = client.get(f"/admin/khuyencong/unit/{kv1.pk}/change/")
    assert response.status_code == 200
    data = {
        "kind": "regional_centre",
        "name": kv1.name,
        "short_name": kv1.short_name,
        "province": "",
        "provinces_served": ["bac-ninh", "ha-noi"],
        "active": "on",
    }
    response = client.post(f"/admin/khuyencong/unit/{kv1.pk}/change/", data)
    assert response.status_code == 302, response.content[:3000]
    kv1.refresh_from_db()
    assert set(kv1.provinces_served.values_list("slug", flat=True)) == {"bac-ninh", "ha-noi"}
    assert kv1.version == 2


def test_the_admin_filters_proposals_by_unit_kind_and_edits_unit_and_partners(client):
    admin = User.objects.create_superuser("root", "root@example.org", "pw-123-long")
    client.force_login(admin)
    proposal = make_proposal(code="BN-ADM-1")
    url = f"/admin/proposals/proposal/{proposal.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.get("/admin/proposals/proposal/?unit__kind__exact=centre")
    assert response.status_code == 200 and "BN-ADM-1" in response.content.decode()
    form = client.get(url).context["adminform"].form
    assert "unit" in form.fields and "partners" in form.fields


def test_the_model_refuses_a_unit_from_another_region_wherever_it_is_saved_from():
    # The admin's and every form's full_clean run Proposal.clean: the rule lives there once.
    proposal = make_proposal(code="BN-ADM-2")
    proposal.unit = regional_centre(3)
    with pytest.raises(ValidationError) as refused:
        proposal.full_clean()
    assert "unit" in refused.value.message_dict
