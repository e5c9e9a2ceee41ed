"""Following an approved proposal: monthly progress, payments, the overdue list.

Payments are checked under the proposal's row lock, the same lock transitions take, so
concurrent requests and approvals can never pay out more than the rules allow.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong import validators
from khuyencong.errors import StateConflict
from khuyencong.money import check_vnd, format_trieu
from khuyencong.roles import Role
from proposals import permissions
from proposals.lifecycle import (
    ACCEPTED_STATES,
    ADVANCE_STATES,
    FINAL_PAYMENT_STATES,
    REPORTING_STATES,
)
from proposals.models import Payment, ProgressReport, Proposal
from proposals.notify import recipients

# Advances before acceptance may not exceed this share of the approved support (SPEC §4).
ADVANCE_CAP_PERCENT = 70
# After this day of the month, an in-progress proposal without this month's report is overdue.
REPORT_DUE_DAY = 25


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


# --- progress ----------------------------------------------------------------------------


@transaction.atomic
def report_progress(proposal_id, user, month, percent_complete, narrative) -> ProgressReport:
    """Record the centre's report for `month`; a second report for the same month is refused."""
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal_id)
    permissions.require(user, proposal, "report_progress")
    month = first_of_month(month)
    try:
        validators.validate_date(month)
    except ValidationError as error:
        raise ValidationError({"month": error.messages}) from None
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("Không báo cáo trước cho tháng sau.")})
    if ProgressReport.objects.filter(proposal=proposal, month=month).exists():
        raise ValidationError(
            {"month": _("Đã có báo cáo tiến độ tháng %(m)s.") % {"m": f"{month:%m/%Y}"}}
        )
    if not 0 <= percent_complete <= 100:
        raise ValidationError({"percent_complete": _("Tỷ lệ hoàn thành từ 0 đến 100 %.")})
    return ProgressReport.objects.create(
        proposal=proposal,
        month=month,
        percent_complete=percent_complete,
        narrative=narrative,
        created_by=user,
    )


def comment_progress(report: ProgressReport, user, comment: str) -> ProgressReport:
    permissions.require(user, report.proposal, "comment_progress")
    if not comment.strip():
        raise ValidationError({"department_comment": _("Hãy nhập ý kiến.")})
    report.department_comment = comment.strip()
    report.commented_by = user
    report.commented_at = timezone.now()
    report.save(update_fields=["department_comment", "commented_by", "commented_at"])
    return report


def overdue(today: datetime.date | None = None):
    """In-progress proposals with no report for this month, once the 25th has passed."""
    today = today or timezone.localdate()
    if today.day <= REPORT_DUE_DAY:
        return Proposal.objects.none()
    return Proposal.objects.filter(state__in=REPORTING_STATES).exclude(
        progress__month=first_of_month(today)
    )


# --- payments ----------------------------------------------------------------------------


def advance_cap_vnd(proposal) -> int:
    """70 % of the approved support, rounded down to the đồng."""
    return (proposal.approved_support_vnd or 0) * ADVANCE_CAP_PERCENT // 100


def support_cap_vnd(proposal) -> int:
    """What may be paid in all: the accepted (or settled) support, else the approved one."""
    if proposal.state in ACCEPTED_STATES:
        return proposal.final_support_vnd or 0
    return proposal.approved_support_vnd or 0


def _check_room(proposal, kind, amount_vnd, exclude_id=None) -> None:
    """Raise unless `amount_vnd` fits under the caps, counting approved and pending payments."""
    payments = proposal.payments.exclude(state=Payment.Status.REFUSED)
    if exclude_id:
        payments = payments.exclude(pk=exclude_id)
    committed = payments.total()
    if kind == Payment.Kind.ADVANCE:
        if proposal.state not in ADVANCE_STATES:
            raise ValidationError({"kind": _("Chỉ tạm ứng trước khi nghiệm thu.")})
        cap = advance_cap_vnd(proposal)
        advanced = payments.filter(kind=Payment.Kind.ADVANCE).total()
        if advanced + amount_vnd > cap:
            raise ValidationError(
                {
                    "amount_vnd": _(
                        "Tạm ứng vượt 70 %% kinh phí phê duyệt: tối đa %(cap)s, đã tạm ứng "
                        "và đề nghị %(used)s, còn được %(left)s triệu đồng."
                    )
                    % {
                        "cap": format_trieu(cap),
                        "used": format_trieu(advanced),
                        "left": format_trieu(max(cap - advanced, 0)),
                    }
                }
            )
    else:
        if proposal.state not in FINAL_PAYMENT_STATES:
            raise ValidationError({"kind": _("Chỉ thanh toán sau khi nghiệm thu.")})
    cap = support_cap_vnd(proposal)
    if committed + amount_vnd > cap:
        raise ValidationError(
            {
                "amount_vnd": _(
                    "Tổng thanh toán vượt kinh phí hỗ trợ %(cap)s triệu đồng (đã thanh toán "
                    "và đề nghị %(used)s, còn %(left)s)."
                )
                % {
                    "cap": format_trieu(cap),
                    "used": format_trieu(committed),
                    "left": format_trieu(max(cap - committed, 0)),
                }
            }
        )


