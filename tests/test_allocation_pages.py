"""Allocation pages: allocated, approved, remaining; who may enter which allocation."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import Allocation, Fund
from khuyencong.models import Province
from proposals.models import Proposal, State
from tests.builders import TRIEU, make_allocation, make_proposal

pytestmark = pytest.mark.django_db


def rows(response):
    return {
        (a.province_id, a.year, a.fund_id): (a.amount_vnd, a.approved_vnd, a.remaining_vnd)
        for a in response.context["page"].object_list
    }


def allocation_data(**overrides):
    data = {
        "year": "2027",
        "fund": "provincial",
        "province": "bac-ninh",
        "amount_vnd": "5.000",
        "decision_number": "15/QĐ-UBND",
        "note": "",
    }
    return {**data, **overrides}


def test_bac_ninh_2021_shows_allocated_approved_and_remaining_from_demo_data(client, demo):
    client.force_login(demo["dept.bacninh"])
    response = client.get(reverse("funding:list"), {"year": 2021, "province": "bac-ninh"})
    assert rows(response) == {
        ("bac-ninh", 2021, "national"): (1_900 * TRIEU, 1_900 * TRIEU, 0),
        ("bac-ninh", 2021, "provincial"): (4_500 * TRIEU, 4_200 * TRIEU, 300 * TRIEU),
    }
    html = response.content.decode()
    assert "1.900" in html and "4.500" in html and "4.200" in html
    assert response.context["totals"] == {
        "allocated_vnd": 6_400 * TRIEU,
        "approved_vnd": 6_100 * TRIEU,
        "remaining_vnd": 300 * TRIEU,
    }


def test_each_row_links_to_the_proposals_of_that_province_year_and_fund(client, demo):
    client.force_login(demo["dept.bacninh"])
    html = client.get(reverse("funding:list"), {"year": 2021, "fund": "national"}).content
    assert b"/proposals/?province=bac-ninh&amp;year=2021&amp;fund=national" in html


def test_only_counted_proposals_use_an_allocation(client, cast):
    make_allocation("phu-tho", 2026, "provincial", amount_vnd=10**9)
    for code, fund, approved_vnd, state in [
        ("A", "provincial", 300 * TRIEU, State.APPROVED),
        ("B", "provincial", 200 * TRIEU, State.SETTLED),
        ("C", "provincial", 100 * TRIEU, State.SUBMITTED),
        ("D", "provincial", 50 * TRIEU, State.CANCELLED),
        ("E", "national", 70 * TRIEU, State.APPROVED),
    ]:
        make_proposal(
            code,
            "phu-tho",
            2026,
            fund,
            support_vnd=approved_vnd,
            approved_support_vnd=approved_vnd,
            state=state,
        )
    client.force_login(cast["dept.phutho"])
    response = client.get(reverse("funding:list"))
    assert rows(response) == {
        ("phu-tho", 2026, "provincial"): (1_000 * TRIEU, 500 * TRIEU, 500 * TRIEU)
    }


def test_filters_by_year_province_and_fund(client, cast):
    for slug, year, fund in [
        ("bac-ninh", 2026, "national"),
        ("bac-ninh", 2026, "provincial"),
        ("bac-ninh", 2025, "provincial"),
        ("phu-tho", 2026, "provincial"),
    ]:
        make_allocation(slug, year, fund, amount_vnd=TRIEU)
    client.force_login(cast["ministry"])
    url = reverse("funding:list")
    assert len(rows(client.get(url))) == 4
    assert set(rows(client.get(url, {"year": 2026, "fund": "provincial"}))) == {
        ("bac-ninh", 2026, "provincial"),
        ("phu-tho", 2026, "provincial"),
    }
    assert set(rows(client.get(url, {"province": "phu-tho"}))) == {("phu-tho", 2026, "provincial")}


def test_a_provincial_user_sees_only_its_provinces_and_their_predecessors(client, cast):
    make_allocation("bac-ninh", 2026, "national", amount_vnd=1)
    make_allocation("bac-giang", 2020, "national", amount_vnd=1)
    make_allocation("phu-tho", 2026, "national", amount_vnd=1)
    client.force_login(cast["centre.bacninh"])
    assert set(rows(client.get(reverse("funding:list")))) == {
        ("bac-ninh", 2026, "national"),
        ("bac-giang", 2020, "national"),
    }


def test_the_list_uses_the_same_number_of_queries_for_5_and_50_rows(client, cast):
    provinces = list(Province.objects.current().values_list("slug", flat=True))
    funds = [Fund.NATIONAL, Fund.PROVINCIAL]
    keys = [(p, y, f) for y in (2026, 2027) for f in funds for p in provinces][:50]
    client.force_login(cast["ministry"])

    def add(batch):
        for i, (slug, year, fund) in enumerate(batch):
            make_allocation(slug, year, fund, amount_vnd=10**9)
            approved_vnd = (i + 1) * TRIEU
            make_proposal(
                f"P-{slug}-{year}-{fund}",
                slug,
                year,
                fund,
                support_vnd=approved_vnd,
                approved_support_vnd=approved_vnd,
                state=State.APPROVED,
            )

    add(keys[:5])
    cache.clear()  # count what computing costs, not a cached copy
    with CaptureQueriesContext(connection) as few:
        assert len(rows(client.get(reverse("funding:list")))) == 5
    add(keys[5:])
    cache.clear()  # count what computing costs, not a cached copy
    with CaptureQueriesContext(connection) as many:
        assert len(rows(client.get(reverse("funding:list")))) == 50
    assert len(many) == len(few)


def test_the_department_enters_its_provincial_and_district_allocations(client, cast):
    client.force_login(cast["dept.bacninh"])
    for fund in ("provincial", "district"):
        response = client.post(reverse("funding:create"), allocation_data(fund=fund))
        assert response.status_code == 302, response.context["form"].errors
    assert sorted(Allocation.objects.values_list("province", "year", "fund", "amount_vnd")) == [
        ("bac-ninh", 2027, "district", 5_000 * TRIEU),
        ("bac-ninh", 2027, "provincial", 5_000 * TRIEU),
    ]


def test_the_department_cannot_enter_a_national_allocation(client, cast):
    client.force_login(cast["dept.bacninh"])
    response = client.post(reverse("funding:create"), allocation_data(fund="national"))
    assert response.status_code == 200
    assert (
        "Kinh phí khuyến công quốc gia do Cục Khuyến công"
        in (response.context["form"].errors["fund"][0])
    )
    assert not Allocation.objects.exists()


def test_the_department_cannot_enter_another_provinces_allocation(client, cast):
    client.force_login(cast["dept.bacninh"])
    response = client.post(reverse("funding:create"), allocation_data(province="phu-tho"))
    assert "province" in response.context["form"].errors
    assert not Allocation.objects.exists()


def test_the_ministry_enters_national_allocations_for_any_province_but_not_local_ones(client, cast):
    client.force_login(cast["ministry"])
    response = client.post(
        reverse("funding:create"), allocation_data(fund="national", province="phu-tho")
    )
    assert response.status_code == 302
    response = client.post(reverse("funding:create"), allocation_data(province="phu-tho"))
    assert "do Sở Công Thương của tỉnh nhập" in response.context["form"].errors["fund"][0]
    assert list(Allocation.objects.values_list("province", "fund")) == [("phu-tho", "national")]


def test_a_duplicate_allocation_is_refused_with_a_link_to_the_existing_one(client, cast):
    existing = make_allocation("bac-ninh", 2027, "provincial", amount_vnd=4_500 * TRIEU)
    client.force_login(cast["dept.bacninh"])
    response = client.post(reverse("funding:create"), allocation_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã có phân bổ KCĐP tỉnh năm 2027 của Bắc Ninh (4.500 triệu đồng)." in html
    assert f'<a href="/allocations/{existing.pk}/edit/">' in html
    assert len(response.context["form"].non_field_errors()) == 1
    assert Allocation.objects.count() == 1


def test_an_edit_may_not_lower_the_amount_below_what_was_approved(client, demo):
    allocation = Allocation.objects.get(province="bac-ninh", year=2021, fund="provincial")
    client.force_login(demo["dept.bacninh"])
    url = reverse("funding:edit", args=[allocation.pk])
    response = client.post(url, {"amount_vnd": "4.000", "decision_number": "", "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["amount_vnd"] == [
        "Đã phê duyệt 4.200 triệu đồng từ phân bổ này; kinh phí phân bổ không được thấp hơn mức đó."
    ]
    allocation.refresh_from_db()
    assert allocation.amount_vnd == 4_500 * TRIEU
    response = client.post(url, {"amount_vnd": "4.200", "decision_number": "", "note": ""})
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.amount_vnd == 4_200 * TRIEU


def test_an_edit_cannot_move_an_allocation_to_another_key(client, cast):
    allocation = make_allocation("bac-ninh", 2027, "provincial", amount_vnd=TRIEU)
    client.force_login(cast["dept.bacninh"])
    data = allocation_data(year="2030", fund="district", amount_vnd="2")
    client.post(reverse("funding:edit", args=[allocation.pk]), data)
    allocation.refresh_from_db()
    assert (allocation.year, allocation.fund_id, allocation.amount_vnd) == (
        2027,
        "provincial",
        2 * TRIEU,
    )


def test_after_2025_only_todays_provinces_are_offered_and_accepted(client, cast):
    client.force_login(cast["ministry"])
    form = client.get(reverse("funding:create"), {"year": 2026}).context["form"]
    offered = set(form.fields["province"].queryset.values_list("slug", flat=True))
    assert len(offered) == 34 and "bac-giang" not in offered
    form = client.get(reverse("funding:create"), {"year": 2024}).context["form"]
    assert form.fields["province"].queryset.count() == 63
    response = client.post(
        reverse("funding:create"), allocation_data(fund="national", province="bac-giang")
    )
    assert "Bắc Giang đã sáp nhập vào Bắc Ninh" in response.context["form"].errors["province"][0]
    response = client.post(
        reverse("funding:create"),
        allocation_data(fund="national", province="bac-giang", year="2024"),
    )
    assert response.status_code == 302
    assert list(Allocation.objects.values_list("province", "year")) == [("bac-giang", 2024)]


def test_bad_money_input_shows_a_vietnamese_error_next_to_the_field_and_saves_nothing(client, cast):
    client.force_login(cast["dept.bacninh"])
    for typed in ("5.00,0", "năm tỷ", "-3", "1,2,3"):
        response = client.post(reverse("funding:create"), allocation_data(amount_vnd=typed))
        assert response.status_code == 200
        error = response.context["form"].errors["amount_vnd"][0]
        assert error.startswith("Số tiền"), error
        html = response.content.decode()
        # The message sits right under the amount box, before the next field.
        box = html.index('name="amount_vnd"')
        assert box < html.index(error.split(":")[0], box) < html.index('for="id_decision_number"')
        assert f'value="{typed}"' in html
    assert not Allocation.objects.exists()


def test_a_manager_reads_allocations_but_cannot_enter_or_edit_them(client, demo):
    allocation = Allocation.objects.get(province="bac-ninh", year=2021, fund="national")
    client.force_login(demo["manager"])
    html = client.get(reverse("funding:list"), {"year": 2021}).content.decode()
    assert "1.900" in html
    assert "/edit/" not in html
    assert reverse("funding:create") not in html
    assert client.get(reverse("funding:create")).status_code == 403
    assert client.get(reverse("funding:edit", args=[allocation.pk])).status_code == 403


def test_the_department_sees_but_cannot_edit_a_national_allocation(client, demo):
    allocation = Allocation.objects.get(province="bac-ninh", year=2021, fund="national")
    client.force_login(demo["dept.bacninh"])
    response = client.get(reverse("funding:edit", args=[allocation.pk]))
    assert response.status_code == 403


def test_another_provinces_user_gets_404_on_edit(client, demo):
    allocation = Allocation.objects.get(province="bac-ninh", year=2021, fund="provincial")
    client.force_login(demo["dept.phutho"])
    assert client.get(reverse("funding:edit", args=[allocation.pk])).status_code == 404
    data = {"amount_vnd": "1", "decision_number": "", "note": ""}
    assert client.post(reverse("funding:edit", args=[allocation.pk]), data).status_code == 404


def test_the_row_link_lists_exactly_the_proposals_of_that_allocation(client, demo):
    client.force_login(demo["dept.bacninh"])
    listing = client.get(
        reverse("funding:list"), {"year": 2021, "fund": "national", "province": "bac-ninh"}
    )
    (allocation,) = listing.context["page"].object_list
    response = client.get(
        reverse("proposals:list"), {"province": "bac-ninh", "year": 2021, "fund": "national"}
    )
    codes = sorted(p.code for p in response.context["page"].object_list)
    assert codes == ["BN-2021-QG-001", "BN-2021-QG-002"]
    approved = Proposal.objects.filter(code__in=codes).values_list(
        "approved_support_vnd", flat=True
    )
    assert sum(approved) == allocation.approved_vnd
