"""The summary's outputs, activity types and area classes (SPEC §7), on small hand-made data."""

from decimal import Decimal

import pytest

from proposals.models import OutcomeIndicator
from reports.summary import ProvinceNotVisible, ReportFilters, summarise
from tests.builders import TRIEU, add_beneficiary, make_facility, make_proposal

pytestmark = pytest.mark.django_db

BAC_GIANG = ReportFilters(year_from=2016, year_to=2020, provinces=("bac-giang",))


def counted(code, state="approved", province="bac-giang", year=2020, support=500, **extra):
    return make_proposal(
        code,
        province=province,
        year=year,
        state=state,
        support_vnd=support * TRIEU,
        final_support_vnd=support * TRIEU,
        final_counterpart_vnd=0,
        final_other_vnd=0,
        **extra,
    )


def plan(proposal, key, planned, actual=None):
    OutcomeIndicator.objects.create(
        proposal=proposal, indicator_id=key, planned=planned, actual=actual
    )


@pytest.fixture
def world():
    """Bắc Giang 2016–2020: one accepted machinery proposal, one approved demonstration model,
    one settled training course without a plan for its trainees, one draft that is not counted,
    one old proposal without an activity type. Bắc Ninh 2026: one training course."""
    machinery = counted("BG-1", "accepted", content_id=3, activity_id="machinery", support=300)
    plan(machinery, "machinery_facilities", 2, actual=2)
    plan(machinery, "machines", 5, actual=4)
    OutcomeIndicator.objects.create(
        proposal=machinery, name="Công suất", unit="tấn/năm", planned=60_000, actual=55_000
    )
    model = counted("BG-2", "approved", content_id=3, activity_id="demo_model", support=200)
    plan(model, "demo_models", 1)
    plan(model, "machines", 3)
    course = counted("BG-3", "settled", content_id=1, activity_id="vocational_training", support=50)
    OutcomeIndicator.objects.create(proposal=course, indicator_id="trainees", actual=35)
    draft = make_proposal("BG-4", province="bac-giang", year=2020, activity_id="machinery")
    plan(draft, "machinery_facilities", 100)
    counted("BG-5", "in_progress", content_id=3, activity=None, support=100)
    ninh = counted(
        "BN-1",
        "in_progress",
        province="bac-ninh",
        year=2026,
        content_id=1,
        activity_id="vocational_training",
        support=80,
    )
    plan(ninh, "trainees", 30)
    return {"machinery": machinery, "model": model, "course": course, "ninh": ninh}


def outputs(summary):
    return [(r.key, r.unit, r.proposals, r.planned, r.actual) for r in summary.outputs]


def test_it_adds_up_catalogue_outputs_planned_and_accepted(world):
    assert outputs(summarise(BAC_GIANG, scope=None)) == [
        ("trainees", "người", 1, 0, 35),
        ("demo_models", "mô hình", 1, 1, None),
        ("machinery_facilities", "cơ sở", 1, 2, 2),
        # Planned on both proposals; only the accepted one has an actual yet.
        ("machines", "máy", 2, 8, 4),
    ]


def test_it_never_adds_up_free_text_indicators(world):
    summary = summarise(BAC_GIANG, scope=None)
    assert "Công suất" not in [row.label for row in summary.outputs]
    assert None not in [row.key for row in summary.outputs]


def test_it_leaves_out_outputs_of_proposals_that_are_not_counted(world):
    (row,) = [
        r for r in summarise(BAC_GIANG, scope=None).outputs if r.key == "machinery_facilities"
    ]
    assert (row.proposals, row.planned) == (1, 2)


def test_it_rolls_an_absorbed_provinces_outputs_into_its_successor(world):
    rolled = ReportFilters(year_from=2016, year_to=2026, provinces=("bac-ninh",), rollup=True)
    rows = {
        r.key: (r.proposals, r.planned, r.actual) for r in summarise(rolled, scope=None).outputs
    }
    assert rows["trainees"] == (2, 30, 35)
    assert rows["machinery_facilities"] == (1, 2, 2)
    alone = ReportFilters(year_from=2016, year_to=2026, provinces=("bac-ninh",))
    assert outputs(summarise(alone, scope=None)) == [("trainees", "người", 1, 30, None)]