@transaction.atomic
def request_payment(proposal_id, user, kind, amount_vnd, note="") -> Payment:
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal_id)
    permissions.require(user, proposal, "request_payment")
    if kind not in Payment.Kind.values:
        raise ValidationError({"kind": _("Loại thanh toán không hợp lệ.")})
    try:
        amount_vnd = check_vnd(amount_vnd)
    except ValidationError as error:
        raise ValidationError({"amount_vnd": error.messages}) from error
    if amount_vnd == 0:
        raise ValidationError({"amount_vnd": _("Số tiền phải lớn hơn 0.")})
    _check_room(proposal, kind, amount_vnd)
    return Payment.objects.create(
        proposal=proposal, kind=kind, amount_vnd=amount_vnd, note=note, requested_by=user
    )


@transaction.atomic
def decide_payment(payment_id, user, approve: bool, reason: str = "") -> Payment:
    """Approve or refuse a requested payment; the caps are checked again under the lock."""
    # One order everywhere: the proposal's row, then the payment's.
    proposal_id = Payment.objects.values_list("proposal_id", flat=True).get(pk=payment_id)
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal_id)
    payment = Payment.objects.select_for_update(of=("self",)).get(pk=payment_id)
    permissions.require(user, proposal, "decide_payment")
    if payment.state != Payment.Status.REQUESTED:
        raise StateConflict(_("Đề nghị này đã được xử lý."))
    if approve:
        paid = proposal.payments.approved().total()
        if paid + payment.amount_vnd > support_cap_vnd(proposal):
            raise ValidationError(_("Duyệt khoản này sẽ vượt kinh phí hỗ trợ."))
        if payment.kind == Payment.Kind.ADVANCE:
            advanced = proposal.payments.approved().filter(kind=Payment.Kind.ADVANCE).total()
            if advanced + payment.amount_vnd > advance_cap_vnd(proposal):
                raise ValidationError(_("Duyệt khoản này sẽ vượt 70 % kinh phí phê duyệt."))
    elif not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do từ chối.")})
    payment.state = Payment.Status.APPROVED if approve else Payment.Status.REFUSED
    payment.decided_by = user
    payment.decided_at = timezone.now()
    payment.reason = reason.strip()
    payment.save()
    return payment


def paid_vnd(proposal) -> int:
    return proposal.payments.approved().total()


def send_progress_reminders(today: datetime.date | None = None) -> int:
    """Mail the centre (copy to the department) of each overdue proposal; returns mails sent."""
    today = today or timezone.localdate()
    sent = 0
    for proposal in overdue(today).select_related("province"):
        to = recipients(proposal, (Role.CENTRE,))
        cc = recipients(proposal, (Role.DEPARTMENT,))
        if not to and not cc:
            continue
        send_mail(
            _("[Khuyến công] Nhắc báo cáo tiến độ tháng %(m)s: %(code)s")
            % {"m": f"{today:%m/%Y}", "code": proposal.code},
            _(
                "Đề án %(code)s — %(title)s chưa có báo cáo tiến độ tháng %(m)s (hạn ngày "
                "%(day)s). Hãy gửi báo cáo tại %(url)s"
            )
            % {
                "code": proposal.code,
                "title": proposal.title,
                "m": f"{today:%m/%Y}",
                "day": REPORT_DUE_DAY,
                "url": settings.SITE_URL + proposal.get_absolute_url() + "#progress",
            },
            None,
            sorted(set(to + cc)),
        )
        sent += 1
    return sent
