"""The workbook: one sheet per table, real numbers with formats, the proposal list streamed."""

import datetime
import io

import openpyxl
import pytest

from khuyencong import sheets
from tests.reports_support import client_for, demo_data, download  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

URLS = {
    "bac-giang": "/reports/summary.xlsx?year_from=2016&year_to=2020&province=bac-giang",
    "bac-ninh": "/reports/summary.xlsx?year_from=2016&year_to=2020&province=bac-ninh&rollup=1",
    "thai-nguyen": "/reports/summary.xlsx?year_from=2012&year_to=2022&province=thai-nguyen",
}


@pytest.fixture(scope="module")
def files(demo_data, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        client = client_for(demo_data["manager"])
        return {name: download(client, url) for name, url in URLS.items()}


@pytest.fixture(scope="module")
def books(files):
    return {name: openpyxl.load_workbook(io.BytesIO(body)) for name, (body, _r) in files.items()}


def rows(sheet, key_column=0):
    """{key: row values} for the data rows under the header."""
    return {
        row[key_column]: row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[key_column] is not None
    }


def test_it_is_an_xlsx_download_named_after_period_and_place(files):
    body, response = files["bac-giang"]
    assert response.status_code == 200
    assert response["Content-Type"] == sheets.CONTENT_TYPE
    assert (
        'filename="bao-cao-khuyen-cong-2016-2020-bac-giang.xlsx"'
        in (response["Content-Disposition"])
    )
    assert body[:2] == b"PK"


def test_it_has_one_sheet_per_table_and_the_proposal_list(books):
    titles = books["bac-giang"].sheetnames
    assert titles == [
        "Tổng hợp",
        "Theo nguồn kinh phí",
        "Theo nội dung",
        "Theo loại hoạt động",
        "Kết quả đầu ra",
        "Theo tỉnh, thành phố",
        "Theo đơn vị chủ trì",
        "Theo năm",
        "Theo loại hình cơ sở",
        "Theo địa bàn",
        "Kế hoạch giai đoạn",
        "Chỉ tiêu kế hoạch",
        "Đề án được tính",
    ]
    assert all(len(title) <= 31 for title in titles)
    assert "Gộp theo tỉnh hiện nay" in books["bac-ninh"].sheetnames


def test_it_shows_297_proposals_and_30_722_3_trieu_as_numbers(books):
    summary = {row[0]: row[1] for row in books["bac-giang"]["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Số đề án"] == 297
    assert summary["Kinh phí khuyến công hỗ trợ"] == 30_722_300_000
    assert isinstance(summary["Kinh phí khuyến công hỗ trợ"], int)


def test_it_shows_each_fund_as_reported(books):
    funds = rows(books["bac-giang"]["Theo nguồn kinh phí"])
    # key, name, proposals, support, counterpart, other, total, leverage, share
    assert funds["provincial"][2:4] == (132, 16_150_000_000)
    assert funds["national"][2:5] == (17, 6_000_000_000, 180_000_000_000)
    assert funds["national"][7] == 30
    assert funds["district"][2:4] == (148, 8_572_300_000)


def test_it_shows_bac_giangs_demonstration_models_and_machinery_as_reported(books):
    outputs = rows(books["bac-giang"]["Kết quả đầu ra"])
    # key, name, unit, proposals, planned, actual, accepted proposals
    assert outputs["demo_models"][2:] == ("mô hình", 3, 3, 3, 3)
    assert outputs["machinery_facilities"][2:] == ("cơ sở", 17, 17, 17, 17)
    activities = rows(books["bac-giang"]["Theo loại hoạt động"])
    assert (activities["demo_model"][3], activities["machinery"][3]) == (3, 17)


def test_it_shows_the_provincial_plan_at_79_17_percent(books):
    (plan,) = rows(books["bac-giang"]["Kế hoạch giai đoạn"]).values()
    assert plan[1] == "KCĐP tỉnh"
    assert plan[4:6] == (20_400_000_000, 16_150_000_000)
    assert plan[7] == pytest.approx(0.7917)


def test_it_shows_bac_giang_inside_rolled_up_bac_ninh(books):
    provinces = rows(books["bac-ninh"]["Theo tỉnh, thành phố"])
    assert provinces["bac-giang"][2] == "Bắc Ninh"  # rolled into today's province
    assert provinces["bac-giang"][3:5] == (297, 30_722_300_000)
    rolled = rows(books["bac-ninh"]["Gộp theo tỉnh hiện nay"])
    assert "Bắc Giang" in rolled["bac-ninh"][2]


def test_it_shows_thai_nguyen_facilities_by_legal_form(books):
    forms = rows(books["thai-nguyen"]["Theo loại hình cơ sở"])
    counts = {key: row[2] for key, row in forms.items()}
    assert counts == {"sme": 90, "cooperative": 0, "coop_group": 7, "household": 186, "other": 67}


def test_it_lists_every_counted_proposal(books):
    sheet = books["bac-giang"]["Đề án được tính"]
    listed = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(listed) == 297
    assert sum(row[13] for row in listed) == 30_722_300_000
    assert {row[3] for row in listed} == {"bac-giang"}


def test_it_formats_numbers_freezes_headers_and_filters(books):
    for sheet in books["bac-giang"].worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.column_dimensions["A"].width > 5, sheet.title
    funds = books["bac-giang"]["Theo nguồn kinh phí"]
    national = next(r for r in funds.iter_rows(min_row=2) if r[0].value == "national")
    assert national[3].number_format == "#,##0"
    assert national[7].number_format == "0.00"
    assert national[8].number_format == "0.00%"
    assert national[3].data_type == "n"


def test_it_writes_naive_local_datetimes(books):
    summary = {row[0]: row[1] for row in books["bac-giang"]["Tổng hợp"].iter_rows(values_only=True)}
    generated = summary["Thời điểm lập"]
    assert isinstance(generated, datetime.datetime)
    assert generated.tzinfo is None


def test_it_builds_the_whole_workbook_in_write_only_mode(demo_data, monkeypatch):  # noqa: F811
    modes = []
    real = sheets.Workbook

    def spy(*args, **kwargs):
        modes.append(kwargs.get("write_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(sheets, "Workbook", spy)
    download(client_for(demo_data["manager"]), URLS["bac-giang"])
    assert modes == [True]
