"""Plan pages: the list and a plan's follow-up (targets achieved in counts, money), and the
form with its targets, entered by the department (local funds) or the ministry (national)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import Plan, PlanTarget
from funding.permissions import may_edit_plan, may_enter_plans
from khuyencong.models import Province
from tests.builders import TRIEU, make_plan
from tests.plan_support import mixed_plan

pytestmark = pytest.mark.django_db


def plan_data(*targets, **overrides):
    """The plan form as a browser posts it: the plan's fields and the targets' formset."""
    data = {
        "province": "bac-ninh",
        "fund": "provincial",
        "year_from": "2026",
        "year_to": "2030",
        "target_support_vnd": "25.000",
        "target_proposals": "40",
        "note": "",
        "targets-TOTAL_FORMS": str(len(targets) + 1),
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    for n, target in enumerate(targets):
        for name in ("content", "activity", "indicator", "count", "description", "unit"):
            data[f"targets-{n}-{name}"] = target.get(name, "")
    data.update(overrides)
    return data


def test_the_follow_up_shows_each_target_achieved_and_the_money(client, cast):
    plan = mixed_plan()
    client.force_login(cast["manager"])
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>7</strong> / 10 cơ sở" in html
    assert "70,00 %" in html
    assert "<strong>1</strong> / 4 đề án" in html
    assert "<strong>2.000</strong> / 4.000 triệu đồng · 50,00 %" in html
    assert "<strong>4</strong> / 8 đề án · 50,00 %" in html
    # A manager reads; only the department edits a provincial plan.
    assert reverse("plans:edit", args=[plan.pk]) not in html


def test_the_list_is_scoped_to_the_users_provinces(client, cast):
    make_plan("bac-ninh", targets=())
    make_plan("bac-giang", "provincial", 2016, 2020, targets=())
    make_plan("phu-tho", targets=())
    client.force_login(cast["dept.bacninh"])
    html = client.get(reverse("plans:list")).content.decode()
    assert "Bắc Ninh" in html and "Bắc Giang" in html
    assert "Phú Thọ" not in html
    client.force_login(cast["manager"])
    assert "Phú Thọ" in client.get(reverse("plans:list")).content.decode()


def test_another_provinces_plan_is_not_found(client, cast):
    plan = make_plan("bac-ninh", targets=())
    client.force_login(cast["dept.phutho"])
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 404
    response = client.post(reverse("plans:edit", args=[plan.pk]), plan_data())
    assert response.status_code == 404
    assert Plan.objects.get().target_proposals is None


def test_the_department_enters_a_plan_with_targets(client, cast):
    client.force_login(cast["dept.bacninh"])
    response = client.post(
        reverse("plans:create"),
        plan_data(
            {"indicator": "machinery_facilities", "count": "42"},
            {"content": "3", "activity": "demo_model", "count": "5"},
        ),
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert (plan.target_support_vnd, plan.target_proposals) == (25_000 * TRIEU, 40)
    assert list(plan.targets.values_list("indicator", "activity", "content", "count", "unit")) == [
        ("machinery_facilities", None, None, 42, "cơ sở"),
        (None, "demo_model", 3, 5, "đề án"),
    ]


def test_a_ten_year_orientation_plan_is_entered(client, cast):
    client.force_login(cast["dept.bacninh"])
    response = client.post(
        reverse("plans:create"),
        plan_data({"indicator": "trainees", "count": "3000"}, year_from="2021", year_to="2030"),
    )
    assert response.status_code == 302
    assert Plan.objects.values_list("year_from", "year_to").get() == (2021, 2030)


@pytest.mark.parametrize(
    "target, message",
    [
        ({"count": "5"}, "Hãy chọn nội dung, loại hoạt động hoặc chỉ tiêu đầu ra."),
        ({"content": "1", "activity": "machinery", "count": "5"}, "thuộc nội dung 3"),
        ({"indicator": "demo_models", "count": "-2"}, "lớn hơn hoặc bằng 0"),
    ],
)
def test_a_bad_target_is_refused_on_the_page_and_nothing_is_saved(client, cast, target, message):
    client.force_login(cast["dept.bacninh"])
    response = client.post(reverse("plans:create"), plan_data(target))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_the_department_may_not_enter_a_national_plan(client, cast):
    client.force_login(cast["dept.bacninh"])
    response = client.post(reverse("plans:create"), plan_data(fund="national"))
    assert "Cục Khuyến công" in response.context["form"].errors["fund"][0]
    assert not Plan.objects.exists()


def test_the_ministry_edits_national_plans_but_reads_local_ones(client, cast):
    local = make_plan("bac-ninh", "provincial", targets=())
    national = make_plan("bac-ninh", "national", targets=())
    client.force_login(cast["ministry"])
    assert client.get(reverse("plans:edit", args=[local.pk])).status_code == 403
    assert client.get(reverse("plans:edit", args=[national.pk])).status_code == 200
    response = client.post(
        reverse("plans:edit", args=[national.pk]),
        plan_data(
            {"indicator": "demo_models", "count": "5"},
            fund="national",
            version="1",
            target_support_vnd="27.700",
        ),
    )
    assert response.status_code == 302
    national.refresh_from_db()
    assert (national.target_support_vnd, national.version) == (27_700 * TRIEU, 2)


def test_a_centre_and_a_manager_may_not_enter_plans(client, cast):
    for username in ("centre.bacninh", "manager"):
        client.force_login(cast[username])
        assert client.get(reverse("plans:create")).status_code == 403
        assert client.post(reverse("plans:create"), plan_data()).status_code == 403
    assert not Plan.objects.exists()


def test_a_stale_edit_is_refused_and_shows_what_changed(client, cast):
    plan = make_plan("bac-ninh", targets=({"indicator_id": "demo_models", "count": 5},))
    client.force_login(cast["dept.bacninh"])
    url = reverse("plans:edit", args=[plan.pk])
    first = client.post(url, plan_data({"indicator": "demo_models", "count": "6"}, version="1"))
    assert first.status_code == 302
    second = client.post(
        url,
        plan_data({"indicator": "demo_models", "count": "9"}, version="1", note="Bản cũ"),
    )
    html = second.content.decode()
    assert second.status_code == 200
    assert "Kế hoạch đã được người khác sửa" in html
    assert "Tải lại bản mới nhất" in html
    assert list(PlanTarget.objects.values_list("count", flat=True)) == [6]
    assert Plan.objects.get().note == ""


def test_the_nav_links_the_plans(client, cast):
    client.force_login(cast["centre.bacninh"])
    html = client.get(reverse("plans:list")).content.decode()
    assert f'href="{reverse("plans:list")}"' in html


def test_the_list_takes_the_same_number_of_queries_for_3_and_30_plans(client, cast):

    slugs = list(Province.objects.current().values_list("slug", flat=True))[:30]
    client.force_login(cast["ministry"])

    def listed():
        cache.clear()  # count what computing costs, not a cached copy
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("plans:list")).content.decode()
        return html.count("data-plan="), len(queries)

    for slug in slugs[:3]:
        make_plan(slug, targets=({"indicator_id": "demo_models", "count": 1}, (3, "Máy", 2)))
    few, few_queries = listed()
    for slug in slugs[3:]:
        make_plan(slug, targets=({"indicator_id": "demo_models", "count": 1}, (3, "Máy", 2)))
    many, many_queries = listed()
    assert (few, many) == (3, 30)
    assert many_queries == few_queries


def test_plan_rights_are_plain_verdicts_with_a_reason(cast):
    local = make_plan("bac-ninh", "provincial", targets=())
    national = make_plan("bac-ninh", "national", targets=())
    assert may_edit_plan(cast["dept.bacninh"], local) == (True, "")
    assert may_edit_plan(cast["ministry"], national) == (True, "")
    allowed, reason = may_edit_plan(cast["dept.bacninh"], national)
    assert not allowed and "Cục Khuyến công" in reason
    allowed, reason = may_edit_plan(cast["ministry"], local)
    assert not allowed and "Sở Công Thương" in reason
    assert may_enter_plans(cast["centre.bacninh"])[0] is False
    assert may_enter_plans(cast["manager"])[0] is False
