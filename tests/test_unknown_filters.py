"""A filter that is not known or not valid is refused (SPEC §7), never ignored: ignoring it would
answer for the whole country, or export the whole table."""

import pytest
from rest_framework.test import APIClient

from facilities.models import Facility
from tests.builders import make_facility, make_proposal
from tests.reports_support import client_for, provincial_manager

pytestmark = pytest.mark.django_db

SUMMARY_API = "/api/v1/reports/summary/"
TYPO = {"year_from": "2016", "provnce": "bac-giang"}


@pytest.fixture
def manager():
    return provincial_manager("manager.bacninh", "bac-ninh")


def test_the_summary_api_answers_400_for_a_misspelt_filter(manager):
    api = APIClient()
    api.force_authenticate(manager)
    response = api.get(SUMMARY_API, TYPO)
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Không có bộ lọc “provnce”. Các bộ lọc dùng được: "
            "year_from, year_to, province, rollup, fund, content, activity."
        ]
    }


def test_the_summary_api_refuses_a_list_search_but_keeps_its_own_format_parameter(manager):
    api = APIClient()
    api.force_authenticate(manager)
    assert api.get(SUMMARY_API, {"q": "máy"}).status_code == 400
    assert api.get(SUMMARY_API, {"format": "json", "year_from": 2016}).status_code == 200


def test_the_dashboard_explains_a_misspelt_filter_in_vietnamese(manager):
    response = client_for(manager).get("/reports/", TYPO)
    assert response.status_code == 400
    assert "Không có bộ lọc “provnce”." in response.content.decode()


@pytest.mark.parametrize("url", ["/reports/summary.pdf", "/reports/summary.xlsx"])
def test_the_downloads_refuse_a_misspelt_filter(manager, url):
    response = client_for(manager).get(url, {"q": "máy"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Không có bộ lọc “q”." in response.content.decode()


@pytest.fixture
def bac_ninh_rows():
    make_facility("bac-ninh", tax_code="2300100001", name="Cơ sở Đức Thắng")
    make_proposal("BN-1", province="bac-ninh", year=2025)


@pytest.mark.parametrize(
    "query, message",
    [
        ({"year": "abc"}, "Năm: Hãy nhập một số."),
        ({"province": "atlantis"}, "Tỉnh, thành phố: "),
        ({"provnce": "bac-ninh"}, "Không có bộ lọc “provnce”."),
    ],
)
def test_the_proposal_export_refuses_invalid_filters(cast, bac_ninh_rows, query, message):
    response = client_for(cast["centre.bacninh"]).get("/proposals/export.xlsx", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Bộ lọc không hợp lệ" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"legal_form": "corporation"}, "Loại hình: Lựa chọn không hợp lệ"),
        ({"province": "atlantis"}, "Tỉnh, thành phố: Lựa chọn không hợp lệ"),
        ({"nam": "Đức"}, "Không có bộ lọc “nam”."),
    ],
)
def test_the_facility_export_refuses_invalid_filters(cast, bac_ninh_rows, query, message):
    response = client_for(cast["centre.bacninh"]).get("/facilities/export.xlsx", query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_facility_export_refuses_another_provinces_filter(cast, bac_ninh_rows):
    make_facility("phu-tho", tax_code="2600100001", name="Cơ sở Phú Thọ")
    response = client_for(cast["centre.bacninh"]).get(
        "/facilities/export.xlsx", {"province": "phu-tho"}
    )
    assert response.status_code == 400
    assert Facility.objects.count() == 2


def test_the_exports_still_download_with_valid_filters(cast, bac_ninh_rows):
    client = client_for(cast["centre.bacninh"])
    for url, query in [
        ("/proposals/export.xlsx", {"year": "2025", "province": "bac-ninh", "q": ""}),
        ("/facilities/export.xlsx", {"q": "duc", "legal_form": "sme"}),
    ]:
        response = client.get(url, query)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_summary_refuses_an_activity_type_outside_the_content_or_unknown(manager):
    api = APIClient()
    api.force_authenticate(manager)
    outside = api.get(SUMMARY_API, {"content": 1, "activity": "machinery"})
    assert outside.status_code == 400
    assert outside.json() == {
        "activity": [
            "Loại hoạt động “Hỗ trợ ứng dụng máy móc thiết bị tiên tiến” thuộc nội dung 3, "
            "không thuộc nội dung 1."
        ]
    }
    unknown = api.get(SUMMARY_API, {"activity": "machinary"})
    assert unknown.json() == {
        "activity": ["Không có loại hoạt động mã “machinary” (ví dụ: machinery)."]
    }
    assert api.get(SUMMARY_API, {"content": 3, "activity": "machinery"}).status_code == 200
