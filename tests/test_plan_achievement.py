"""A plan's targets measured in counts (reports.summary): an indicator adds up the actuals
recorded at acceptance, an activity type or a content counts proposals; only the plan's counted
proposals (its province, fund and years) count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import Plan
from reports.summary import ReportFilters, measure_plans, summarise
from tests.api_world import client_for
from tests.builders import TRIEU, make_plan
from tests.plan_support import mixed_plan, proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    return mixed_plan()


def plan_row(plan):
    (row,) = summarise(ReportFilters(provinces=("bac-ninh",)), scope=None, fresh=True).plans
    assert row.id == plan.pk
    return row


def test_an_indicator_target_adds_up_planned_and_actual_values(plan):
    target = plan_row(plan).targets[0]
    assert (target.indicator, target.count, target.planned, target.achieved) == (
        "machinery_facilities",
        10,
        9,
        7,
    )
    assert target.achievement == Decimal("0.7")


def test_an_activity_target_counts_the_proposals_of_that_type(plan):
    target = plan_row(plan).targets[1]
    assert (target.activity, target.planned, target.achieved) == ("demo_model", None, 1)
    assert target.achievement == Decimal("0.25")


def test_a_content_target_counts_the_proposals_of_that_content(plan):
    target = plan_row(plan).targets[2]
    assert (target.content, target.achieved) == (1, 1)
    assert target.achievement == Decimal("0.2")


def test_an_indicator_with_a_content_counts_only_that_contents_proposals(plan):
    target = plan_row(plan).targets[3]
    assert (target.planned, target.achieved) == (60, 0)
    assert target.achievement == Decimal("0")


def test_the_plan_measures_its_number_of_proposals_and_its_money(plan):
    row = plan_row(plan)
    assert (row.proposals, row.target_proposals) == (4, 8)
    assert row.proposals_achievement == Decimal("0.5")
    assert row.support_vnd == 2_000 * TRIEU
    assert row.achievement == Decimal("0.5")


def test_the_json_face_carries_each_target_in_counts(plan, cast):
    response = client_for(cast["manager"]).get("/api/v1/reports/summary/", {"province": "bac-ninh"})
    (data,) = response.json()["plans"]
    assert (data["target_proposals"], data["proposals"], data["proposals_achievement"]) == (
        8,
        4,
        0.5,
    )
    assert data["targets"][0] == {
        "content": None,
        "activity": None,
        "indicator": "machinery_facilities",
        "count": 10,
        "target": 10,
        "planned": 9,
        "achieved": 7,
        "achievement": 0.7,
        "description": "",
        "unit": "cơ sở",
    }
    assert [(t["activity"], t["content"], t["achieved"]) for t in data["targets"][1:]] == [
        ("demo_model", None, 1),
        (None, 1, 1),
        (None, 1, 0),
    ]


def test_a_ten_year_orientation_plan_counts_all_its_years(cast):
    make_plan(
        "bac-ninh",
        "provincial",
        2021,
        2030,
        target_support_vnd=10_000 * TRIEU,
        targets=({"activity_id": "machinery", "count": 20},),
    )
    proposal("Y1", year=2021)
    proposal("Y2", year=2030)
    proposal("Y3", year=2031)
    (row,) = summarise(ReportFilters(provinces=("bac-ninh",)), scope=None, fresh=True).plans
    assert (row.year_from, row.year_to, row.proposals, row.support_vnd) == (
        2021,
        2030,
        2,
        1_000 * TRIEU,
    )
    assert row.targets[0].achieved == 2


def test_measuring_plans_takes_the_same_number_of_queries_for_more_plans(cast):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            measure_plans(Plan.objects.all(), scope=None)
        return len(captured.captured_queries)

    make_plan("bac-ninh", targets=({"indicator_id": "demo_models", "count": 1},))
    proposal("Q1", outputs=[("demo_models", 1, 1)])
    few = queries()
    for slug in ("phu-tho", "ha-noi", "nghe-an"):
        make_plan(slug, targets=({"indicator_id": "demo_models", "count": 1}, (3, "Máy", 2)))
        proposal(f"Q-{slug}", province=slug, outputs=[("demo_models", 1, 1)])
    assert queries() == few == 5
