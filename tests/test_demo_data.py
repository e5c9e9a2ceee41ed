"""`load_demo` reproduces the programme's own figures (SPEC §8) and is idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum

from demo.data import load_demo
from facilities.models import Facility
from funding.models import Allocation, Plan
from proposals import lifecycle
from proposals.models import Beneficiary, OutcomeIndicator, Proposal, ProposalEvent
from reports.summary import ReportFilters, summarise

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "users": sorted(get_user_model().objects.values_list("username", "is_staff")),
        "facilities": sorted(Facility.objects.values_list("tax_code", "name", "legal_form")),
        "proposals": sorted(
            Proposal.objects.values_list(
                "code", "state", "support_vnd", "counterpart_vnd", "final_support_vnd"
            )
        ),
        "beneficiaries": sorted(
            Beneficiary.objects.values_list("proposal__code", "facility__tax_code", "support_vnd")
        ),
        "events": ProposalEvent.objects.count(),
        "indicators": sorted(
            OutcomeIndicator.objects.values_list("proposal__code", "indicator", "name", "actual"),
            key=str,
        ),
        "allocations": sorted(
            Allocation.objects.values_list("province", "year", "fund", "amount_vnd")
        ),
        "plans": sorted(
            Plan.objects.values_list("province", "fund", "year_from", "target_support_vnd")
        ),
    }


def test_load_demo_twice_leaves_the_same_data():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert snapshot() == first


def test_bac_giang_2016_2020_sums_by_fund_match_the_programme_report():
    load_demo()
    counted = Proposal.objects.counted_in_reports().filter(
        province="bac-giang", year__gte=2016, year__lte=2020
    )
    assert counted.count() == 297
    assert counted.totals()["support_vnd"] == 30_722_300_000
    by_fund = {
        row["fund"]: (row["n"], row["support"], row["counterpart"])
        for row in counted.values("fund").annotate(
            n=Count("id"),
            support=Sum("final_support_vnd"),
            counterpart=Sum("final_counterpart_vnd"),
        )
    }
    assert by_fund["provincial"][:2] == (132, 16_150_000_000)
    assert by_fund["national"] == (17, 6_000_000_000, 180_000_000_000)
    assert by_fund["district"][:2] == (148, 8_572_300_000)


def test_bac_giang_provincial_target_gives_79_17_percent():
    load_demo()
    plan = Plan.objects.get(province="bac-giang", fund="provincial", year_from=2016)
    assert round(16_150_000_000 / plan.target_support_vnd * 100, 2) == 79.17


def test_bac_giang_2021_2025_plan_has_its_targets():
    load_demo()
    plan = Plan.objects.get(province="bac-giang", fund="national", year_from=2021, year_to=2025)
    assert plan.target_support_vnd == 27_700_000_000
    assert sorted(plan.targets.values_list("indicator", "count")) == [
        ("cleaner_production_pilots", 1),
        ("cluster_plans", 2),
        ("clusters_upgraded", 2),
        ("demo_models", 5),
        ("machinery_facilities", 42),
        ("relocated_facilities", 3),
    ]


def test_bac_giang_2021_2025_plan_is_followed_up_in_counts():
    load_demo()
    (plan,) = [
        row
        for row in summarise(ReportFilters(2021, 2025, ("bac-giang",)), scope=None).plans
        if row.fund == "national"
    ]
    achieved = {t.indicator: (t.planned, t.achieved, t.count) for t in plan.targets}
    assert achieved == {
        "demo_models": (2, 2, 5),
        "machinery_facilities": (14, 6, 42),
        "cleaner_production_pilots": (0, 0, 1),
        "cluster_plans": (1, 1, 2),
        "clusters_upgraded": (0, 0, 2),
        "relocated_facilities": (0, 0, 3),
    }
    assert (plan.proposals, plan.support_vnd) == (5, 6_300_000_000)


def test_bac_ninh_2021_allocations():
    load_demo()
    amounts = dict(
        Allocation.objects.filter(province="bac-ninh", year=2021).values_list("fund", "amount_vnd")
    )
    assert amounts == {"national": 1_900_000_000, "provincial": 4_500_000_000}
    carton = Proposal.objects.get(code="BN-2021-QG-001")
    assert carton.beneficiaries.count() == 3
    assert Proposal.objects.get(code="BN-2021-DP-001").beneficiaries.count() == 14


def test_thai_nguyen_supported_350_facilities_by_legal_form():
    load_demo()
    counted = Proposal.objects.counted_in_reports().filter(
        province="thai-nguyen", year__gte=2012, year__lte=2022
    )
    by_form = dict(
        Facility.objects.filter(beneficiaries__proposal__in=counted)
        .values("legal_form")
        .annotate(n=Count("id", distinct=True))
        .values_list("legal_form", "n")
    )
    assert by_form == {"sme": 90, "other": 67, "coop_group": 7, "household": 186}


def test_every_demo_proposal_belongs_to_a_province_of_its_year():
    load_demo()
    for proposal in Proposal.objects.select_related("province"):
        assert proposal.province.existed_in(proposal.year), proposal.code


def test_beneficiary_amounts_add_up_wherever_given():
    load_demo()
    for proposal in Proposal.objects.annotate(
        n=Count("beneficiaries"),
        s=Sum("beneficiaries__support_vnd"),
        c=Sum("beneficiaries__counterpart_vnd"),
    ).filter(n__gt=0):
        assert (proposal.s, proposal.c) == (proposal.support_vnd, proposal.counterpart_vnd)


def test_every_demo_proposal_names_an_activity_type_of_its_content():
    load_demo()
    proposals = Proposal.objects.select_related("activity")
    assert not proposals.filter(activity=None).exists()
    for proposal in proposals:
        assert proposal.activity.content_id == proposal.content_id, proposal.code
    by_activity = dict(
        proposals.filter(code__startswith="BN-2021-").values_list("code", "activity")
    )
    assert by_activity == {
        "BN-2021-QG-001": "machinery",
        "BN-2021-QG-002": "demo_model",
        "BN-2021-DP-001": "machinery",
    }
    assert Proposal.objects.get(code="BN-2026-DP-001").activity_id == "fair"


def test_bac_giang_2016_2020_reproduces_its_outputs():
    """SPEC §8: 3 demonstration models and 17 facilities given advanced machinery."""
    load_demo()
    counted = Proposal.objects.filter(
        province="bac-giang", year__range=(2016, 2020), state__in=lifecycle.COUNTED_STATES
    )
    models = counted.filter(activity="demo_model")
    assert sorted(models.values_list("title", flat=True)) == [
        "Xây dựng mô hình trình diễn kỹ thuật sản xuất chế phẩm sinh học biolin",
        "Xây dựng mô hình trình diễn kỹ thuật sản xuất thức ăn chăn nuôi",
        "Xây dựng mô hình trình diễn kỹ thuật sản xuất tấm lợp cách nhiệt ba lớp",
    ]
    outputs = OutcomeIndicator.objects.filter(proposal__in=counted)
    assert (
        list(outputs.filter(indicator="demo_models").values_list("proposal__activity", "actual"))
        == [("demo_model", 1)] * 3
    )
    machinery = outputs.filter(indicator="machinery_facilities")
    assert set(machinery.values_list("proposal__activity", flat=True)) == {"machinery"}
    assert machinery.aggregate(n=Sum("actual"))["n"] == 17
    assert counted.filter(activity="machinery").count() == 17


def test_demo_indicators_name_the_catalogue_and_capacity_stays_other():
    load_demo()
    others = OutcomeIndicator.objects.filter(indicator=None)
    assert list(others.values_list("proposal__code", "name", "unit", "planned")) == [
        ("BN-2021-QG-002", "Công suất mô hình", "tấn/năm", 60_000)
    ]
