"""A province's exchange document: lossless round trip, idempotent import, who may download."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from exchange.province import ExchangeError, import_document, iter_document, load
from facilities.models import Facility
from funding.models import Allocation, Plan, PlanTarget
from khuyencong import append_only
from khuyencong.models import Province
from proposals.models import (
    Acceptance,
    Beneficiary,
    OutcomeIndicator,
    Payment,
    ProgressReport,
    Proposal,
    ProposalEvent,
    Settlement,
)
from tests.builders import centre_of

pytestmark = pytest.mark.django_db
TRIEU = 1_000_000
MODELS = (
    Facility,
    Proposal,
    Beneficiary,
    OutcomeIndicator,
    ProposalEvent,
    ProgressReport,
    Payment,
    Acceptance,
    Settlement,
    Allocation,
    Plan,
    PlanTarget,
)


def moment(*args):
    return timezone.make_aware(datetime.datetime(*args), datetime.UTC)


@pytest.fixture
def world(cast):
    """Bắc Ninh today and Bắc Giang's history, with every kind of record; Phú Thọ beside."""
    old_hand = get_user_model().objects.create(username="centre.bacgiang", first_name="Lê Văn")
    carton = Facility.objects.create(
        name="Bao bì Đức Thắng", legal_form="sme", tax_code="2300100001", province_id="bac-ninh"
    )
    household = Facility.objects.create(
        name="Hộ Nguyễn Văn Bình", legal_form="household", province_id="bac-giang", address="Xã A"
    )
    Facility.objects.create(
        name="Cơ sở Phú Thọ", legal_form="sme", tax_code="2600100001", province_id="phu-tho"
    )
    settled = Proposal.objects.create(
        code="BG-2023-001",
        title="Máy móc",
        year=2023,
        province_id="bac-giang",
        unit=centre_of("bac-giang"),
        implementing_unit="TTKC Bắc Giang",
        fund_id="provincial",
        content_id=3,
        activity_id="machinery",
        kind="group",
        support_vnd=500 * TRIEU,
        counterpart_vnd=1_500 * TRIEU,
        state="settled",
        version=7,
        decision_number="123/QĐ-UBND",
        decision_date=datetime.date(2023, 3, 1),
        approved_support_vnd=500 * TRIEU,
        created_by=old_hand,
    )
    settled.record_final_figures(480 * TRIEU, 1_500 * TRIEU, 0)
    settled.save()
    Beneficiary.objects.create(
        proposal=settled,
        facility=carton,
        support_vnd=300 * TRIEU,
        counterpart_vnd=1_000 * TRIEU,
        actual_support_vnd=290 * TRIEU,
        actual_counterpart_vnd=1_000 * TRIEU,
    )
    Beneficiary.objects.create(
        proposal=settled, facility=household, support_vnd=200 * TRIEU, counterpart_vnd=500 * TRIEU
    )
    OutcomeIndicator.objects.create(proposal=settled, name="Máy", unit="bộ", planned=3, actual=3)
    OutcomeIndicator.objects.create(
        proposal=settled, indicator_id="machinery_facilities", planned=2, actual=2
    )
    OutcomeIndicator.objects.create(proposal=settled, indicator_id="jobs_created", actual=12)
    steps = [("submit", "draft", "submitted"), ("approve", "submitted", "approved")]
    for n, (action, source, target) in enumerate(steps):
        ProposalEvent.objects.create(
            proposal=settled,
            action=action,
            from_state=source,
            to_state=target,
            actor=old_hand,
            at=moment(2023, 2, 1 + n, 8, 30, 0, 123),
        )
    ProgressReport.objects.create(
        proposal=settled, month=datetime.date(2023, 5, 1), percent_complete=40, narrative="Đã lắp"
    )
    Payment.objects.create(
        proposal=settled, kind="advance", amount_vnd=300 * TRIEU, state="approved"
    )
    Acceptance.objects.create(
        proposal=settled,
        accepted_on=datetime.date(2023, 11, 1),
        total_cost_vnd=1_980 * TRIEU,
        support_vnd=480 * TRIEU,
        counterpart_vnd=1_500 * TRIEU,
        other_vnd=0,
        council="Ông A",
    )
    Settlement.objects.create(
        proposal=settled,
        decision_number="9/QĐ",
        support_vnd=480 * TRIEU,
        counterpart_vnd=1_500 * TRIEU,
        other_vnd=0,
    )
    Proposal.objects.create(
        code="BN-2026-001",
        title="Đào tạo nghề",
        year=2026,
        province_id="bac-ninh",
        unit=centre_of("bac-ninh"),
        implementing_unit="TTKC Bắc Ninh",
        fund_id="national",
        content_id=1,
        kind="single",
        support_vnd=100 * TRIEU,
    )
    Proposal.objects.create(
        code="PT-2026-001",
        title="x",
        year=2026,
        province_id="phu-tho",
        unit=centre_of("phu-tho"),
        implementing_unit="x",
        fund_id="provincial",
        content_id=1,
        kind="single",
    )
    Allocation.objects.create(
        province_id="bac-ninh", year=2021, fund_id="national", amount_vnd=1_900 * TRIEU
    )
    plan = Plan.objects.create(
        province_id="bac-giang",
        fund_id="national",
        year_from=2021,
        year_to=2025,
        target_support_vnd=27_700 * TRIEU,
        target_proposals=12,
    )
    PlanTarget.objects.create(plan=plan, content_id=3, description="Mô hình trình diễn", count=5)
    PlanTarget.objects.create(
        plan=plan, indicator_id="cluster_plans", description="Quy hoạch cụm", count=2, unit="cụm"
    )
    PlanTarget.objects.create(plan=plan, content_id=3, activity_id="machinery", count=42)
    return cast


