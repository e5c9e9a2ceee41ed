"""The admin lists the "other" outputs (free text, never summed) so they can be mapped onto the
catalogue (SPEC §3.2)."""

import pytest
from django.test import Client

from proposals.models import OutcomeIndicator
from tests.builders import make_proposal

pytestmark = pytest.mark.django_db

URL = "/admin/proposals/outcomeindicator/"


@pytest.fixture
def admin_client(cast):
    client = Client()
    client.force_login(cast["admin"])
    return client


@pytest.fixture
def rows(db):
    proposal = make_proposal(code="BN-2026-DP-400", activity_id="machinery")
    return {
        "other": proposal.indicators.create(name="Cơ sở được hỗ trợ máy", unit="cơ sở", planned=3),
        "capacity": proposal.indicators.create(name="Công suất", unit="tấn/năm", planned=500),
        "catalogue": proposal.indicators.create(indicator_id="machines", planned=5),
    }


def test_the_empty_indicator_filter_lists_only_the_other_rows(admin_client, rows):
    page = admin_client.get(URL, {"indicator__isempty": "1"})
    assert page.status_code == 200
    assert [r.pk for r in page.context["cl"].result_list] == [
        rows["other"].pk,
        rows["capacity"].pk,
    ]


def test_an_administrator_maps_an_other_row_onto_the_catalogue(admin_client, rows):
    other = rows["other"]
    data = {"indicator": "machinery_facilities", "name": other.name, "unit": "cơ sở"}
    data.update(planned="3", actual="")
    response = admin_client.post(f"{URL}{other.pk}/change/", data)
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.indicator_id, other.label, other.unit_label) == (
        "machinery_facilities",
        "Cơ sở được hỗ trợ máy móc thiết bị",
        "cơ sở",
    )


def test_mapping_onto_an_indicator_the_proposal_has_already_is_refused(admin_client, rows):
    capacity = rows["capacity"]
    data = {"indicator": "machines", "name": "Công suất", "unit": "tấn/năm", "planned": "500"}
    response = admin_client.post(f"{URL}{capacity.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["indicator"] == [
        "Đề án BN-2026-DP-400 đã có chỉ tiêu “Máy móc, thiết bị được hỗ trợ”."
    ]
    assert OutcomeIndicator.objects.get(pk=capacity.pk).indicator_id is None


def test_the_list_maps_rows_in_place_and_refuses_a_second_one(admin_client, rows):
    other, capacity = rows["other"], rows["capacity"]
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(other.pk),
        "form-0-indicator": "machinery_facilities",
        "form-1-id": str(capacity.pk),
        "form-1-indicator": "machines",
        "_save": "Lưu",
    }
    response = admin_client.post(f"{URL}?indicator__isempty=1", data)
    assert response.status_code == 200
    assert "đã có chỉ tiêu" in response.content.decode()
    assert OutcomeIndicator.objects.get(pk=capacity.pk).indicator_id is None

    data["form-1-indicator"] = ""
    response = admin_client.post(f"{URL}?indicator__isempty=1", data)
    assert response.status_code == 302
    assert OutcomeIndicator.objects.get(pk=other.pk).indicator_id == "machinery_facilities"


def test_a_centre_has_no_access_to_the_admin(cast, rows):
    client = Client()
    client.force_login(cast["centre.bacninh"])
    assert client.get(URL).status_code == 302
