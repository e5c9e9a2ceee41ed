"""One formula policy for every workbook: the report and the list exports alike."""

import io

import openpyxl
import pytest
from django.urls import reverse

from facilities.models import Facility
from khuyencong.sheets import safe_text, sheet_title, unquote
from proposals.models import Proposal
from tests.builders import centre_of

pytestmark = pytest.mark.django_db

ATTACKS = ['=HYPERLINK("http://evil","x")', "+84 912 345 678", "@SUM(A1:A9)", "-1+1", "\t=1"]


def _workbook(client, url, query=None):
    response = client.get(url, query or {})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body))


def _cells(ws):
    return [cell for row in ws.iter_rows(min_row=2) for cell in row]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_formula_like_name_is_inert_in_the_report_and_in_the_list_exports(client, cast, text):
    facility = Facility.objects.create(
        name=text, province_id="bac-ninh", tax_code="2300100001", legal_form="sme"
    )
    proposal = Proposal.objects.create(
        code="BN-2026-001",
        title=text,
        year=2026,
        province_id="bac-ninh",
        unit=centre_of("bac-ninh"),
        implementing_unit=text,
        fund_id="provincial",
        content_id=3,
        kind="single",
        state="approved",
        support_vnd=100_000_000,
        counterpart_vnd=0,
        final_support_vnd=100_000_000,
        final_counterpart_vnd=0,
    )
    proposal.beneficiaries.create(facility=facility, support_vnd=100_000_000)
    client.force_login(cast["dept.bacninh"])
    report = _workbook(
        client, "/reports/summary.xlsx?year_from=2026&year_to=2026&province=bac-ninh"
    )
    facilities = _workbook(client, reverse("exchange:facility_export"))
    proposals = _workbook(client, reverse("exchange:proposal_export"))

    written = [
        *[c for c in _cells(report["Đề án được tính"]) if c.value and str(c.value).endswith(text)],
        *[c for c in _cells(facilities["Cơ sở CNNT"]) if c.value and str(c.value).endswith(text)],
        *[c for c in _cells(proposals["Đề án"]) if c.value and str(c.value).endswith(text)],
        *[
            c
            for c in _cells(proposals["Cơ sở thụ hưởng"])
            if c.value and str(c.value).endswith(text)
        ],
    ]
    # Title and unit in the report and in the list; the facility's name in both lists.
    assert len(written) == 6
    for cell in written:
        assert cell.data_type == "s"
        assert cell.value == "'" + text  # survives a save as CSV, where a cell type would not


def test_the_apostrophe_comes_off_again_on_import():
    for text in ATTACKS:
        assert unquote(safe_text(text)) == text
    assert safe_text("Cơ sở Đức Thắng") == "Cơ sở Đức Thắng"
    assert safe_text("bad\x01char") == "badchar"


def test_sheet_titles_keep_within_excels_rules():
    assert sheet_title("Kế hoạch: 2016/2020 [tỉnh]") == "Kế hoạch- 2016-2020 -tỉnh-"
    assert len(sheet_title("x" * 40)) == 31