def document(slug="bac-ninh") -> dict:
    return json.loads("".join(iter_document(Province.objects.get(slug=slug))))


def without_time(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "exported_at"}


def db_snapshot():
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}, (
        Proposal.history.count(),
        Facility.history.count(),
    )


def wipe_province(slugs):
    """As if on another installation: the province's records are not there."""
    append_only.allow_erasure()  # the events go too, in this test's transaction only
    proposals = Proposal.objects.filter(province__in=slugs)
    for model in (Settlement, Acceptance, Payment, ProgressReport, ProposalEvent):
        model.objects.filter(proposal__in=proposals).delete()
    Beneficiary.objects.filter(proposal__in=proposals).delete()
    OutcomeIndicator.objects.filter(proposal__in=proposals).delete()
    proposals.delete()
    PlanTarget.objects.filter(plan__province__in=slugs).delete()
    Plan.objects.filter(province__in=slugs).delete()
    Allocation.objects.filter(province__in=slugs).delete()
    Facility.objects.filter(province__in=slugs).delete()


def test_the_document_holds_the_province_and_its_predecessors_only(world):
    doc = document()
    assert doc["format"] == "khuyencong-exchange" and doc["version"] == 1
    assert doc["provinces"] == ["bac-giang", "bac-ninh"]
    assert [p["code"] for p in doc["proposals"]] == ["BG-2023-001", "BN-2026-001"]
    assert [f["ref"] for f in doc["facilities"]] == [
        "bac-giang|Hộ Nguyễn Văn Bình|Xã A",
        "2300100001",
    ]
    settled = doc["proposals"][0]
    assert settled["support_vnd"] == 500_000_000  # integer đồng
    assert settled["fund"] == "provincial" and settled["content"] == 3
    assert [e["action"] for e in settled["events"]] == ["submit", "approve"]
    assert settled["events"][0]["at"] == "2023-02-01T08:30:00.000123+00:00"
    assert settled["settlement"]["decision_number"] == "9/QĐ"
    assert [p["username"] for p in doc["people"]] == ["centre.bacgiang"]


def test_importing_the_same_document_again_changes_nothing(world):
    doc = document()
    before = db_snapshot()
    report = import_document(doc)
    assert report.changed == 0, report.counts
    assert db_snapshot() == before


def test_round_trip_to_an_empty_installation_loses_nothing(world):
    first = document()
    wipe_province(first["provinces"])
    get_user_model().objects.filter(username="centre.bacgiang").delete()
    assert not Proposal.objects.filter(province__in=first["provinces"]).exists()

    report = import_document(load(json.dumps(first)))
    assert report.counts["proposals"]["created"] == 2
    assert without_time(document()) == without_time(first)
    # The person in the history comes back as an account that cannot log in.
    person = get_user_model().objects.get(username="centre.bacgiang")
    assert not person.is_active and not person.has_usable_password()
    # And a second import is a no-op.
    assert import_document(first).changed == 0


