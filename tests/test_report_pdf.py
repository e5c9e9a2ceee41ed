"""The PDF: an A4 administrative document with the SPEC §8 figures, fonts embedded, no HTTP."""

import io

import pytest
from pypdf import PdfReader

from reports.pdf import css_string, official_date, static_file_fetcher
from tests.reports_support import (  # noqa: F401
    client_for,
    demo_data,
    download,
    pdf_line,
    pdf_text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

URLS = {
    "bac-giang": "/reports/summary.pdf?year_from=2016&year_to=2020&province=bac-giang",
    "bac-ninh": "/reports/summary.pdf?year_from=2016&year_to=2020&province=bac-ninh&rollup=1",
    "thai-nguyen": "/reports/summary.pdf?year_from=2012&year_to=2022&province=thai-nguyen",
}


@pytest.fixture(scope="module")
def pdfs(demo_data, django_db_blocker):  # noqa: F811
    """Each report rendered once for the whole module: WeasyPrint takes its time."""
    with django_db_blocker.unblock():
        client = client_for(demo_data["manager"])
        return {name: download(client, url) for name, url in URLS.items()}


@pytest.fixture(scope="module")
def text(pdfs):
    return {name: pdf_text(body) for name, (body, _response) in pdfs.items()}


def test_it_is_a_pdf_download_named_after_period_and_place(pdfs):
    body, response = pdfs["bac-giang"]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-khuyen-cong-2016-2020-bac-giang.pdf"'
    )
    assert body.startswith(b"%PDF-")


def test_it_is_a4_with_page_numbers(pdfs, text):
    reader = PdfReader(io.BytesIO(pdfs["bac-giang"][0]))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    pages = len(reader.pages)
    assert f"Trang 1/{pages}" in text["bac-giang"]
    assert f"Trang {pages}/{pages}" in text["bac-giang"]


def test_it_carries_the_vietnamese_administrative_header(text):
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text["bac-giang"]
    assert "Độc lập - Tự do - Hạnh phúc" in text["bac-giang"]
    assert "BỘ CÔNG THƯƠNG" in text["bac-giang"]
    assert "BÁO CÁO" in text["bac-giang"]
    assert "giai đoạn 2016–2020" in text["bac-giang"]
    assert "Phạm vi: Bắc Giang" in text["bac-giang"]


def test_it_says_who_generated_it_and_when(text):
    assert "Lập từ Cổng khuyến công bởi Vũ Thị Mai lúc" in text["bac-giang"]


def test_it_shows_297_proposals_and_30_722_3_trieu(text):
    assert pdf_line(text["bac-giang"], "Số đề án được tính").endswith("297")
    assert pdf_line(text["bac-giang"], "Kinh phí khuyến công hỗ trợ", "triệu").endswith("30.722,3")


def test_it_shows_each_fund_as_reported(text):
    assert "132 16.150 " in pdf_line(text["bac-giang"], "KCĐP tỉnh", "132")
    national = pdf_line(text["bac-giang"], "KCQG", " 17 ")
    assert " 17 6.000 180.000 " in national
    assert " 30,00 " in national
    assert "148 8.572,3 " in pdf_line(text["bac-giang"], "148 8.572,3")


def test_it_shows_bac_giangs_demonstration_models_and_machinery_as_reported(text):
    models = pdf_line(text["bac-giang"], "Mô hình trình diễn kỹ thuật mô hình")
    assert models.endswith("mô hình 3 3 3 3")
    machinery = pdf_line(text["bac-giang"], "Cơ sở được hỗ trợ máy móc thiết bị cơ sở")
    assert machinery.endswith("cơ sở 17 17 17 17")


def test_it_shows_the_provincial_plan_at_79_17_percent(text):
    line = pdf_line(text["bac-giang"], "20.400 16.150")
    assert line.endswith("79,17 %")


def test_it_shows_bac_giang_inside_rolled_up_bac_ninh(text):
    assert "Phạm vi: Bắc Ninh (gồm cả Bắc Giang)" in text["bac-ninh"]
    assert "297 30.722,3 " in pdf_line(text["bac-ninh"], "gồm Bắc Giang")


def test_it_shows_thai_nguyen_facilities_by_legal_form(text):
    tn = text["thai-nguyen"]
    assert pdf_line(tn, "Doanh nghiệp nhỏ và vừa").split()[-3] == "90"
    assert pdf_line(tn, "Cơ sở khác").split()[-3] == "67"
    assert pdf_line(tn, "Tổ hợp tác").split()[-3] == "7"
    assert pdf_line(tn, "Hộ kinh doanh").split()[-3] == "186"


def test_it_embeds_dejavu_sans(pdfs):
    reader = PdfReader(io.BytesIO(pdfs["bac-giang"][0]))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()  # embedded TrueType
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert "DejaVu-Sans" in fonts


def test_it_draws_the_charts(text):
    # The SVG charts become vector drawings: their legends and axis labels are text in the PDF.
    assert "Biểu đồ 1" in text["bac-giang"]
    assert "KCĐP huyện/xã" in text["bac-giang"]
    assert "16.150 / 20.400 triệu đồng · 79,17 %" in text["bac-giang"]


def test_it_never_fetches_over_http():
    for url in ("http://127.0.0.1:8000/static/css/site.css", "https://cdn.example/x.css"):
        with pytest.raises(ValueError):
            static_file_fetcher(url)
    with pytest.raises(ValueError):
        static_file_fetcher("file:///etc/passwd")


def test_it_writes_dates_the_official_way():
    import datetime

    assert official_date(datetime.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert official_date(datetime.date(2026, 11, 23)) == "ngày 23 tháng 11 năm 2026"


def test_it_escapes_text_inside_css():
    assert css_string('a"b</style>') == '"a\\22 b\\3C /style\\3E "'
