"""/api/v1/facilities/ and /provinces/: reference data, scoped facilities, the form's rules."""

import pytest

from facilities.models import Facility
from tests.api_world import client_for
from tests.builders import make_facility

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {
    "id", "name", "legal_form", "tax_code", "province", "address", "sector", "employees",
    "area_class",
}  # fmt: skip


def body(**overrides):
    data = {
        "name": "Hợp tác xã Gốm Phù Lãng",
        "legal_form": "cooperative",
        "tax_code": "2300123456",
        "province": "bac-ninh",
        "address": "Xã Phù Lãng, Bắc Ninh",
        "sector": "Gốm mỹ nghệ",
        "employees": 45,
        "area_class": "normal",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("username", ["centre.bacninh", "dept.bacninh"])
def test_the_centre_or_department_creates_a_facility(cast, username):
    response = client_for(cast[username]).post("/api/v1/facilities/", body(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert CONTRACT_FIELDS <= set(data)
    assert (data["province"], data["legal_form"], data["employees"]) == (
        "bac-ninh",
        "cooperative",
        45,
    )
    assert Facility.objects.get(pk=data["id"]).search_text.startswith("hop tac xa gom phu lang")


@pytest.mark.parametrize("username", ["ministry", "manager", "admin"])
def test_national_roles_do_not_enter_facilities(cast, username):
    response = client_for(cast[username]).post("/api/v1/facilities/", body(), format="json")
    assert response.status_code == 403
    assert not Facility.objects.exists()


def test_a_facility_for_another_province_is_refused_by_field(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", body(province="phu-tho"), format="json"
    )
    assert response.status_code == 400
    assert "Phú Thọ" in response.json()["province"][0]
    assert not Facility.objects.exists()


def test_new_facilities_go_to_todays_province_not_an_absorbed_one(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", body(province="bac-giang"), format="json"
    )
    assert response.status_code == 400
    assert "province" in response.json()


def test_a_duplicate_tax_code_is_refused_even_with_spaces(cast):
    existing = make_facility("bac-ninh", "2300123456")
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", body(tax_code=" 2300 123 456 "), format="json"
    )
    assert response.status_code == 400
    message = response.json()["tax_code"][0]
    assert "2300123456" in message and existing.name in message and "<a" not in message
    assert Facility.objects.count() == 1


def test_a_duplicate_in_a_province_you_cannot_see_is_refused_without_its_name(cast):
    make_facility("phu-tho", "2300123456", name="Bí mật")
    response = client_for(cast["centre.bacninh"]).post("/api/v1/facilities/", body(), format="json")
    assert response.status_code == 400
    assert "Bí mật" not in response.json()["tax_code"][0]


def test_an_empty_tax_code_is_stored_as_none_and_may_repeat(cast):
    client = client_for(cast["centre.bacninh"])
    for _ in range(2):
        assert (
            client.post("/api/v1/facilities/", body(tax_code=""), format="json").status_code == 201
        )
    assert Facility.objects.filter(tax_code__isnull=True).count() == 2


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"legal_form": "corporation"}, "legal_form"),
        ({"area_class": "remote"}, "area_class"),
        ({"employees": -3}, "employees"),
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"province": "atlantis"}, "province"),
    ],
)
def test_bad_facility_input_is_refused_by_field(cast, overrides, field):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", body(**overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Facility.objects.exists()


def test_the_department_edits_a_facility_of_its_province(cast):
    facility = make_facility("bac-ninh", "2300000001")
    response = client_for(cast["dept.bacninh"]).patch(
        f"/api/v1/facilities/{facility.pk}/", {"employees": 12}, format="json"
    )
    assert response.status_code == 200, response.content
    facility.refresh_from_db()
    assert facility.employees == 12
    assert facility.history.count() == 2


def test_bac_ninh_staff_edit_a_bac_giang_facility(cast):
    facility = make_facility("bac-giang", "2400000001")
    response = client_for(cast["centre.bacninh"]).patch(
        f"/api/v1/facilities/{facility.pk}/", {"sector": "Chế biến vải thiều"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["province"] == "bac-giang"


def test_another_provinces_facility_is_not_found(cast):
    facility = make_facility("phu-tho", "2600000001")
    client = client_for(cast["centre.bacninh"])
    assert client.get(f"/api/v1/facilities/{facility.pk}/").status_code == 404
    response = client.patch(f"/api/v1/facilities/{facility.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 404


def test_facilities_are_never_deleted(cast):
    facility = make_facility("bac-ninh", "2300000001")
    response = client_for(cast["dept.bacninh"]).delete(f"/api/v1/facilities/{facility.pk}/")
    assert response.status_code == 405


def test_the_facility_list_filters_and_finds_without_diacritics(cast):
    make_facility("bac-ninh", "1", name="Cơ sở ĐỨC Thành", legal_form="household")
    make_facility("bac-ninh", "2", name="Công ty Kinh Bắc", area_class="disadvantaged")
    make_facility("bac-giang", "3", name="Hộ Đức Giang", legal_form="household")
    make_facility("phu-tho", "4", name="Cơ sở Đức Phú Thọ")
    client = client_for(cast["dept.bacninh"])

    def names(**params):
        response = client.get("/api/v1/facilities/", params)
        assert response.status_code == 200, response.content
        return sorted(row["name"] for row in response.json()["results"])

    assert names(q="duc") == ["Cơ sở ĐỨC Thành", "Hộ Đức Giang"]
    assert names(q="ĐỨC", province="bac-giang") == ["Hộ Đức Giang"]
    assert names(legal_form="household") == ["Cơ sở ĐỨC Thành", "Hộ Đức Giang"]
    assert names(area_class="disadvantaged") == ["Công ty Kinh Bắc"]
    assert client.get("/api/v1/facilities/", {"tax": "1"}).status_code == 400


# Provinces ------------------------------------------------------------------------------


def test_provinces_list_all_63_with_the_2025_succession(cast):
    client = client_for(cast["centre.phutho"])
    response = client.get("/api/v1/provinces/", {"page_size": 100})
    assert response.json()["count"] == 63
    assert client.get("/api/v1/provinces/", {"current": "true"}).json()["count"] == 34
    assert client.get("/api/v1/provinces/", {"current": "false"}).json()["count"] == 29


def test_a_province_is_read_by_slug_with_successor_and_codes(cast):
    client = client_for(cast["manager"])
    bac_giang = client.get("/api/v1/provinces/bac-giang/").json()
    assert (bac_giang["successor"], bac_giang["valid_to"]) == ("bac-ninh", "2025-06-30")
    assert bac_giang["code"] and bac_giang["code_until_2025"]
    phu_tho = client.get("/api/v1/provinces/phu-tho/").json()
    assert phu_tho["successor"] is None
    assert set(phu_tho["predecessors"]) == {"hoa-binh", "vinh-phuc"}
    assert client.get("/api/v1/provinces/atlantis/").status_code == 404


def test_provinces_are_read_only(cast):
    client = client_for(cast["admin"])
    assert client.post("/api/v1/provinces/", {"slug": "x"}, format="json").status_code == 405
    assert (
        client.patch("/api/v1/provinces/bac-ninh/", {"name": "X"}, format="json").status_code == 405
    )


def test_funds_and_contents_are_reference_data(cast):
    client = client_for(cast["centre.bacninh"])
    funds = client.get("/api/v1/funds/").json()["results"]
    assert [f["key"] for f in funds] == ["national", "provincial", "district"]
    assert client.get("/api/v1/contents/3/").json()["number"] == 3
    assert client.post("/api/v1/funds/", {"key": "x"}, format="json").status_code == 405
