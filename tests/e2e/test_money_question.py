"""SPEC §6 in the browser: đồng typed into a triệu box is asked about, never stored as triệu."""

import pytest

from demo.data import create_demo_accounts
from proposals.models import Proposal

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-khuyencong"


@pytest.fixture
def world(transactional_db):
    create_demo_accounts(PASSWORD)


def test_dong_typed_without_its_unit_is_asked_about_and_nothing_is_saved(
    page, live_server, login, world
):
    login(page, live_server, "centre.phutho", PASSWORD)
    page.goto(f"{live_server.url}/proposals/new/")
    page.fill("#id_code", "PT-2026-DP-901")
    page.fill("#id_title", "Hỗ trợ máy sao chè")
    page.select_option("#id_province", "phu-tho")
    page.select_option("#id_fund", "provincial")
    page.select_option("#id_content", "3")
    page.select_option("#id_activity", "machinery")
    page.select_option("#id_kind", "single")
    if page.locator("#id_implementing_unit").count():
        page.fill("#id_implementing_unit", "Trung tâm Khuyến công Phú Thọ")
    # The unit stands beside the box.
    assert "triệu đồng" in page.locator("#id_support_vnd").locator("xpath=..").inner_text()
    page.fill("#id_support_vnd", "450.000.000")
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    body = page.locator("body").inner_text()
    assert "450.000.000 triệu đồng = 450.000 tỷ đồng — ý bạn là 450 triệu?" in body
    # What was typed stays in the box for correction, and nothing was stored.
    assert page.locator("#id_support_vnd").input_value() == "450.000.000"
    assert not Proposal.objects.filter(code="PT-2026-DP-901").exists()

    page.fill("#id_support_vnd", "450")
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    assert Proposal.objects.get(code="PT-2026-DP-901").support_vnd == 450_000_000
