"""An approved proposal followed to its end in the browser: start, progress, advance, accept,
final payment, settle."""

import pytest

from demo.data import create_demo_accounts
from proposals.models import Proposal
from tests.builders import centre_of

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-khuyencong"
TRIEU = 1_000_000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def as_user(page, live_server, login, username, proposal):
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")


@pytest.fixture
def approved(transactional_db):
    create_demo_accounts(PASSWORD)
    proposal = Proposal.objects.create(
        code="PT-2026-DP-777",
        title="Hỗ trợ máy đóng gói chè",
        year=2026,
        province_id="phu-tho",
        unit=centre_of("phu-tho"),
        implementing_unit="Trung tâm Khuyến công Phú Thọ",
        fund_id="provincial",
        content_id=3,
        kind="single",
        support_vnd=800 * TRIEU,
        counterpart_vnd=1_600 * TRIEU,
        state="approved",
        approved_support_vnd=800 * TRIEU,
        decision_number="300/QĐ-SCT",
    )
    proposal.record_final_figures(800 * TRIEU, 1_600 * TRIEU, 0)
    proposal.save()
    return proposal


def test_an_approved_proposal_is_followed_to_settlement(
    page, live_server, login, approved, tmp_path
):
    proposal = approved
    as_user(page, live_server, login, "centre.phutho", proposal)
    submit(page, "a.action-start")
    submit(page, "form button.primary")
    assert "Đang thực hiện" in page.locator(".badge").first.inner_text()

    # A monthly progress report with a photo of the installed machine.
    photo = tmp_path / "lap-dat.pdf"
    photo.write_bytes(PDF)
    page.fill("#progress textarea[name=narrative]", "Đã lắp đặt máy, chạy thử ổn định.")
    page.fill("#progress input[name=percent_complete]", "60")
    page.set_input_files("#progress input[name=files]", str(photo))
    submit(page, "#progress button.primary")
    assert "60 %" in page.locator("#progress").inner_text()
    assert "lap-dat.pdf" in page.locator("#progress").inner_text()

    # An advance of 50 % of the approved support.
    page.select_option("#payments select[name=kind]", "advance")
    page.fill("#payments input[name=amount_vnd]", "400")
    submit(page, "#payments form.payment-form button.primary")

    as_user(page, live_server, login, "dept.phutho", proposal)
    submit(page, "#payments button[value=approve]")
    assert "Đã duyệt" in page.locator("#payments").inner_text()

    # Acceptance with the actual figures and the signed minutes.
    submit(page, "a.action-accept")
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(PDF)
    page.fill("#id_support_vnd", "780")
    page.fill("#id_counterpart_vnd", "1.650")
    page.fill("#id_other_vnd", "0")
    page.fill("#id_council", "Bà Phạm Thu Hà — Phó Giám đốc Sở, Chủ tịch hội đồng")
    page.set_input_files("#id_minutes", str(minutes))
    submit(page, "form button.primary")
    assert "Đã nghiệm thu" in page.locator(".badge").first.inner_text()
    assert "bien-ban.pdf" in page.locator("#acceptance").inner_text()

    # The final payment: what remains of the accepted support.
    as_user(page, live_server, login, "centre.phutho", proposal)
    page.select_option("#payments select[name=kind]", "final")
    page.fill("#payments input[name=amount_vnd]", "380")
    submit(page, "#payments form.payment-form button.primary")
    as_user(page, live_server, login, "dept.phutho", proposal)
    submit(page, "#payments button[value=approve]")
    assert "Đã thanh toán 780 / 780" in page.locator("#payments").inner_text()

    # Settlement closes the file.
    submit(page, "a.action-settle")
    page.fill("#id_decision_number", "45/QĐ-QT")
    submit(page, "form button.primary")
    assert "Đã quyết toán" in page.locator(".badge").first.inner_text()
    proposal.refresh_from_db()
    assert (proposal.state, proposal.final_support_vnd, proposal.final_counterpart_vnd) == (
        "settled",
        780 * TRIEU,
        1_650 * TRIEU,
    )
    assert page.locator("a.action-cancel").count() == 0
