"""The ministry enters a ten-year orientation plan for Bắc Giang in the browser and follows it
up: the demo's national proposals of 2021–2024 built 2 demonstration models."""

import pytest

from demo.data import create_demo_accounts, load_demo
from funding.models import Plan

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-khuyencong"


@pytest.fixture
def demo_data(transactional_db):
    load_demo(PASSWORD)
    return create_demo_accounts(PASSWORD)


def test_the_ministry_enters_a_ten_year_plan_and_follows_it_up(page, live_server, login, demo_data):
    login(page, live_server, "ministry", PASSWORD)
    with page.expect_navigation():
        page.locator(".mainnav").get_by_role("link", name="Kế hoạch giai đoạn").click()
    with page.expect_navigation():
        page.click("text=Nhập kế hoạch")

    page.select_option("#id_province", "bac-giang")
    page.select_option("#id_fund", "national")
    page.fill("#id_year_from", "2021")
    page.fill("#id_year_to", "2030")
    page.fill("#id_target_support_vnd", "50.000")
    page.select_option("#id_targets-0-indicator", "demo_models")
    page.fill("#id_targets-0-count", "10")
    page.select_option("#id_targets-1-activity", "cluster_planning")
    page.fill("#id_targets-1-count", "4")
    with page.expect_navigation():
        page.click("button:has-text('Lưu')")

    plan = Plan.objects.get(province="bac-giang", fund="national", year_to=2030)
    assert page.url.endswith(f"/plans/{plan.pk}/")
    demo = page.locator("[data-table=targets] tr[data-key=demo_models] td")
    assert demo.nth(2).inner_text() == "2 / 10 mô hình"
    assert demo.nth(4).inner_text() == "20,00 %"
    clusters = page.locator("[data-table=targets] tr[data-key=cluster_planning] td")
    assert clusters.nth(2).inner_text() == "1 / 4 đề án"
    assert page.locator("[data-figure=support]").inner_text().startswith("6.300 / 50.000")
