"""The summary costs the same number of queries for ten proposals as for a thousand."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facilities.models import Facility
from proposals.models import Beneficiary, OutcomeIndicator, Proposal
from reports.summary import ReportFilters, summarise
from tests.builders import centre_of, make_plan
from tests.reports_support import client_for, provincial_manager

pytestmark = pytest.mark.django_db

PROVINCES = ["bac-giang", "bac-ninh", "thai-nguyen", "ha-noi", "phu-tho", "hoa-binh"]
FUNDS = ["national", "provincial", "district"]
STATES = ["approved", "in_progress", "accepted", "settled", "draft", "cancelled"]
# One activity type per content (SPEC §3.1); None: a proposal entered before types existed.
ACTIVITIES = [
    "vocational_training",
    "market_development",
    "machinery",
    "fair",
    "consultancy",
    "communication",
    "cluster_planning",
    "international",
    None,
]
INDICATORS = ["trainees", "learners", "machines", "fairs", "consultations", "media_items"]
AREAS = ["normal", "disadvantaged", "especially_disadvantaged"]


def make_proposals(n: int) -> None:
    """`n` proposals across provinces, years, funds, contents and states, one facility each."""
    facilities = Facility.objects.bulk_create(
        Facility(
            name=f"Cơ sở {i}",
            legal_form=["sme", "household", "other", "coop_group", "cooperative"][i % 5],
            tax_code=f"QC{n:05d}{i:06d}",
            province_id=PROVINCES[i % len(PROVINCES)],
            area_class=AREAS[i % len(AREAS)],
        )
        for i in range(n)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            code=f"QC-{n}-{i:06d}",
            title=f"Đề án {i}",
            year=2016 + i % 9,
            province_id=PROVINCES[i % len(PROVINCES)],
            unit=centre_of(PROVINCES[i % len(PROVINCES)]),
            implementing_unit="Trung tâm",
            fund_id=FUNDS[i % 3],
            content_id=1 + i % 9,
            activity_id=ACTIVITIES[i % 9],
            kind="single",
            state=STATES[i % len(STATES)],
            support_vnd=100_000_000,
            counterpart_vnd=300_000_000,
            final_support_vnd=100_000_000,
            final_counterpart_vnd=300_000_000,
            final_other_vnd=0,
        )
        for i in range(n)
    )
    Beneficiary.objects.bulk_create(
        Beneficiary(proposal=p, facility=f, support_vnd=100_000_000, counterpart_vnd=300_000_000)
        for p, f in zip(proposals, facilities, strict=True)
    )
    OutcomeIndicator.objects.bulk_create(
        OutcomeIndicator(
            proposal=p, indicator_id=INDICATORS[i % len(INDICATORS)], planned=3, actual=2
        )
        for i, p in enumerate(proposals)
    )


def make_plans() -> None:
    for slug in ("bac-giang", "bac-ninh"):
        make_plan(
            slug, year_from=2016, target_support_vnd=10_000_000_000, targets=[(3, "Mô hình", 5)]
        )


def queries_for(callable_) -> int:
    cache.clear()  # count what computing costs, not a cached copy
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


def summary_queries(filters: ReportFilters, scope=None) -> int:
    return queries_for(lambda: summarise(filters, scope=scope))


FILTERS = [
    ReportFilters(),
    ReportFilters(year_from=2016, year_to=2020, provinces=("bac-ninh",), rollup=True),
    ReportFilters(year_from=2017, year_to=2023, fund="provincial", content=3),
]


def test_it_runs_the_same_queries_for_10_and_1000_proposals():
    make_plans()
    make_proposals(10)
    small = [summary_queries(f) for f in FILTERS]
    make_proposals(1000)
    assert Proposal.objects.count() == 1010
    large = [summary_queries(f) for f in FILTERS]
    assert small == large
    # A handful: reference data (funds, contents, activity types, indicators, provinces), six
    # GROUP BYs (year and fund, content with activity and unit, province, legal form, outputs, area
    # class), plans.
    assert max(large) <= 15


def test_it_renders_the_dashboard_with_the_same_queries_for_10_and_1000_proposals():
    client = client_for(provincial_manager("counted.manager", "bac-ninh"))
    url = "/reports/?year_from=2016&year_to=2024&province=bac-ninh&rollup=1"
    make_plans()
    make_proposals(10)
    client.get(url)  # warm the session and caches
    small = queries_for(lambda: client.get(url))
    make_proposals(1000)
    large = queries_for(lambda: client.get(url))
    assert small == large
