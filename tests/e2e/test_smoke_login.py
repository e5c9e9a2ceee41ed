"""A demo user signs in through the browser and is greeted with their role and province."""

import pytest

from demo.data import create_demo_accounts

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-khuyencong"


@pytest.fixture
def demo_accounts(transactional_db):
    return create_demo_accounts(PASSWORD)


def test_a_centre_user_logs_in_and_sees_their_role(page, live_server, login, demo_accounts):
    login(page, live_server, "centre.bacninh", PASSWORD)

    assert page.url == f"{live_server.url}/"
    assert "Xin chào" in page.locator("h1").inner_text()
    roles = page.locator("ul.roles").inner_text()
    assert "Trung tâm Khuyến công" in roles
    assert "Bắc Ninh" in roles
    # The stylesheet is served too: the page is styled, not bare HTML.
    assert page.evaluate("document.styleSheets.length") >= 1
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 0


def test_a_wrong_password_stays_on_the_login_page(page, live_server, login, demo_accounts):
    login(page, live_server, "centre.bacninh", "not-the-password")

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.locator(".errors").is_visible()
    assert page.locator("h1").inner_text() == "Đăng nhập"
