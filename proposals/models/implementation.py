"""After approval: monthly progress, payments, acceptance (nghiệm thu) and settlement."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from proposals.models.proposal import Proposal


class ProgressReport(models.Model):
    """The centre's monthly report on a proposal in progress; one per proposal and month."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="progress")
    month = models.DateField(_("tháng báo cáo"), help_text=_("Ngày đầu tháng."))
    percent_complete = models.PositiveSmallIntegerField(_("khối lượng hoàn thành (%)"))
    narrative = models.TextField(_("tình hình thực hiện"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày gửi"), auto_now_add=True)
    department_comment = models.TextField(_("ý kiến của Sở"), blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commented_at = models.DateTimeField(_("ngày cho ý kiến"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["proposal", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "month"], name="progress_once_a_month"),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="progress_percent_at_most_100"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="progress_month_first_day"),
        ]

    def __str__(self):
        return f"{self.proposal.code} · {self.month:%m/%Y}"


class PaymentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=Payment.Status.APPROVED)

    def pending(self):
        return self.filter(state=Payment.Status.REQUESTED)

    def total(self) -> int:
        return self.aggregate(total=Coalesce(Sum("amount_vnd"), 0))["total"]


class Payment(models.Model):
    """An advance (tạm ứng, before acceptance) or the final payment (thanh toán, after)."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Tạm ứng")
        FINAL = "final", _("Thanh toán")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Đề nghị")
        APPROVED = "approved", _("Đã duyệt")
        REFUSED = "refused", _("Từ chối")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    amount_vnd = models.BigIntegerField(_("số tiền (đồng)"))
    note = models.TextField(_("nội dung"), blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("ngày đề nghị"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        ordering = ["proposal", "requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="payment_amount_positive")
        ]

    def __str__(self):
        return f"{self.proposal.code} · {self.get_kind_display()} · {self.amount_vnd}"


class Acceptance(models.Model):
    """Nghiệm thu: the actual figures and who accepted them, written by the `accept` action."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="acceptance")
    accepted_on = models.DateField(_("ngày nghiệm thu"))
    total_cost_vnd = models.BigIntegerField(_("tổng kinh phí thực hiện (đồng)"))
    support_vnd = models.BigIntegerField(_("kinh phí khuyến công thực tế (đồng)"))
    counterpart_vnd = models.BigIntegerField(_("vốn đối ứng thực tế (đồng)"))
    other_vnd = models.BigIntegerField(_("nguồn khác thực tế (đồng)"))
    council = models.TextField(_("thành viên hội đồng nghiệm thu"), blank=True)
    minutes = models.ForeignKey(
        "proposals.Attachment",
        verbose_name=_("biên bản nghiệm thu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nghiệm thu")
        verbose_name_plural = _("nghiệm thu")
        constraints = [
            models.CheckConstraint(
                condition=Q(support_vnd__gte=0, counterpart_vnd__gte=0, other_vnd__gte=0),
                name="acceptance_amounts_non_negative",
            )
        ]

    def __str__(self):
        return f"{self.proposal.code} · {self.accepted_on:%d/%m/%Y}"


class Settlement(models.Model):
    """Quyết toán: the final figures; after it the proposal is read-only for everyone."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="settlement")
    decision_number = models.CharField(_("số quyết định quyết toán"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết toán"), null=True, blank=True)
    support_vnd = models.BigIntegerField(_("kinh phí khuyến công quyết toán (đồng)"))
    counterpart_vnd = models.BigIntegerField(_("vốn đối ứng quyết toán (đồng)"))
    other_vnd = models.BigIntegerField(_("nguồn khác quyết toán (đồng)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết toán")
        verbose_name_plural = _("quyết toán")
        constraints = [
            models.CheckConstraint(
                condition=Q(support_vnd__gte=0, counterpart_vnd__gte=0, other_vnd__gte=0),
                name="settlement_amounts_non_negative",
            )
        ]

    def __str__(self):
        return f"{self.proposal.code} · {self.decision_number}"