def test_events_are_appended_only_when_missing(world):
    doc = document()
    doc["proposals"][0]["events"].append(
        dict(
            doc["proposals"][0]["events"][1],
            action="start",
            from_state="approved",
            to_state="in_progress",
            at="2023-04-01T00:00:00+00:00",
        )
    )
    report = import_document(doc)
    assert report.counts["events"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert ProposalEvent.objects.filter(proposal__code="BG-2023-001").count() == 3
    assert import_document(doc).changed == 0


def test_a_broken_document_writes_nothing(world):
    doc = document()
    before = db_snapshot()
    doc["proposals"][1]["title"] = "Đã đổi"
    doc["proposals"][1]["beneficiaries"] = [
        {
            "facility": "9999",
            "support_vnd": 1,
            "counterpart_vnd": 0,
            "actual_support_vnd": None,
            "actual_counterpart_vnd": None,
        }
    ]
    with pytest.raises(ExchangeError, match="9999"):
        import_document(doc)
    assert db_snapshot() == before


def test_the_document_carries_the_activity_type_and_indicator_keys(world):
    settled = document()["proposals"][0]
    assert settled["activity"] == "machinery"
    assert [
        (i["indicator"], i["name"], i["planned"], i["actual"]) for i in settled["indicators"]
    ] == [
        (None, "Máy", 3, 3),
        ("machinery_facilities", "", 2, 2),
        ("jobs_created", "", None, 12),
    ]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda p: p["indicators"][1].update(indicator="machinery_facility"),
            "chỉ tiêu machinery_facility",
        ),
        (lambda p: p["indicators"][2].update(indicator="machinery_facilities"), "hai lần"),
        (lambda p: p.update(activity="fair"), "loại hoạt động fair ngoài nội dung 3"),
        (lambda p: p.update(activity="fairs"), "loại hoạt động fairs"),
    ],
)
def test_unknown_or_mismatched_keys_are_refused_and_nothing_is_written(world, change, message):
    doc = document()
    before = db_snapshot()
    change(doc["proposals"][0])
    with pytest.raises(ExchangeError, match=message):
        import_document(doc)
    assert db_snapshot() == before


def test_a_document_from_before_the_catalogue_keeps_its_indicators_as_other(world):
    doc = document()
    wipe_province(doc["provinces"])
    for proposal in doc["proposals"]:
        proposal.pop("activity")
        for row in proposal["indicators"]:
            row.pop("indicator")
            row["name"] = row["name"] or "Cơ sở được hỗ trợ"
    import_document(doc)
    settled = Proposal.objects.get(code="BG-2023-001")
    assert settled.activity_id is None
    assert list(settled.indicators.values_list("indicator", "name")) == [
        (None, "Máy"),
        (None, "Cơ sở được hỗ trợ"),
        (None, "Cơ sở được hỗ trợ"),
    ]


def test_a_code_taken_by_another_province_is_refused(world):
    doc = document()
    Proposal.objects.filter(code="BN-2026-001").update(province_id="phu-tho")
    with pytest.raises(ExchangeError, match="BN-2026-001"):
        import_document(doc)


def test_other_formats_and_versions_are_refused():
    with pytest.raises(ExchangeError):
        load("[]")
    with pytest.raises(ExchangeError, match="Phiên bản"):
        load(json.dumps({"format": "khuyencong-exchange", "version": 2}))


def test_commands_export_and_import(world, tmp_path):
    out = io.StringIO()
    call_command("export_province", "bac-ninh", stdout=out)
    path = tmp_path / "bac-ninh.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert json.loads(path.read_text())["province"] == "bac-ninh"
    result = io.StringIO()
    call_command("import_province", str(path), stdout=result)
    assert "Không có gì thay đổi." in result.getvalue()


def test_who_may_download_a_province(client, world):
    url = reverse("exchange:province", args=["bac-ninh"])
    expected = {
        "dept.bacninh": 200,
        "admin": 200,
        "centre.bacninh": 403,  # sees it, may not take it all away
        "manager": 403,
        "dept.phutho": 404,  # does not see Bắc Ninh at all
    }
    for username, status in expected.items():
        client.force_login(world[username])
        response = client.get(url)
        assert response.status_code == status, username
        if status == 200:
            doc = json.loads(b"".join(response.streaming_content))
            assert doc["province"] == "bac-ninh"
            assert "attachment" in response["Content-Disposition"]


def test_the_import_page_offers_the_download_to_the_department(client, world):
    client.force_login(world["dept.bacninh"])
    html = client.get(reverse("exchange:index")).content.decode()
    assert reverse("exchange:province", args=["bac-ninh"]) in html
    client.force_login(world["centre.bacninh"])
    html = client.get(reverse("exchange:index")).content.decode()
    assert "dữ liệu trao đổi" not in html.lower()


def test_plan_targets_travel_with_their_keys_and_the_target_number_of_proposals(world):
    (plan,) = document()["plans"]
    assert plan["target_proposals"] == 12
    assert [(t["content"], t["activity"], t["indicator"], t["count"]) for t in plan["targets"]] == [
        (3, None, None, 5),
        (None, None, "cluster_plans", 2),
        (3, "machinery", None, 42),
    ]


def test_a_plan_target_with_an_unknown_key_is_refused(world):
    doc = document()
    doc["plans"][0]["targets"][1]["indicator"] = "cluster_plan"
    with pytest.raises(ExchangeError, match="chỉ tiêu cluster_plan"):
        import_document(doc)
