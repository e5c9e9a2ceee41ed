"""A national PDF adds hundreds of plans up per fund; the Excel keeps each plan."""

import pytest
from django.contrib.auth import get_user_model

from reports import pdf
from reports.summary import ReportFilters, summarise
from tests.builders import make_plan

pytestmark = pytest.mark.django_db


def test_plans_add_up_per_fund(cast):
    for n, slug in enumerate(["ha-noi", "nghe-an", "thanh-hoa"]):
        make_plan(
            slug, "national", 2021, 2025, target_support_vnd=(n + 1) * 1_000_000_000, targets=()
        )
    make_plan("ha-noi", "provincial", 2021, 2025, target_support_vnd=500_000_000, targets=())
    summary = summarise(ReportFilters(year_from=2021, year_to=2025), scope=None)
    rows = {row.fund: row for row in summary.plans_by_fund()}
    assert rows["national"].plan_count == 3
    assert rows["national"].target_support_vnd == 6_000_000_000
    assert rows["provincial"].plan_count == 1


def test_a_pdf_with_many_plans_shows_them_per_fund(cast, monkeypatch):
    import io

    import pypdf

    for slug in ["ha-noi", "nghe-an", "thanh-hoa"]:
        make_plan(slug, "national", 2021, 2025, target_support_vnd=1_000_000_000, targets=())
    summary = summarise(ReportFilters(year_from=2021, year_to=2025), scope=None)
    user = get_user_model().objects.get(username="manager")
    monkeypatch.setattr(pdf, "PDF_PLAN_ROWS", 2)
    from django.utils import timezone

    text = "".join(
        page.extract_text()
        for page in pypdf.PdfReader(
            io.BytesIO(
                pdf.render_summary_pdf(
                    summary, generated_by=user.username, generated_at=timezone.now()
                )
            )
        ).pages
    )
    assert "Cộng theo nguồn kinh phí của 3 kế hoạch" in text
    assert "Thanh Hóa · " not in text