def test_it_follows_the_report_filters_for_outputs(world):
    training = summarise(ReportFilters(2016, 2020, ("bac-giang",), content=1), scope=None)
    assert outputs(training) == [("trainees", "người", 1, 0, 35)]


def test_it_breaks_support_down_by_activity_type_with_unclassified_last(world):
    rows = [
        (r.key, r.content, r.proposals, r.support_vnd)
        for r in summarise(BAC_GIANG, scope=None).by_activity
    ]
    assert rows == [
        ("vocational_training", 1, 1, 50 * TRIEU),
        ("demo_model", 3, 1, 200 * TRIEU),
        ("machinery", 3, 1, 300 * TRIEU),
        (None, None, 1, 100 * TRIEU),
    ]
    unclassified = summarise(BAC_GIANG, scope=None).by_activity[-1]
    assert unclassified.label == "Chưa phân loại"
    assert unclassified.share == Decimal("0.1538")  # 100 of 650


def test_it_adds_up_beneficiaries_support_by_area_class(world):
    normal = make_facility("bac-giang", name="Cơ sở A")
    poor = make_facility("bac-giang", name="Cơ sở B", area_class="disadvantaged")
    poorest = make_facility("bac-giang", name="Cơ sở C", area_class="especially_disadvantaged")
    machinery_a = add_beneficiary(world["machinery"], normal, support_vnd=120 * TRIEU)
    add_beneficiary(world["machinery"], poor, support_vnd=180 * TRIEU)
    # Acceptance recorded less than planned for A: the actual counts.
    machinery_a.actual_support_vnd = 100 * TRIEU
    machinery_a.save()
    add_beneficiary(world["model"], poor, support_vnd=200 * TRIEU)
    draft = make_proposal("BG-9", province="bac-giang", year=2020)
    add_beneficiary(draft, poorest, support_vnd=900 * TRIEU)

    rows = [
        (r.key, r.facilities, r.proposals, r.support_vnd, r.share)
        for r in summarise(BAC_GIANG, scope=None).by_area_class
    ]
    assert rows == [
        ("normal", 1, 1, 100 * TRIEU, Decimal("0.2083")),
        ("disadvantaged", 1, 2, 380 * TRIEU, Decimal("0.7917")),
        ("especially_disadvantaged", 0, 0, 0, Decimal("0")),
    ]


def test_it_answers_the_new_tables_in_json(world):
    data = summarise(BAC_GIANG, scope=None).as_json()
    assert data["outputs"][1] == {
        "indicator": "demo_models",
        "name": "Mô hình trình diễn kỹ thuật",
        "unit": "mô hình",
        "proposals": 1,
        "planned": 1,
        "accepted_proposals": 0,
        "actual": None,
    }
    assert data["by_activity"][-1]["activity"] is None
    assert data["by_activity"][2]["activity"] == "machinery"
    assert data["by_activity"][2]["support_vnd"] == 300_000_000
    assert data["by_activity"][2]["content"] == 3
    assert [row["area_class"] for row in data["by_area_class"]] == [
        "normal",
        "disadvantaged",
        "especially_disadvantaged",
    ]


def test_it_narrows_the_report_to_one_activity_type(world):
    summary = summarise(ReportFilters(2016, 2020, ("bac-giang",), activity="machinery"), scope=None)
    assert (summary.totals.proposals, summary.totals.support_vnd) == (1, 300 * TRIEU)
    assert [row.key for row in summary.by_activity] == ["machinery"]
    assert summary.activity_label == "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến"
    assert [r.key for r in summary.outputs] == ["machinery_facilities", "machines"]
    assert summary.file_stem == "bao-cao-khuyen-cong-2016-2020-bac-giang-machinery"
    assert ("activity", "machinery") in summary.filters.query_items()


def test_another_provinces_outputs_stay_out_of_a_provincial_report(world):
    phu_tho = frozenset({"phu-tho", "hoa-binh", "vinh-phuc"})
    assert summarise(ReportFilters(2016, 2026), scope=phu_tho).outputs == []
    with pytest.raises(ProvinceNotVisible):
        summarise(BAC_GIANG, scope=phu_tho)
