"""After approval: progress reports, the 70 % advance cap, payments, acceptance, settlement."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from facilities.models import Facility
from khuyencong.errors import NotPermitted, StateConflict
from proposals import implementation, lifecycle
from proposals.models import Beneficiary, OutcomeIndicator, Payment, ProgressReport, Proposal
from tests.builders import centre_of

pytestmark = pytest.mark.django_db

TRIEU = 1_000_000
TODAY = datetime.date.today()


def make(state="in_progress", code="IMP-001", support=1_000 * TRIEU, **extra):
    fields = dict(
        code=code,
        title="Hỗ trợ máy sấy chè",
        year=2026,
        province_id="bac-ninh",
        unit=centre_of("bac-ninh"),
        implementing_unit="Trung tâm",
        fund_id="provincial",
        content_id=3,
        kind="single",
        support_vnd=support,
        counterpart_vnd=2_000 * TRIEU,
        state=state,
        approved_support_vnd=support,
    )
    fields.update(extra)
    proposal = Proposal.objects.create(**fields)
    proposal.record_final_figures(support, 2_000 * TRIEU, 0)
    proposal.save()
    return proposal


def accept(proposal, user, support=900 * TRIEU, **extra):
    data = {
        "support_vnd": support,
        "counterpart_vnd": 2_100 * TRIEU,
        "other_vnd": 0,
        "council": "Ông Nguyễn Văn A — Phó Giám đốc Sở, Chủ tịch hội đồng",
    }
    data.update(extra)
    return lifecycle.perform(proposal.pk, "accept", user, data)


# --- advances and payments ------------------------------------------------------------


def test_advances_stop_at_70_percent_of_the_approved_support(cast):
    proposal = make()
    centre = cast["centre.bacninh"]
    implementation.request_payment(proposal.pk, centre, "advance", 400 * TRIEU)
    with pytest.raises(ValidationError, match="70 %"):
        implementation.request_payment(proposal.pk, centre, "advance", 300 * TRIEU + 1)
    implementation.request_payment(proposal.pk, centre, "advance", 300 * TRIEU)
    assert proposal.payments.total() == 700 * TRIEU


def test_a_refused_advance_frees_its_room(cast):
    proposal = make()
    payment = implementation.request_payment(
        proposal.pk, cast["centre.bacninh"], "advance", 700 * TRIEU
    )
    with pytest.raises(ValidationError):
        implementation.decide_payment(payment.pk, cast["dept.bacninh"], False, "")
    implementation.decide_payment(payment.pk, cast["dept.bacninh"], False, "Thiếu hồ sơ")
    implementation.request_payment(proposal.pk, cast["centre.bacninh"], "advance", 700 * TRIEU)


def test_the_final_payment_comes_after_acceptance_and_never_exceeds_the_support(cast):
    proposal = make()
    centre, dept = cast["centre.bacninh"], cast["dept.bacninh"]
    with pytest.raises(ValidationError, match="sau khi nghiệm thu"):
        implementation.request_payment(proposal.pk, centre, "final", 100 * TRIEU)
    advance = implementation.request_payment(proposal.pk, centre, "advance", 500 * TRIEU)
    implementation.decide_payment(advance.pk, dept, True)
    accept(proposal, dept, support=900 * TRIEU)
    with pytest.raises(ValidationError, match="Chỉ tạm ứng trước khi nghiệm thu"):
        implementation.request_payment(proposal.pk, centre, "advance", 1)
    with pytest.raises(ValidationError, match="vượt kinh phí hỗ trợ 900"):
        implementation.request_payment(proposal.pk, centre, "final", 400 * TRIEU + 1)
    final = implementation.request_payment(proposal.pk, centre, "final", 400 * TRIEU)
    implementation.decide_payment(final.pk, dept, True)
    assert implementation.paid_vnd(proposal) == 900 * TRIEU


def test_only_the_provinces_department_decides_payments(cast):
    proposal = make()
    payment = implementation.request_payment(proposal.pk, cast["centre.bacninh"], "advance", 1)
    for who in ("centre.bacninh", "dept.phutho", "manager"):
        with pytest.raises(NotPermitted, match="Chỉ Sở Công Thương của tỉnh duyệt thanh toán"):
            implementation.decide_payment(payment.pk, cast[who], True)
    with pytest.raises(NotPermitted, match="Chỉ Trung tâm Khuyến công của tỉnh đề nghị"):
        implementation.request_payment(proposal.pk, cast["dept.bacninh"], "advance", 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_pay_more_than_the_support(django_db_serialized_rollback):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are tested on PostgreSQL")
    from demo.data import create_demo_accounts

    users = create_demo_accounts("x-password-1")
    proposal = make(support=1_000 * TRIEU)
    accept(proposal, users["dept.bacninh"], support=1_000 * TRIEU)
    # Twenty requests are on file (as if made over time); twenty clerks approve them at once.
    Payment.objects.bulk_create(
        Payment(proposal=proposal, kind="final", amount_vnd=100 * TRIEU) for _ in range(20)
    )
    ids = list(proposal.payments.values_list("pk", flat=True))
    barrier, outcomes = threading.Barrier(len(ids)), []

    def approve(payment_id):
        barrier.wait()
        try:
            implementation.decide_payment(payment_id, users["dept.bacninh"], True)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 10 and outcomes.count("refused") == 10
    assert implementation.paid_vnd(proposal) == 1_000 * TRIEU


# --- progress ----------------------------------------------------------------------------


def test_one_progress_report_per_month(cast):
    proposal = make()
    centre = cast["centre.bacninh"]
    month = TODAY.replace(day=1)
    implementation.report_progress(proposal.pk, centre, TODAY, 40, "Đã lắp đặt 2/4 máy.")
    with pytest.raises(ValidationError, match="Đã có báo cáo"):
        implementation.report_progress(proposal.pk, centre, month, 50, "Lần hai")
    assert ProgressReport.objects.get().month == month


def test_progress_is_reported_only_while_in_progress_and_not_ahead(cast):
    centre = cast["centre.bacninh"]
    with pytest.raises(StateConflict, match="đang thực hiện"):
        implementation.report_progress(make(state="approved").pk, centre, TODAY, 1, "x")
    next_month = (TODAY.replace(day=28) + datetime.timedelta(days=5)).replace(day=1)
    with pytest.raises(ValidationError, match="tháng sau"):
        implementation.report_progress(make(code="IMP-2").pk, centre, next_month, 1, "x")
    with pytest.raises(NotPermitted):
        implementation.report_progress(make(code="IMP-3").pk, cast["dept.bacninh"], TODAY, 1, "x")


@pytest.mark.parametrize("day, overdue", [(24, False), (25, False), (26, True), (30, True)])
def test_overdue_starts_after_the_25th(cast, day, overdue):
    proposal = make()
    today = datetime.date(2026, 11, day)
    assert (proposal in implementation.overdue(today)) is overdue


def test_a_report_for_this_month_clears_the_overdue_flag(cast):
    proposal = make()
    ProgressReport.objects.create(
        proposal=proposal, month=datetime.date(2026, 11, 1), percent_complete=10, narrative="x"
    )
    assert proposal not in implementation.overdue(datetime.date(2026, 11, 27))
    assert proposal in implementation.overdue(datetime.date(2026, 12, 27))


def test_reminders_go_to_the_centre_of_overdue_proposals(cast, monkeypatch):
    cast["centre.bacninh"].email = "ttkc@bacninh.gov.vn"
    cast["centre.bacninh"].save()
    make()
    make(code="IMP-2", state="approved")
    monkeypatch.setattr(implementation.timezone, "localdate", lambda: datetime.date(2026, 11, 27))
    from django.core.management import call_command

    call_command("send_progress_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    assert "IMP-001" in mail.outbox[0].subject
    assert "ttkc@bacninh.gov.vn" in mail.outbox[0].to


def test_the_overdue_page_shows_only_the_users_province(cast, monkeypatch):
    make()
    make(code="PT-IMP", province_id="phu-tho")
    monkeypatch.setattr(implementation.timezone, "localdate", lambda: datetime.date(2026, 11, 27))
    client = Client()
    client.force_login(cast["dept.bacninh"])
    html = client.get(reverse("proposals:overdue")).content.decode()
    assert "IMP-001" in html and "PT-IMP" not in html


# --- acceptance and settlement ---------------------------------------------------------


def test_acceptance_figures_become_what_reports_count(cast):
    proposal = make()
    accept(proposal, cast["dept.bacninh"], support=900 * TRIEU)
    totals = Proposal.objects.filter(pk=proposal.pk).counted_in_reports().totals()
    assert totals == {"support_vnd": 900 * TRIEU, "counterpart_vnd": 2_100 * TRIEU, "other_vnd": 0}
    assert proposal.acceptance.total_cost_vnd == 3_000 * TRIEU
    lifecycle.perform(
        proposal.pk,
        "settle",
        cast["dept.bacninh"],
        {
            "decision_number": "77/QĐ-QT",
            "decision_date": TODAY,
            "support_vnd": 880 * TRIEU,
            "counterpart_vnd": 2_100 * TRIEU,
            "other_vnd": 0,
        },
    )
    totals = Proposal.objects.filter(pk=proposal.pk).counted_in_reports().totals()
    assert totals["support_vnd"] == 880 * TRIEU


def test_acceptance_cannot_exceed_the_approved_support(cast):
    proposal = make()
    with pytest.raises(ValidationError, match="không được vượt kinh phí phê duyệt"):
        accept(proposal, cast["dept.bacninh"], support=1_000 * TRIEU + 1)


def test_acceptance_records_per_beneficiary_and_indicator_actuals(cast):
    proposal = make()
    a = Facility.objects.create(name="A", legal_form="sme", province_id="bac-ninh")
    b = Facility.objects.create(name="B", legal_form="household", province_id="bac-ninh")
    ba = Beneficiary.objects.create(
        proposal=proposal, facility=a, support_vnd=600 * TRIEU, counterpart_vnd=1_000 * TRIEU
    )
    bb = Beneficiary.objects.create(
        proposal=proposal, facility=b, support_vnd=400 * TRIEU, counterpart_vnd=1_000 * TRIEU
    )
    machines = OutcomeIndicator.objects.create(proposal=proposal, name="Máy", planned=4)
    with pytest.raises(ValidationError, match="Tổng hỗ trợ thực tế"):
        accept(
            proposal,
            cast["dept.bacninh"],
            beneficiary_actuals={
                ba.pk: (600 * TRIEU, 1_000 * TRIEU),
                bb.pk: (400 * TRIEU, 1_100 * TRIEU),
            },
        )
    accept(
        proposal,
        cast["dept.bacninh"],
        beneficiary_actuals={
            ba.pk: (550 * TRIEU, 1_000 * TRIEU),
            bb.pk: (350 * TRIEU, 1_100 * TRIEU),
        },
        indicator_actuals={machines.pk: 4},
    )
    ba.refresh_from_db()
    machines.refresh_from_db()
    assert (ba.actual_support_vnd, machines.actual) == (550 * TRIEU, 4)


def test_settlement_may_not_go_below_what_was_paid(cast):
    proposal = make()
    payment = implementation.request_payment(
        proposal.pk, cast["centre.bacninh"], "advance", 500 * TRIEU
    )
    implementation.decide_payment(payment.pk, cast["dept.bacninh"], True)
    accept(proposal, cast["dept.bacninh"])
    with pytest.raises(ValidationError, match="thấp hơn số đã thanh toán"):
        lifecycle.perform(
            proposal.pk,
            "settle",
            cast["dept.bacninh"],
            {"support_vnd": 400 * TRIEU, "counterpart_vnd": 0, "other_vnd": 0},
        )


def test_cancelling_records_what_was_paid_and_drops_pending_requests(cast):
    proposal = make()
    paid = implementation.request_payment(
        proposal.pk, cast["centre.bacninh"], "advance", 300 * TRIEU
    )
    implementation.decide_payment(paid.pk, cast["dept.bacninh"], True)
    pending = implementation.request_payment(
        proposal.pk, cast["centre.bacninh"], "advance", 100 * TRIEU
    )
    done = lifecycle.perform(
        proposal.pk, "cancel", cast["dept.bacninh"], {"comment": "Cơ sở ngừng sản xuất"}
    )
    assert done.events.get(action="cancel").support_vnd == 300 * TRIEU
    pending.refresh_from_db()
    assert pending.state == "refused"


def test_a_settled_proposal_refuses_every_change_through_the_pages(cast):
    proposal = make(state="settled")
    centre, dept = Client(), Client()
    centre.force_login(cast["centre.bacninh"])
    dept.force_login(cast["dept.bacninh"])
    # The centre may edit and attach, but not any more: the state refuses (409), with the reason.
    page = centre.get(reverse("proposals:edit", args=[proposal.pk]))
    assert page.status_code == 409
    assert "Đề án ở trạng thái “Đã quyết toán” không được sửa." in page.content.decode()
    page = centre.post(reverse("proposals:attachment-upload", args=[proposal.pk]), {})
    assert page.status_code == 409
    assert "Hồ sơ đề án đã đóng." in page.content.decode()
    centre.post(
        reverse("proposals:payment-request", args=[proposal.pk]),
        {"kind": "final", "amount_vnd": "1"},
    )
    centre.post(
        reverse("proposals:progress-create", args=[proposal.pk]),
        {"month": TODAY.strftime("%m/%Y"), "percent_complete": "100", "narrative": "x"},
    )
    assert not proposal.payments.exists() and not proposal.progress.exists()
    for action in lifecycle.ACTIONS:
        url = reverse("proposals:transition", args=[proposal.pk, action])
        assert dept.post(url, {"comment": "x", "version": "1"}).status_code in (403, 409)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.version) == ("settled", 1)
    html = dept.get(proposal.get_absolute_url()).content.decode()
    assert "action-" not in html.replace("disabled-action", "")
