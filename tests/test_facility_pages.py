"""Facility pages: search, detail with proposals and history, create and edit, scoping."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities.models import Facility, LegalForm
from funding.models import Fund
from proposals.models import Kind, State
from tests.builders import TRIEU, add_beneficiary, make_facility, make_proposal

pytestmark = pytest.mark.django_db


def new_facility_data(**overrides):
    data = {
        "name": "Hợp tác xã Mây tre Xuân Lai",
        "legal_form": "cooperative",
        "tax_code": "2300999001",
        "province": "bac-ninh",
        "address": "Xã Xuân Lai, huyện Gia Bình",
        "sector": "Mây tre đan",
        "employees": "35",
        "area_class": "normal",
        "representative": "",
        "phone": "",
        "email": "",
    }
    return {**data, **overrides}


def names_listed(response):
    return [f.name for f in response.context["page"].object_list]


def test_search_finds_duc_typed_without_diacritics_or_in_capitals(client, cast):
    make_facility(name="Công ty TNHH Bao bì Carton Đức Thắng", tax_code="2300100001")
    make_facility(name="Công ty Cổ phần Bao bì Kinh Bắc", tax_code="2300100002")
    client.force_login(cast["centre.bacninh"])
    for typed in ("duc", "ĐỨC", "đức thắng", "DUC THANG"):
        response = client.get(reverse("facilities:list"), {"q": typed})
        assert names_listed(response) == ["Công ty TNHH Bao bì Carton Đức Thắng"], typed
    assert connection.vendor in ("sqlite", "postgresql")


def test_search_finds_a_facility_by_tax_code(client, cast):
    make_facility(name="Cơ sở đúc đồng Đại Bái", tax_code="2300200002")
    client.force_login(cast["centre.bacninh"])
    response = client.get(reverse("facilities:list"), {"q": "2300200002"})
    assert names_listed(response) == ["Cơ sở đúc đồng Đại Bái"]


def test_list_filters_by_legal_form_and_hides_other_provinces(client, cast):
    make_facility(name="Hộ kinh doanh gốm Phù Lãng", legal_form=LegalForm.HOUSEHOLD)
    make_facility(name="Công ty gốm Bắc Ninh")
    make_facility(name="Hộ kinh doanh chè Phú Thọ", province="phu-tho", legal_form="household")
    client.force_login(cast["centre.bacninh"])
    response = client.get(reverse("facilities:list"), {"legal_form": "household"})
    assert names_listed(response) == ["Hộ kinh doanh gốm Phù Lãng"]
    response = client.get(reverse("facilities:list"))
    assert "Hộ kinh doanh chè Phú Thọ" not in names_listed(response)


def test_list_is_paginated_by_25_and_keeps_the_filters_in_page_links(client, cast):
    for i in range(30):
        make_facility(name=f"Cơ sở dệt số {i:02d}")
    client.force_login(cast["centre.bacninh"])
    response = client.get(reverse("facilities:list"), {"q": "det"})
    assert len(names_listed(response)) == 25
    assert "q=det&amp;page=2" in response.content.decode()
    response = client.get(reverse("facilities:list"), {"q": "det", "page": 2})
    assert len(names_listed(response)) == 5


def test_list_uses_the_same_number_of_queries_for_3_and_25_rows(client, cast):
    client.force_login(cast["ministry"])
    for i in range(3):
        make_facility(name=f"Cơ sở A{i}")
    cache.clear()  # count what computing costs, not a cached copy
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("facilities:list"))
    for i in range(22):
        make_facility(name=f"Cơ sở B{i}", province="phu-tho")
    cache.clear()  # count what computing costs, not a cached copy
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("facilities:list"))
    assert len(names_listed(response)) == 25
    assert len(many) == len(few)


def test_search_json_returns_visible_facilities_for_the_picker(client, cast):
    duc = make_facility(name="Công ty TNHH Đức Thắng", tax_code="2300100001")
    make_facility(name="Hộ kinh doanh Nguyễn Văn Đức", province="phu-tho", tax_code="2600300003")
    client.force_login(cast["centre.bacninh"])
    response = client.get(reverse("facilities:search"), {"q": "DUC"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": duc.pk,
            "name": "Công ty TNHH Đức Thắng",
            "tax_code": "2300100001",
            "legal_form": "sme",
            "legal_form_label": "Doanh nghiệp nhỏ và vừa",
            "province": "bac-ninh",
            "province_name": "Bắc Ninh",
            "url": f"/facilities/{duc.pk}/",
        }
    ]


def test_search_json_by_province_includes_the_provinces_it_succeeded(client, cast):
    make_facility(name="HTX Dệt thổ cẩm Mai Châu", province="hoa-binh")
    make_facility(name="Công ty Chè Phú Thọ Xanh", province="phu-tho")
    client.force_login(cast["centre.phutho"])
    response = client.get(reverse("facilities:search"), {"province": "phu-tho"})
    assert sorted(row["province"] for row in response.json()) == ["hoa-binh", "phu-tho"]


def test_search_json_returns_at_most_20(client, cast):
    for i in range(25):
        make_facility(name=f"Cơ sở may {i}")
    client.force_login(cast["centre.bacninh"])
    assert len(client.get(reverse("facilities:search"), {"q": "may"}).json()) == 20


def test_search_json_requires_login(client, cast):
    response = client.get(reverse("facilities:search"), {"q": "duc"})
    assert response.status_code == 302


def test_centre_creates_a_facility_and_the_history_names_who(client, cast):
    client.force_login(cast["centre.bacninh"])
    response = client.post(reverse("facilities:create"), new_facility_data())
    facility = Facility.objects.get(tax_code="2300999001")
    assert response.status_code == 302
    assert response["Location"] == reverse("facilities:detail", args=[facility.pk])
    assert facility.history.get().history_user == cast["centre.bacninh"]


def test_an_edit_shows_as_a_field_change_in_the_timeline(client, cast):
    facility = make_facility(name="Cơ sở gốm Phù Lãng", employees=10)
    client.force_login(cast["dept.bacninh"])
    data = new_facility_data(name="Hợp tác xã gốm Phù Lãng", tax_code="", employees="12")
    response = client.post(reverse("facilities:edit", args=[facility.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("facilities:detail", args=[facility.pk])).content.decode()
    assert "Tên cơ sở: <del>Cơ sở gốm Phù Lãng</del> &rarr; <ins>Hợp tác xã gốm Phù Lãng</ins>" in (
        page
    )
    assert "Số lao động: <del>10</del> &rarr; <ins>12</ins>" in page
    assert "Loại hình: <del>Doanh nghiệp nhỏ và vừa</del> &rarr; <ins>Hợp tác xã</ins>" in page
    assert cast["dept.bacninh"].get_full_name() in page


def test_an_edit_of_a_bulk_imported_facility_says_there_is_no_earlier_version(client, cast):
    Facility.objects.bulk_create([Facility(name="Cơ sở nhập sẵn", province_id="bac-ninh")])
    facility = Facility.objects.get()
    client.force_login(cast["centre.bacninh"])
    data = new_facility_data(name="Cơ sở nhập sẵn", tax_code="")
    client.post(reverse("facilities:edit", args=[facility.pk]), data)
    page = client.get(reverse("facilities:detail", args=[facility.pk])).content.decode()
    assert "Bản trước lần sửa này không được ghi lại" in page


def test_a_duplicate_tax_code_is_refused_with_a_link_to_the_existing_facility(client, cast):
    existing = make_facility(name="Công ty TNHH Bao bì Carton Đức Thắng", tax_code="2300100001")
    client.force_login(cast["centre.bacninh"])
    response = client.post(reverse("facilities:create"), new_facility_data(tax_code="2300100001"))
    assert response.status_code == 200
    assert Facility.objects.count() == 1
    error = response.context["form"].errors["tax_code"][0]
    assert "Mã số thuế 2300100001 đã được dùng cho cơ sở" in error
    link = f'<a href="/facilities/{existing.pk}/">Công ty TNHH Bao bì Carton Đức Thắng</a>'
    assert link in response.content.decode()


def test_a_duplicate_tax_code_in_another_province_is_refused_without_revealing_it(client, cast):
    make_facility(name="Công ty Chè Phú Thọ Xanh", province="phu-tho", tax_code="2600300001")
    client.force_login(cast["centre.bacninh"])
    response = client.post(reverse("facilities:create"), new_facility_data(tax_code="2600300001"))
    html = response.content.decode()
    assert "Mã số thuế 2600300001 đã được đăng ký cho một cơ sở mà bạn không có quyền xem" in html
    assert "Chè Phú Thọ Xanh" not in html
    assert Facility.objects.count() == 1


def test_a_facility_name_in_the_duplicate_link_is_escaped(client, cast):
    make_facility(name='<script>alert("x")</script>', tax_code="2300100009")
    client.force_login(cast["centre.bacninh"])
    response = client.post(reverse("facilities:create"), new_facility_data(tax_code="2300100009"))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_the_province_choices_are_todays_provinces_the_user_acts_for(client, cast):
    client.force_login(cast["centre.bacninh"])
    form = client.get(reverse("facilities:create")).context["form"]
    assert [p.slug for p in form.fields["province"].queryset] == ["bac-ninh"]
    response = client.post(reverse("facilities:create"), new_facility_data(province="phu-tho"))
    assert "province" in response.context["form"].errors
    response = client.post(reverse("facilities:create"), new_facility_data(province="bac-giang"))
    assert "province" in response.context["form"].errors
    assert not Facility.objects.exists()


def test_a_facility_recorded_under_an_absorbed_province_keeps_it_when_edited(client, cast):
    facility = make_facility(name="Công ty mì Chũ", province="bac-giang")
    client.force_login(cast["centre.bacninh"])
    data = new_facility_data(name="Công ty mì Chũ Lục Ngạn", tax_code="", province="bac-giang")
    response = client.post(reverse("facilities:edit", args=[facility.pk]), data)
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.name, facility.province_id) == ("Công ty mì Chũ Lục Ngạn", "bac-giang")


def test_another_provinces_user_gets_404_on_detail_and_edit(client, cast):
    facility = make_facility(name="Công ty TNHH Đồ gỗ Đồng Kỵ")
    client.force_login(cast["centre.phutho"])
    assert client.get(reverse("facilities:detail", args=[facility.pk])).status_code == 404
    assert client.get(reverse("facilities:edit", args=[facility.pk])).status_code == 404
    response = client.post(reverse("facilities:edit", args=[facility.pk]), new_facility_data())
    assert response.status_code == 404
    facility.refresh_from_db()
    assert facility.name == "Công ty TNHH Đồ gỗ Đồng Kỵ"


def test_a_manager_reads_but_cannot_edit_and_sees_no_edit_button(client, cast):
    facility = make_facility(name="Công ty TNHH Đồ gỗ Đồng Kỵ")
    client.force_login(cast["manager"])
    detail = client.get(reverse("facilities:detail", args=[facility.pk]))
    assert detail.status_code == 200
    assert reverse("facilities:edit", args=[facility.pk]) not in detail.content.decode()
    assert client.get(reverse("facilities:edit", args=[facility.pk])).status_code == 403
    response = client.post(reverse("facilities:edit", args=[facility.pk]), new_facility_data())
    assert response.status_code == 403
    assert client.get(reverse("facilities:create")).status_code == 403
    assert (
        reverse("facilities:create") not in client.get(reverse("facilities:list")).content.decode()
    )


def test_the_ministry_reads_every_province_but_does_not_edit_facilities(client, cast):
    facility = make_facility(name="Công ty Chè Phú Thọ Xanh", province="phu-tho")
    client.force_login(cast["ministry"])
    assert client.get(reverse("facilities:detail", args=[facility.pk])).status_code == 200
    assert client.get(reverse("facilities:edit", args=[facility.pk])).status_code == 403


def test_the_detail_lists_the_facilitys_proposals_with_amounts_in_trieu(client, cast):
    facility = make_facility(name="Công ty TNHH Bao bì Carton Đức Thắng")
    proposal = make_proposal(
        "BN-2021-QG-001",
        "bac-ninh",
        2021,
        Fund.NATIONAL,
        title="Hỗ trợ máy móc cho 3 cơ sở bao bì carton",
        kind=Kind.GROUP,
        implementing_unit="Trung tâm Khuyến công Bắc Ninh",
        support_vnd=1_000 * TRIEU,
        counterpart_vnd=6_500 * TRIEU,
        state=State.APPROVED,
    )
    add_beneficiary(proposal, facility, support_vnd=333_300_000, counterpart_vnd=2_166_450_000)
    client.force_login(cast["centre.bacninh"])
    html = client.get(reverse("facilities:detail", args=[facility.pk])).content.decode()
    assert "BN-2021-QG-001" in html
    assert "333,3" in html
    assert "2.166,45" in html
    assert "Đã phê duyệt" in html
    assert ">2021<" in html  # a year is not grouped like a number ("2.021")


def test_pages_need_login(client, cast):
    response = client.get(reverse("facilities:list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
