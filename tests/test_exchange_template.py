"""The import templates: Vietnamese headers, drop-down lists, a guide, the user's provinces."""

import pytest
from django.urls import reverse

from exchange.sheets import FACILITIES, PROPOSALS
from tests.exchange_files import read_xlsx

pytestmark = pytest.mark.django_db


def _template(client, user, kind):
    client.force_login(user)
    response = client.get(reverse("exchange:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return read_xlsx(b"".join(response.streaming_content))


def _list_validations(ws) -> dict:
    """Column letter -> list formula of the sheet's drop-down validations."""
    found = {}
    for validation in ws.data_validations.dataValidation:
        if validation.type == "list":
            for cell_range in validation.sqref.ranges:
                found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation.formula1
    return found


def _lists(workbook) -> dict:
    ws = workbook["Danh mục"]
    columns = {}
    for column in ws.iter_cols(values_only=True):
        columns[column[0]] = [v for v in column[1:] if v]
    return columns


def test_facility_template_has_vietnamese_headers_and_drop_downs(client, cast):
    workbook = _template(client, cast["centre.bacninh"], "facilities")
    assert workbook.sheetnames == ["Cơ sở CNNT", "Hướng dẫn", "Danh mục"]
    ws = workbook["Cơ sở CNNT"]
    headers = [cell.value for cell in ws[1]]
    assert headers[:4] == [
        "Mã số thuế / số đăng ký",
        "Tên cơ sở *",
        "Loại hình *",
        "Tỉnh, thành phố *",
    ]
    assert "Số đề án" not in headers  # export-only columns stay out of the template
    validations = _list_validations(ws)
    # Legal form, province and area class pick from the "Danh mục" sheet.
    assert set(validations) == {"C", "D", "H"}
    assert all(formula.startswith("'Danh mục'!$") for formula in validations.values())
    lists = _lists(workbook)
    assert lists["legal_form"] == [
        "Doanh nghiệp nhỏ và vừa",
        "Hợp tác xã",
        "Tổ hợp tác",
        "Hộ kinh doanh",
        "Cơ sở khác",
    ]
    assert "Địa bàn đặc biệt khó khăn" in lists["area_class"]
    # The tax code column is text, so 0101234567 keeps its leading zero.
    assert ws.column_dimensions["A"].number_format == "@"


def test_template_offers_only_the_users_provinces(client, cast):
    lists = _lists(_template(client, cast["centre.bacninh"], "facilities"))
    assert sorted(lists["province"]) == ["Bắc Giang", "Bắc Ninh"]
    lists = _lists(_template(client, cast["centre.phutho"], "proposals"))
    assert sorted(lists["province"]) == ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]


def test_proposal_template_has_fund_content_kind_lists_and_a_beneficiary_sheet(client, cast):
    workbook = _template(client, cast["centre.bacninh"], "proposals")
    assert workbook.sheetnames == ["Đề án", "Cơ sở thụ hưởng", "Hướng dẫn", "Danh mục"]
    ws = workbook["Đề án"]
    headers = [cell.value for cell in ws[1]]
    letters = {c.field: chr(ord("A") + i) for i, c in enumerate(PROPOSALS.importable)}
    assert headers[ord(letters["support_vnd"]) - ord("A")] == "Kinh phí khuyến công hỗ trợ (đồng) *"
    validations = _list_validations(ws)
    assert set(validations) == {
        letters[f] for f in ("province", "fund", "content", "activity", "kind")
    }
    lists = _lists(workbook)
    assert lists["fund"][0] == "Khuyến công quốc gia"
    assert len(lists["content"]) == 9
    beneficiaries = [c.value for c in workbook["Cơ sở thụ hưởng"][1]]
    assert beneficiaries == [
        "Mã đề án *",
        "Mã số thuế cơ sở *",
        "Kinh phí hỗ trợ (đồng)",
        "Vốn đối ứng (đồng)",
    ]


def test_guide_explains_every_column_and_money_in_trieu(client, cast):
    workbook = _template(client, cast["centre.bacninh"], "proposals")
    text = "\n".join(
        str(v) for row in workbook["Hướng dẫn"].iter_rows(values_only=True) for v in row if v
    )
    for column in PROPOSALS.importable:
        assert column.header in text
    assert "30.722,3" in text
    assert "Tất cả hoặc không gì cả" in text
    assert FACILITIES.title not in workbook.sheetnames


def test_manager_gets_no_template(client, cast):
    client.force_login(cast["manager"])
    assert client.get(reverse("exchange:template", args=["facilities"])).status_code == 403
    client.force_login(cast["dept.bacninh"])
    assert client.get(reverse("exchange:template", args=["facilities"])).status_code == 200
    # Proposals are drafted by the centre only.
    assert client.get(reverse("exchange:template", args=["proposals"])).status_code == 403
