"""A national manager reads the Bắc Giang 2016–2020 report in the browser and downloads it."""

import io
import os
from pathlib import Path

import openpyxl
import pytest

from demo.data import create_demo_accounts, load_demo

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-khuyencong"


@pytest.fixture
def demo_data(transactional_db):
    load_demo(PASSWORD)
    return create_demo_accounts(PASSWORD)


def test_a_manager_filters_bac_giang_and_downloads_pdf_and_excel(
    page, live_server, login, demo_data, tmp_path
):
    login(page, live_server, "manager", PASSWORD)
    with page.expect_navigation():
        page.locator(".mainnav").get_by_role("link", name="Báo cáo", exact=True).click()
    assert page.locator("h1").inner_text() == "Báo cáo tổng hợp hoạt động khuyến công"

    page.fill("#id_year_from", "2016")
    page.fill("#id_year_to", "2020")
    page.select_option("#id_province", ["bac-giang"])
    with page.expect_navigation():
        page.click("button:has-text('Xem báo cáo')")

    assert "province=bac-giang" in page.url
    assert page.locator("[data-key=proposals] .value").inner_text() == "297"
    assert page.locator("[data-key=support] .value").inner_text() == "30.722,3"
    national = page.locator("table[data-table=by_fund] tr[data-key=national] td")
    assert national.nth(1).inner_text() == "KCQG"
    assert national.nth(4).inner_text() == "180.000"
    assert national.nth(7).inner_text() == "30,00"
    titles = set(page.locator("svg.chart > title").all_text_contents())
    assert titles >= {
        "Kinh phí hỗ trợ theo năm và nguồn kinh phí",
        "Tỷ lệ thu hút vốn đối ứng theo tỉnh, thành phố",
        "Mức đạt kế hoạch giai đoạn",
    }
    if os.getenv("REPORT_SCREENSHOTS"):
        page.screenshot(
            path=str(Path(os.environ["REPORT_SCREENSHOTS"]) / "dashboard.png"), full_page=True
        )

    with page.expect_download() as pdf:
        page.click("a[data-download=pdf]")
    assert pdf.value.suggested_filename == "bao-cao-khuyen-cong-2016-2020-bac-giang.pdf"
    pdf_path = tmp_path / pdf.value.suggested_filename
    pdf.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")

    with page.expect_download() as xlsx:
        page.click("a[data-download=xlsx]")
    assert xlsx.value.suggested_filename == "bao-cao-khuyen-cong-2016-2020-bac-giang.xlsx"
    xlsx_path = tmp_path / xlsx.value.suggested_filename
    xlsx.value.save_as(xlsx_path)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_path.read_bytes()))
    totals = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert totals["Số đề án"] == 297
