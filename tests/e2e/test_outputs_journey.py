"""Outputs in the browser: a centre plans indicators from the catalogue, the department accepts
the proposal with what was actually achieved, a manager reads both in the report's outputs table."""

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
    with page.expect_navigation():
        page.click(selector)


def as_user(page, live_server, login, username, proposal=None):
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)
    if proposal is not None:
        page.goto(f"{live_server.url}{proposal.get_absolute_url()}")


@pytest.fixture
def world(transactional_db):
    create_demo_accounts(PASSWORD)
    Facility.objects.create(
        name="Hợp tác xã Chè Tân Sơn",
        legal_form="cooperative",
        province_id="phu-tho",
        tax_code="2600300077",
        area_class="especially_disadvantaged",
    )
    Allocation.objects.create(
        province_id="phu-tho", year=2026, fund_id="provincial", amount_vnd=5_000_000_000
    )


def test_planned_and_accepted_outputs_reach_the_managers_report(
    page, live_server, login, world, tmp_path
):
    # The centre plans 4 machines for 1 facility, picked from the catalogue.
    as_user(page, live_server, login, "centre.phutho")
    page.goto(f"{live_server.url}/proposals/new/")
    page.fill("#id_code", "PT-2026-DP-950")
    page.fill("#id_title", "Hỗ trợ máy sao chè cho HTX Chè Tân Sơn")
    page.select_option("#id_province", "phu-tho")
    page.select_option("#id_fund", "provincial")
    page.select_option("#id_content", "3")
    page.select_option("#id_activity", "machinery")
    page.select_option("#id_kind", "single")
    page.fill("#id_implementing_unit", "Trung tâm Khuyến công Phú Thọ")
    page.fill("#id_support_vnd", "400")
    page.fill("#id_counterpart_vnd", "800")
    page.locator(".facility-search").first.fill("che tan son")
    assert page.locator("#id_ben-0-facility").input_value() != ""
    page.fill("#id_ben-0-support_vnd", "400")
    page.fill("#id_ben-0-counterpart_vnd", "800")
    page.select_option("#id_ind-0-indicator", "machines")
    page.fill("#id_ind-0-planned", "4")
    page.select_option("#id_ind-1-indicator", "machinery_facilities")
    page.fill("#id_ind-1-planned", "1")
    submit(page, "text=Lưu đề án")
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(code="PT-2026-DP-950")
    submit(page, "a.action-submit")
    submit(page, "form button.primary")

    # The department approves; the centre starts the work.
    as_user(page, live_server, login, "dept.phutho", proposal)
    submit(page, "a.action-approve")
    page.fill("#id_decision_number", "301/QĐ-SCT")
    submit(page, "form button.primary")
    as_user(page, live_server, login, "centre.phutho", proposal)
    submit(page, "a.action-start")
    submit(page, "form button.primary")
    assert "Đang thực hiện" in page.locator(".badge").first.inner_text()

    # The department accepts: 3 of the 4 machines, the facility, and 12 jobs nobody planned.
    as_user(page, live_server, login, "dept.phutho", proposal)
    submit(page, "a.action-accept")
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(PDF)
    page.fill("#id_support_vnd", "400")
    page.fill("#id_counterpart_vnd", "800")
    page.fill("#id_other_vnd", "0")
    page.fill("#id_council", "Ông Nguyễn Văn Bình — Phó Giám đốc Sở, Chủ tịch hội đồng")
    page.set_input_files("#id_minutes", str(minutes))
    machines, facilities = proposal.indicators.order_by("id")
    page.fill(f"#id_ind_{machines.pk}", "3")
    page.fill(f"#id_ind_{facilities.pk}", "1")
    page.select_option("#id_new_0_indicator", "jobs_created")
    page.fill("#id_new_0_actual", "12")
    submit(page, "form button.primary")
    assert "Đã nghiệm thu" in page.locator(".badge").first.inner_text()

    # A national manager reads Phú Thọ's 2026 report: planned and actual, row by row.
    as_user(page, live_server, login, "manager")
    page.goto(f"{live_server.url}/reports/?year_from=2026&year_to=2026&province=phu-tho")
    outputs = page.locator("table[data-table=outputs]")

    def cells(key):
        return outputs.locator(f"tr[data-key={key}] td").all_inner_texts()[1:]

    assert cells("machinery_facilities") == [
        "Cơ sở được hỗ trợ máy móc thiết bị",
        "cơ sở",
        "1",
        "1",
        "1",
        "1",
    ]
    assert cells("machines") == ["Máy móc, thiết bị được hỗ trợ", "máy", "1", "4", "3", "1"]
    assert cells("jobs_created") == ["Việc làm mới tạo ra", "người", "1", "0", "12", "1"]
    chart = page.locator("svg.chart", has=page.locator("title", has_text="Kết quả đầu ra"))
    assert "3 / 4 máy" in chart.text_content()
    area = page.locator("table[data-table=by_area_class] tr[data-key=especially_disadvantaged]")
    assert area.locator("td").all_inner_texts()[2:5] == ["1", "1", "400"]
