"""Activity types (SPEC §3.1) and output indicators (SPEC §3.2): the catalogues, their API, the
admin, and a proposal's activity type, which must belong to its content."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from funding.models import ActivityType, OutputIndicator
from proposals.models import Proposal
from tests.api_world import client_for
from tests.builders import TRIEU, make_proposal

pytestmark = pytest.mark.django_db

# Copied from SPEC §3.1 and §3.2, in their order: other programs rely on these keys.
SPEC_ACTIVITIES = [
    (1, "vocational_training"),
    (2, "management_training"),
    (2, "cleaner_production_capacity"),
    (2, "market_development"),
    (3, "demo_model"),
    (3, "machinery"),
    (3, "tech_transfer"),
    (3, "cleaner_production_pilot"),
    (4, "typical_product_contest"),
    (4, "fair"),
    (4, "showroom"),
    (4, "brand_packaging"),
    (5, "consultancy"),
    (6, "communication"),
    (7, "linkage"),
    (7, "cluster_planning"),
    (7, "cluster_infrastructure"),
    (7, "relocation_interest"),
    (8, "international"),
    (9, "staff_training"),
    (9, "study_tour"),
    (9, "programme_management"),
]
SPEC_INDICATORS = [
    ("trainees", "người"),
    ("courses", "lớp"),
    ("learners", "người"),
    ("demo_models", "mô hình"),
    ("machinery_facilities", "cơ sở"),
    ("machines", "máy"),
    ("tech_transfers", "công nghệ"),
    ("cleaner_production_pilots", "mô hình"),
    ("fairs", "hội chợ"),
    ("booths", "gian"),
    ("products_designed", "sản phẩm"),
    ("brands", "nhãn hiệu"),
    ("typical_products", "sản phẩm"),
    ("consultations", "lượt"),
    ("media_items", "sản phẩm"),
    ("cluster_plans", "cụm"),
    ("clusters_upgraded", "cụm"),
    ("relocated_facilities", "cơ sở"),
    ("staff_trained", "người"),
    ("jobs_created", "người"),
]


@pytest.fixture
def centre(cast):
    return client_for(cast["centre.bacninh"])


def proposal_body(**overrides):
    data = {
        "code": "BN-2026-DP-201",
        "title": "Hỗ trợ máy móc thiết bị cho cơ sở sản xuất đồ gỗ",
        "year": 2026,
        "province": "bac-ninh",
        "implementing_unit": "Trung tâm Khuyến công Bắc Ninh",
        "fund": "provincial",
        "content": 3,
        "kind": "single",
        "support_vnd": 600 * TRIEU,
        "counterpart_vnd": 1_200 * TRIEU,
    }
    data.update(overrides)
    return data


# --- the catalogues over the API -----------------------------------------------------------


def test_the_activities_endpoint_lists_the_spec_activity_types_under_their_contents(centre):
    response = centre.get("/api/v1/activities/")
    assert response.status_code == 200
    rows = response.json()
    assert [(row["content"], row["key"]) for row in rows] == SPEC_ACTIVITIES
    machinery = next(row for row in rows if row["key"] == "machinery")
    assert machinery["name"] == "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến"
    assert machinery["name_en"] == "Support for advanced machinery and equipment"


def test_the_indicators_endpoint_lists_the_spec_indicators_with_their_units(centre):
    response = centre.get("/api/v1/indicators/")
    assert response.status_code == 200
    rows = response.json()
    assert [(row["key"], row["unit"]) for row in rows] == SPEC_INDICATORS
    facilities = next(row for row in rows if row["key"] == "machinery_facilities")
    assert facilities["name"] == "Cơ sở được hỗ trợ máy móc thiết bị"
    assert facilities["content"] == 3
    jobs = next(row for row in rows if row["key"] == "jobs_created")
    assert jobs["content"] is None


def test_one_activity_type_is_read_by_its_key(centre):
    data = centre.get("/api/v1/activities/demo_model/").json()
    assert data == {
        "key": "demo_model",
        "name": "Xây dựng mô hình trình diễn kỹ thuật",
        "content": 3,
        "name_en": "Technical demonstration models",
    }
    assert centre.get("/api/v1/activities/no_such_key/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/activities/", "/api/v1/indicators/"])
def test_an_anonymous_caller_may_not_read_the_catalogues(url):
    assert APIClient().get(url).status_code in (401, 403)


@pytest.mark.parametrize("url", ["/api/v1/activities/", "/api/v1/indicators/"])
def test_the_catalogues_are_read_only_over_the_api(cast, url):
    admin = client_for(cast["admin"])
    response = admin.post(url, {"key": "x", "name": "X", "content": 3}, format="json")
    assert response.status_code == 405
    assert ActivityType.objects.count() == 22 and OutputIndicator.objects.count() == 20


# --- a proposal's activity type --------------------------------------------------------------


def test_the_api_accepts_an_activity_type_of_the_proposals_content(centre):
    response = centre.post("/api/v1/proposals/", proposal_body(activity="machinery"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["activity"] == "machinery"
    assert Proposal.objects.get(code="BN-2026-DP-201").activity_id == "machinery"


def test_the_api_refuses_an_activity_type_outside_the_proposals_content(centre):
    response = centre.post("/api/v1/proposals/", proposal_body(activity="fair"), format="json")
    assert response.status_code == 400
    message = response.json()["activity"][0]
    assert "Hội chợ, triển lãm" in message and "nội dung 4" in message
    assert not Proposal.objects.filter(code="BN-2026-DP-201").exists()


@pytest.mark.parametrize("key", ["no_such_key", 5, {"key": "machinery"}])
def test_the_api_refuses_an_unknown_activity_type_naming_the_field(centre, key):
    response = centre.post("/api/v1/proposals/", proposal_body(activity=key), format="json")
    assert response.status_code == 400
    assert "loại hoạt động" in response.json()["activity"][0].lower()
    assert not Proposal.objects.filter(code="BN-2026-DP-201").exists()


def test_changing_the_content_away_from_the_activity_type_is_refused(centre, cast):
    proposal = make_proposal(code="BN-2026-DP-202", activity_id="machinery")
    response = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"content": 1, "version": proposal.version},
        format="json",
    )
    assert response.status_code == 400
    assert "activity" in response.json()
    proposal.refresh_from_db()
    assert proposal.content_id == 3

    both = centre.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"content": 1, "activity": "vocational_training", "version": proposal.version},
        format="json",
    )
    assert both.status_code == 200, both.content
    assert both.json()["activity"] == "vocational_training"


def test_a_proposal_may_leave_its_activity_type_empty(centre):
    response = centre.post("/api/v1/proposals/", proposal_body(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["activity"] is None


def test_the_model_rule_refuses_an_activity_type_of_another_content(db):
    proposal = make_proposal(code="BN-2026-DP-203")
    proposal.activity_id = "staff_training"
    with pytest.raises(ValidationError) as refused:
        proposal.full_clean()
    assert "activity" in refused.value.message_dict


# --- names in both languages, keys that never change -----------------------------------------


def test_a_catalogue_row_is_named_in_the_pages_language(db):
    fair = ActivityType.objects.get(key="fair")
    trainees = OutputIndicator.objects.get(key="trainees")
    with translation.override("vi"):
        assert (fair.label, trainees.unit_label) == ("Hội chợ, triển lãm", "người")
    with translation.override("en"):
        assert (fair.label, trainees.unit_label) == ("Fairs and exhibitions", "people")
        fair.name_en = ""
        assert fair.label == "Hội chợ, triển lãm"


@pytest.mark.parametrize("key", ["Demo_model", "1st", "demo-model", "mô_hình", "demo_model\n", ""])
def test_a_key_is_lower_case_ascii_starting_with_a_letter(db, key):
    row = ActivityType(key=key, name="Thử", content_id=3)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "key" in refused.value.message_dict


def test_an_admin_adds_an_activity_type_and_cannot_change_its_key_after(cast):
    client = Client()
    client.force_login(cast["admin"])
    add = {"key": "Bad Key", "name": "Hỗ trợ chuyển đổi số", "content": 2, "order": 30}
    refused = client.post("/admin/funding/activitytype/add/", add)
    assert refused.status_code == 200
    assert not ActivityType.objects.filter(name="Hỗ trợ chuyển đổi số").exists()

    client.post("/admin/funding/activitytype/add/", {**add, "key": "digital_transformation"})
    assert ActivityType.objects.get(key="digital_transformation").content_id == 2

    url = "/admin/funding/activitytype/digital_transformation/change/"
    page = client.get(url).content.decode()
    assert 'name="key"' not in page
    client.post(url, {"key": "renamed", "name": "Chuyển đổi số", "content": 2, "order": 30})
    assert not ActivityType.objects.filter(key="renamed").exists()
    assert ActivityType.objects.get(key="digital_transformation").name == "Chuyển đổi số"


def test_the_proposal_page_shows_the_activity_type_in_the_pages_language(cast):
    proposal = make_proposal(code="BN-2026-DP-204", activity_id="demo_model")
    client = Client()
    client.force_login(cast["centre.bacninh"])
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Xây dựng mô hình trình diễn kỹ thuật" in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Technical demonstration models" in page


def test_the_activities_of_one_content_are_listed_with_a_filter(centre):
    rows = centre.get("/api/v1/activities/?content=3").json()
    assert [row["key"] for row in rows] == [
        "demo_model",
        "machinery",
        "tech_transfer",
        "cleaner_production_pilot",
    ]
    assert centre.get("/api/v1/activities/?content=12").status_code == 400
    assert centre.get("/api/v1/activities/?contnet=3").status_code == 400
