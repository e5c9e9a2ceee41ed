"""reports.summary reproduces the programme's own figures (SPEC §8) from the demo data."""

from decimal import Decimal

import pytest

from proposals.models import Proposal
from reports.summary import ProvinceNotVisible, ReportFilters, summarise
from tests.reports_support import demo_data  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

BAC_GIANG_2016_2020 = ReportFilters(year_from=2016, year_to=2020, provinces=("bac-giang",))


def by_key(rows):
    return {row.key: row for row in rows}


def test_it_counts_297_proposals_and_30_722_3_trieu_for_bac_giang_2016_2020():
    summary = summarise(BAC_GIANG_2016_2020, scope=None)
    assert summary.totals.proposals == 297
    assert summary.totals.support_vnd == 30_722_300_000


def test_it_breaks_bac_giang_down_by_fund_as_reported():
    funds = by_key(summarise(BAC_GIANG_2016_2020, scope=None).by_fund)
    assert (funds["provincial"].proposals, funds["provincial"].support_vnd) == (
        132,
        16_150_000_000,
    )
    assert (funds["national"].proposals, funds["national"].support_vnd) == (17, 6_000_000_000)
    assert (funds["district"].proposals, funds["district"].support_vnd) == (148, 8_572_300_000)


def test_it_finds_leverage_30_for_the_national_fund():
    national = by_key(summarise(BAC_GIANG_2016_2020, scope=None).by_fund)["national"]
    assert national.counterpart_vnd == 180_000_000_000
    assert national.leverage == Decimal("30.00")


def test_it_measures_the_provincial_plan_at_79_17_percent():
    plans = summarise(BAC_GIANG_2016_2020, scope=None).plans
    provincial = next(p for p in plans if p.fund == "provincial")
    assert (provincial.year_from, provincial.year_to) == (2016, 2020)
    assert provincial.target_support_vnd == 20_400_000_000
    assert provincial.support_vnd == 16_150_000_000
    assert provincial.achievement == Decimal("0.7917")


def test_it_lists_only_plans_that_overlap_the_period():
    plans = summarise(BAC_GIANG_2016_2020, scope=None).plans
    assert [(p.fund, p.year_from) for p in plans] == [("provincial", 2016)]
    later = summarise(ReportFilters(2021, 2025, ("bac-giang",)), scope=None).plans
    national = next(p for p in later if p.fund == "national")
    assert national.target_support_vnd == 27_700_000_000
    assert {t.count for t in national.targets} >= {5, 42, 1, 2, 3}


def test_it_rolls_bac_giang_into_a_2016_2020_bac_ninh_report():
    summary = summarise(
        ReportFilters(year_from=2016, year_to=2020, provinces=("bac-ninh",), rollup=True),
        scope=None,
    )
    (bac_ninh,) = summary.by_province
    assert bac_ninh.key == "bac-ninh"
    bac_giang = by_key(bac_ninh.parts)["bac-giang"]
    assert (bac_giang.proposals, bac_giang.support_vnd) == (297, 30_722_300_000)
    assert summary.totals.proposals >= 297
    assert summary.totals.support_vnd >= 30_722_300_000
    assert by_key(summary.by_fund)["national"].leverage is not None
    assert summary.place == "Bắc Ninh (gồm cả Bắc Giang)"


def test_it_leaves_bac_giang_out_of_bac_ninh_without_rollup():
    summary = summarise(
        ReportFilters(year_from=2016, year_to=2020, provinces=("bac-ninh",)), scope=None
    )
    assert "bac-giang" not in {row.key for row in summary.by_province}
    assert summary.included == frozenset({"bac-ninh"})


def test_it_counts_thai_nguyen_facilities_by_legal_form():
    summary = summarise(ReportFilters(2012, 2022, ("thai-nguyen",)), scope=None)
    forms = {row.key: row.facilities for row in summary.by_legal_form}
    assert forms == {"sme": 90, "other": 67, "coop_group": 7, "household": 186, "cooperative": 0}
    assert summary.facilities == 350


def test_it_counts_only_proposals_from_approval_on():
    everything = Proposal.objects.filter(province="bac-giang", year__range=(2016, 2020))
    assert everything.count() > 297  # the demo holds drafts, rejections, cancellations too
    assert summarise(BAC_GIANG_2016_2020, scope=None).totals.proposals == 297


def test_its_breakdowns_add_up_to_the_totals():
    summary = summarise(ReportFilters(), scope=None)
    for rows in (summary.by_fund, summary.by_content, summary.by_province, summary.by_year):
        assert sum(row.proposals for row in rows) == summary.totals.proposals
        assert sum(row.support_vnd for row in rows) == summary.totals.support_vnd
        assert sum(row.counterpart_vnd for row in rows) == summary.totals.counterpart_vnd
    for row in summary.by_year:
        assert sum(row.support_by_fund.values()) == row.support_vnd


def test_it_filters_by_fund_and_content():
    summary = summarise(
        ReportFilters(2016, 2020, ("bac-giang",), fund="national", content=3), scope=None
    )
    assert [row.key for row in summary.by_fund] == ["national"]
    assert [row.key for row in summary.by_content] == [3]
    expected = Proposal.objects.counted_in_reports().filter(
        province="bac-giang", year__range=(2016, 2020), fund="national", content=3
    )
    assert summary.totals.proposals == expected.count()


def test_it_keeps_money_in_integer_dong():
    summary = summarise(ReportFilters(), scope=None)
    assert type(summary.totals.support_vnd) is int
    assert all(type(row.support_vnd) is int for row in summary.by_province)


def test_it_refuses_a_province_out_of_scope():
    with pytest.raises(ProvinceNotVisible):
        summarise(ReportFilters(provinces=("ha-noi",)), scope={"bac-ninh", "bac-giang"})


def test_it_names_the_file_after_period_and_place():
    assert summarise(BAC_GIANG_2016_2020, scope=None).file_stem == (
        "bao-cao-khuyen-cong-2016-2020-bac-giang"
    )
    assert summarise(ReportFilters(), scope=None).file_stem == "bao-cao-khuyen-cong-toan-quoc"
