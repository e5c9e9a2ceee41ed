"""A facility registers online with a document, the centre turns it into a draft proposal, and
the facility sees that on the status page: the online public service end to end."""

import re

import pytest
from django.core.cache import cache

from demo.data import create_demo_accounts
from proposals.models import Proposal
from registrations.models import Registration

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-khuyencong"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit(page, selector):
    """Click something that loads a new page, and wait for that page."""
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the rate limit counts in the cache
    create_demo_accounts(PASSWORD)
    yield
    cache.clear()


def test_a_facility_registers_and_follows_its_request_into_a_proposal(
    page, live_server, login, world, tmp_path
):
    # A member of the public, with no account, fills the form on a phone-sized screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dang-ky/")
    page.fill("#id_name", "Hợp tác xã Chè Thanh Sơn")
    page.select_option("#id_legal_form", "cooperative")
    page.fill("#id_tax_code", "2600777001")
    page.select_option("#id_province", "phu-tho")
    page.fill("#id_address", "Xã Thanh Sơn")
    page.fill("#id_sector", "Chế biến chè")
    page.fill("#id_representative", "Hà Thị Lan")
    page.fill("#id_phone", "0912 000 111")
    page.check("input[name=content][value='3']")
    page.fill("#id_need", "Hỗ trợ máy sao chè tự động")
    page.fill("#id_description", "Thay hai lò sao thủ công bằng một máy sao chè tự động.")
    page.fill("#id_requested_support_vnd", "250")
    page.fill("#id_counterpart_vnd", "500")
    quote = tmp_path / "bao-gia-may-sao-che.pdf"
    quote.write_bytes(PDF)
    page.set_input_files("#id_files", str(quote))
    page.check("#id_confirm")
    submit(page, "button[type=submit].primary")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"KC-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    registration = Registration.objects.get(code=code)
    assert registration.files.count() == 1

    # The centre finds it in its queue and turns it into a draft proposal.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "centre.phutho", PASSWORD)
    submit(page, "nav >> text=Đăng ký trực tuyến")
    submit(page, f"text={code}")
    assert page.get_by_text("bao-gia-may-sao-che.pdf").is_visible()
    submit(page, "a.action-convert")
    assert page.input_value("#id_title").startswith("Hỗ trợ máy sao chè tự động")
    assert page.input_value("#id_support_vnd") == "250"
    page.fill("#id_code", "PT-2026-DK-001")
    submit(page, "form button.primary")
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(code="PT-2026-DK-001")
    assert proposal.state == "draft"
    assert page.locator(".attachments").get_by_text("bao-gia-may-sao-che.pdf").is_visible()
    assert "Hợp tác xã Chè Thanh Sơn" in page.locator("body").inner_text()

    # The facility looks its code up with the tax code and sees the outcome.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-ky/tra-cuu/")
    page.fill("#id_code", code.lower())
    page.fill("#id_secret", "2600777001")
    submit(page, "button[type=submit].primary")
    result = page.locator(".result").inner_text()
    assert "Đã đưa vào đề án" in result
    assert "PT-2026-DK-001" in result
