"""The dashboard shows the SPEC §8 figures, links them to the proposal list, and explains errors."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.reports_support import client_for, demo_data, html_tables  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

BAC_GIANG = "/reports/?year_from=2016&year_to=2020&province=bac-giang"


@pytest.fixture
def manager(demo_data):  # noqa: F811
    return client_for(demo_data["manager"])


def tables(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:2000]
    return html_tables(response.content.decode())


def test_it_shows_297_proposals_and_30_722_3_trieu_for_bac_giang(manager):
    headline = tables(manager, BAC_GIANG)["headline"]
    assert headline["proposals"][1] == "297"
    assert headline["support"][1] == "30.722,3"
    total = tables(manager, BAC_GIANG)["by_fund"]["total"]
    assert total[2:4] == ["297", "30.722,3"]


def test_it_shows_each_fund_as_reported(manager):
    by_fund = tables(manager, BAC_GIANG)["by_fund"]
    # TT, name, proposals, support, counterpart, other, total, leverage, share
    assert by_fund["provincial"][2:4] == ["132", "16.150"]
    assert by_fund["national"][2:5] == ["17", "6.000", "180.000"]
    assert by_fund["national"][7] == "30,00"
    assert by_fund["district"][2:4] == ["148", "8.572,3"]


def test_it_shows_bac_giangs_demonstration_models_and_machinery_as_reported(manager):
    found = tables(manager, BAC_GIANG)
    # TT, name, unit, proposals, planned, actual, accepted proposals
    assert found["outputs"]["demo_models"][2:] == ["mô hình", "3", "3", "3", "3"]
    assert found["outputs"]["machinery_facilities"][2:] == ["cơ sở", "17", "17", "17", "17"]
    assert found["by_activity"]["demo_model"][2] == "3"
    assert found["by_activity"]["machinery"][2] == "17"


def test_it_shows_the_provincial_plan_at_79_17_percent(manager):
    (plan,) = tables(manager, BAC_GIANG)["plans"].values()
    assert plan[2:4] == ["20.400", "16.150"]
    assert plan[-1] == "79,17 %"


def test_it_says_what_one_dong_of_national_support_attracted(manager):
    response = manager.get(BAC_GIANG + "&fund=national")
    headline = html_tables(response.content.decode())["headline"]
    assert headline["leverage"][1] == "30,00"
    assert "1 đồng hỗ trợ thu hút 30,00 đồng vốn đối ứng" in headline["leverage"][2]


def test_it_shows_bac_giang_inside_a_rolled_up_bac_ninh_report(manager):
    url = "/reports/?year_from=2016&year_to=2020&province=bac-ninh&rollup=1"
    by_province = tables(manager, url)["by_province"]
    assert "bac-ninh" in by_province
    assert by_province["bac-giang"][2:4] == ["297", "30.722,3"]


def test_it_shows_thai_nguyen_facilities_by_legal_form(manager):
    url = "/reports/?year_from=2012&year_to=2022&province=thai-nguyen"
    forms = tables(manager, url)["by_legal_form"]
    counts = {key: cells[2] for key, cells in forms.items()}
    assert counts == {
        "sme": "90",
        "cooperative": "0",
        "coop_group": "7",
        "household": "186",
        "other": "67",
        "total": "350",
    }


def test_it_draws_the_charts_as_inline_svg(manager):
    html = manager.get(BAC_GIANG).content.decode()
    for title in (
        "Kinh phí hỗ trợ theo năm và nguồn kinh phí",
        "Tỷ lệ thu hút vốn đối ứng theo tỉnh, thành phố",
        "Mức đạt kế hoạch giai đoạn",
    ):
        assert 'role="img" width="680"' in html and f"<title>{title}</title>" in html, title
    assert "cdn" not in html.lower()
    # The charts need no script: the page's only scripts are the portal's own small files.
    report = html[html.index('<div class="report-body">') :]
    assert "<script" not in report.split("</main>")[0]
    assert all(src.startswith("/static/js/") for src in re.findall(r'<script src="([^"]+)"', html))


def test_it_links_figures_to_the_proposal_list_with_the_same_filters(manager):
    html = manager.get(BAC_GIANG).content.decode()
    link = f"{reverse('proposals:list')}?year_from=2016&amp;year_to=2020&amp;fund=national"
    counted = "&amp;".join(f"state={s}" for s in ("approved", "in_progress", "accepted", "settled"))
    assert f'<a href="{link}&amp;province=bac-giang&amp;{counted}">17</a>' in html
    rolled = manager.get("/reports/?year_from=2016&year_to=2020&province=bac-ninh&rollup=1")
    assert "province=bac-giang&amp;province=bac-ninh" in rolled.content.decode()


def test_its_links_lead_to_the_same_proposals_on_the_list(manager):
    html = manager.get(BAC_GIANG).content.decode()
    for count in ("17", "132", "148", "297"):
        href = re.search(rf'<a href="([^"]+)">{count}</a>', html).group(1).replace("&amp;", "&")
        listed = manager.get(href)
        assert listed.status_code == 200
        assert f"{count} đề án" in listed.content.decode(), href


def test_it_offers_both_downloads_with_the_same_query(manager):
    html = manager.get(BAC_GIANG + "&rollup=0").content.decode()
    query = "year_from=2016&amp;year_to=2020&amp;province=bac-giang"
    assert f'href="/reports/summary.pdf?{query}"' in html
    assert f'href="/reports/summary.xlsx?{query}"' in html


def test_it_explains_bad_filters_in_vietnamese(manager):
    response = manager.get(
        "/reports/?year_from=abc&year_to=2010&province=atlantis&fund=gold&content=12&rollup=x"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Năm phải là một số, ví dụ 2016." in html
    assert "Không có tỉnh, thành phố mã “atlantis”." in html
    assert "Nguồn kinh phí không hợp lệ" in html
    assert "Nội dung hoạt động phải là một số từ 1 đến 9." in html
    assert "dùng 1 (có) hoặc 0 (không)" in html


def test_it_keeps_the_rollup_box_as_asked(manager):
    def checkbox(query):
        html = manager.get(BAC_GIANG + query).content.decode()
        return re.search(r'<input type="checkbox" name="rollup"[^>]*>', html).group(0)

    assert " checked" in checkbox("&rollup=1")
    assert " checked" not in checkbox("&rollup=0")
    assert " checked" not in checkbox("")


def test_it_refuses_years_in_the_wrong_order(manager):
    response = manager.get("/reports/?year_from=2020&year_to=2016")
    assert response.status_code == 400
    assert "Năm cuối (2020) phải từ năm đầu (2016) trở đi." not in response.content.decode()
    assert "Năm cuối (2016) phải từ năm đầu (2020) trở đi." in response.content.decode()


def test_it_asks_strangers_to_log_in(client):
    response = client.get("/reports/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/reports/"]


def test_it_is_in_the_main_navigation(manager):
    html = manager.get("/").content.decode()
    assert f'href="{reverse("reports:dashboard")}"' in html
