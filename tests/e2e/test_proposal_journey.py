"""A proposal's first round trip in the browser: draft, submit, return, fix, resubmit, approve."""

import re

import pytest

from demo.data import create_demo_accounts
from facilities.models import Facility
from funding.models import Allocation
from proposals.models import Proposal

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-khuyencong"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit(page, selector):
    """Click something that loads a new page, and wait for that page."""
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def world(transactional_db):
    create_demo_accounts(PASSWORD)
    Facility.objects.create(
        name="Công ty TNHH Chè Phú Thọ Xanh",
        legal_form="sme",
        province_id="phu-tho",
        tax_code="2600300001",
    )
    Allocation.objects.create(
        province_id="phu-tho", year=2026, fund_id="provincial", amount_vnd=5_000_000_000
    )


def test_a_proposal_goes_from_draft_to_approval(page, live_server, login, world, tmp_path):
    # The centre drafts a proposal with two beneficiaries: one existing, one created inline.
    login(page, live_server, "centre.phutho", PASSWORD)
    page.goto(f"{live_server.url}/proposals/new/")
    page.fill("#id_code", "PT-2026-DP-900")
    page.fill("#id_title", "Hỗ trợ máy sao chè cho hai cơ sở")
    page.select_option("#id_province", "phu-tho")
    page.select_option("#id_fund", "provincial")
    # The activity list offers only the chosen content's types.
    page.select_option("#id_content", "1")
    assert page.locator("#id_activity option[value=machinery]").is_disabled()
    page.select_option("#id_content", "3")
    assert page.locator("#id_activity option[value=fair]").is_disabled()
    page.select_option("#id_activity", "machinery")
    page.select_option("#id_kind", "group")
    page.fill("#id_implementing_unit", "Trung tâm Khuyến công Phú Thọ")
    page.fill("#id_support_vnd", "600")
    page.fill("#id_counterpart_vnd", "1.200")
    page.locator(".facility-search").first.fill("che phu tho")
    assert page.locator("#id_ben-0-facility").input_value() != ""
    page.fill("#id_ben-0-support_vnd", "400")
    page.fill("#id_ben-0-counterpart_vnd", "800")
    page.fill("#id_ben-1-new_name", "Hộ kinh doanh chè Thanh Sơn")
    page.select_option("#id_ben-1-new_legal_form", "household")
    page.fill("#id_ben-1-support_vnd", "200")
    page.fill("#id_ben-1-counterpart_vnd", "400")
    page.select_option("#id_ind-0-indicator", "machines")
    page.fill("#id_ind-0-planned", "4")
    page.click("button[data-formset=ind]")
    page.fill("#id_ind-2-name", "Công suất sao chè")
    page.fill("#id_ind-2-unit", "tấn/năm")
    page.fill("#id_ind-2-planned", "1.200")
    submit(page, "text=Lưu đề án")
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(code="PT-2026-DP-900")
    assert proposal.beneficiaries.count() == 2
    assert list(proposal.indicators.values_list("indicator", "name", "planned")) == [
        ("machines", "", 4),
        (None, "Công suất sao chè", 1_200),
    ]

    attachment = tmp_path / "du-toan.pdf"
    attachment.write_bytes(PDF)
    page.set_input_files("input[name=file]", str(attachment))
    submit(page, "form.inline-form button[type=submit]")
    assert page.locator(".attachments").get_by_text("du-toan.pdf").is_visible()

    submit(page, "a.action-submit")
    submit(page, "form button.primary")
    assert "Đã gửi" in page.locator(".badge").first.inner_text()

    # The department returns it with a comment.
    page.context.clear_cookies()
    login(page, live_server, "dept.phutho", PASSWORD)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    submit(page, "a.action-return")
    page.fill("#id_comment", "Đề nghị bổ sung báo giá máy sao chè.")
    submit(page, "form button.primary")
    assert "Trả lại" in page.locator(".badge").first.inner_text()

    # The centre fixes it and resubmits.
    page.context.clear_cookies()
    login(page, live_server, "centre.phutho", PASSWORD)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    assert page.get_by_text("Đề nghị bổ sung báo giá máy sao chè.").is_visible()
    submit(page, "text=Sửa đề án")
    page.fill("#id_scale", "4 máy sao chè công suất 200 kg/giờ (kèm báo giá)")
    submit(page, "text=Lưu đề án")
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    submit(page, "a.action-submit")
    submit(page, "form button.primary")

    # The department approves with a decision number.
    page.context.clear_cookies()
    login(page, live_server, "dept.phutho", PASSWORD)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    submit(page, "a.action-approve")
    page.fill("#id_decision_number", "215/QĐ-SCT")
    submit(page, "form button.primary")
    assert "Đã phê duyệt" in page.locator(".badge").first.inner_text()

    timeline = page.locator(".timeline .tl-event")
    assert timeline.count() == 4
    text = page.locator(".timeline").inner_text()
    for step in ("Gửi thẩm định", "Trả lại để sửa", "Phê duyệt", "215/QĐ-SCT"):
        assert step in text
    assert "Quy mô" in text  # the centre's fix shows as a field change
    proposal.refresh_from_db()
    assert (proposal.state, proposal.approved_support_vnd) == ("approved", 600_000_000)
