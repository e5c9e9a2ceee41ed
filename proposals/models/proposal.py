from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from facilities.models import Facility
from funding.models import ActivityContent, ActivityType, Fund, OutputIndicator
from khuyencong import validators
from khuyencong.access import ProvinceScopedQuerySet
from khuyencong.models import AppendOnlyModel, Province, Unit
from khuyencong.money import format_trieu
from khuyencong.text import normalise


class State(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để sửa")
    APPRAISED = "appraised", _("Đã thẩm định, trình Bộ")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Không phê duyệt")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    ACCEPTED = "accepted", _("Đã nghiệm thu")
    SETTLED = "settled", _("Đã quyết toán")
    CANCELLED = "cancelled", _("Đã hủy")
    WITHDRAWN = "withdrawn", _("Đã rút")


class Kind(models.TextChoices):
    SINGLE = "single", _("Đề án đơn lẻ")
    GROUP = "group", _("Đề án nhóm")
    FLAGSHIP = "flagship", _("Đề án điểm")


class ProposalQuerySet(ProvinceScopedQuerySet):
    def counted_in_reports(self):
        """From approval on (SPEC §6): the lifecycle's COUNTED_STATES."""
        from proposals.lifecycle import COUNTED_STATES  # the lifecycle imports these models

        return self.filter(state__in=COUNTED_STATES)

    def search(self, text: str):
        """Match code, title or implementing unit ignoring case and diacritics."""
        needle = normalise(text)
        if not needle:
            return self
        return self.filter(search_text__contains=needle)

    def totals(self) -> dict:
        """Support, counterpart and other money counted in reports, summed in SQL."""
        return self.aggregate(
            support_vnd=Coalesce(Sum("final_support_vnd"), 0),
            counterpart_vnd=Coalesce(Sum("final_counterpart_vnd"), 0),
            other_vnd=Coalesce(Sum("final_other_vnd"), 0),
        )


def _non_negative(*fields):
    return [
        models.CheckConstraint(condition=Q(**{f"{f}__gte": 0}), name=f"%(class)s_{f}_gte_0")
        for f in fields
    ]


class Proposal(models.Model):
    """Đề án khuyến công: what a centre asks money for, followed from draft to settlement."""

    code = models.CharField(
        _("mã đề án"), max_length=40, unique=True, validators=[validators.validate_code]
    )
    title = models.CharField(
        _("tên đề án"), max_length=500, validators=[validators.validate_single_line]
    )
    year = models.PositiveSmallIntegerField(
        _("năm kế hoạch"), validators=[validators.validate_year]
    )
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT
    )
    # The accountable unit is a record (SPEC §4) reports group by; the text is a note of who
    # carried the work out as the papers name it (a commune's People's Committee, a renamed centre).
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="proposals"
    )
    partners = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="partner_proposals"
    )
    implementing_unit = models.CharField(
        _("ghi chú đơn vị thực hiện"),
        max_length=255,
        blank=True,
        validators=[validators.validate_single_line],
    )
    fund = models.ForeignKey(Fund, verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT)
    content = models.ForeignKey(
        ActivityContent, verbose_name=_("nội dung hoạt động"), on_delete=models.PROTECT
    )
    # Null only on proposals entered before activity types existed (SPEC §3.1).
    activity = models.ForeignKey(
        ActivityType,
        verbose_name=_("loại hoạt động"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("loại đề án"), max_length=10, choices=Kind.choices)
    objectives = models.TextField(_("mục tiêu"), blank=True, validators=[validators.validate_text])
    scale = models.TextField(_("quy mô"), blank=True, validators=[validators.validate_text])
    schedule = models.TextField(
        _("tiến độ thực hiện"), blank=True, validators=[validators.validate_text]
    )
    start_date = models.DateField(
        _("ngày bắt đầu"), null=True, blank=True, validators=[validators.validate_date]
    )
    end_date = models.DateField(
        _("ngày kết thúc"), null=True, blank=True, validators=[validators.validate_date]
    )

    # What the centre proposes.
    support_vnd = models.BigIntegerField(_("kinh phí khuyến công hỗ trợ (đồng)"), default=0)
    counterpart_vnd = models.BigIntegerField(_("vốn đối ứng (đồng)"), default=0)
    other_vnd = models.BigIntegerField(_("nguồn khác (đồng)"), default=0)

    state = models.CharField(
        _("trạng thái"), max_length=12, choices=State.choices, default=State.DRAFT
    )
    # Optimistic concurrency: every save bumps it; a stale edit is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    decision_number = models.CharField(
        _("số quyết định phê duyệt"),
        max_length=60,
        blank=True,
        validators=[validators.validate_single_line],
    )
    decision_date = models.DateField(
        _("ngày quyết định"), null=True, blank=True, validators=[validators.validate_date]
    )
    approved_support_vnd = models.BigIntegerField(
        _("kinh phí được phê duyệt (đồng)"), null=True, blank=True
    )

    # The most final figures (settled, else accepted, else approved), written by the lifecycle
    # at each of those steps so a report sums one column per amount in SQL.
    final_support_vnd = models.BigIntegerField(null=True, blank=True, editable=False)
    final_counterpart_vnd = models.BigIntegerField(null=True, blank=True, editable=False)
    final_other_vnd = models.BigIntegerField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(
        excluded_fields=[
            "search_text",
            "updated_at",
            "final_support_vnd",
            "final_counterpart_vnd",
            "final_other_vnd",
        ]
    )
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề án")
        verbose_name_plural = _("đề án")
        ordering = ["-year", "code"]
        indexes = [
            # Both cover what reports and list totals read, so on PostgreSQL their GROUP BYs
            # are index-only scans of ~10 MB instead of the 80 MB table (100 000 proposals):
            # by province for a province's reports and lists, by state for national ones.
            models.Index(
                fields=["province", "year", "fund"],
                include=[
                    "state",
                    "id",
                    "content",
                    "support_vnd",
                    "final_support_vnd",
                    "final_counterpart_vnd",
                    "final_other_vnd",
                ],
                name="proposal_province_cover",
            ),
            models.Index(fields=["year", "fund", "content"]),
            models.Index(
                fields=["state", "year"],
                include=[
                    "id",
                    "province",
                    "fund",
                    "content",
                    "support_vnd",
                    "final_support_vnd",
                    "final_counterpart_vnd",
                    "final_other_vnd",
                ],
                name="proposal_counted_cover",
            ),
            # The lists' order: a page is read from the index, not sorted from every row.
            models.Index(fields=["-year", "code"], name="proposal_list_order"),
        ]
        constraints = [
            *_non_negative(
                "support_vnd",
                "counterpart_vnd",
                "other_vnd",
                "approved_support_vnd",
                "final_support_vnd",
                "final_counterpart_vnd",
                "final_other_vnd",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="proposal_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    @property
    def total_cost_vnd(self) -> int:
        return self.support_vnd + self.counterpart_vnd + self.other_vnd

    @property
    def is_counted(self) -> bool:
        from proposals.lifecycle import COUNTED_STATES  # the lifecycle imports these models

        return self.state in COUNTED_STATES

    def record_final_figures(self, support_vnd: int, counterpart_vnd: int, other_vnd: int):
        """Set the figures reports count; the lifecycle calls this on approve, accept, settle."""
        self.final_support_vnd = support_vnd
        self.final_counterpart_vnd = counterpart_vnd
        self.final_other_vnd = other_vnd

    @staticmethod
    def build_search_text(code, title, implementing_unit) -> str:
        return normalise(" ".join([code or "", title or "", implementing_unit or ""]))

    def clean(self):
        errors = {}
        if self.province_id and self.year and not self.province.existed_in(self.year):
            successor = self.province.today()
            errors["province"] = _(
                "%(province)s không còn tồn tại vào năm %(year)s; hãy chọn %(successor)s."
            ) % {"province": self.province, "year": self.year, "successor": successor}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
        if self.unit_id and self.province_id:
            errors.update(self._unit_errors())
        if self.activity_id and self.content_id:
            try:
                activity = self.activity
            except ActivityType.DoesNotExist:  # an unknown key: the field's own error
                activity = None
            if activity is not None and activity.content_id != self.content_id:
                errors["activity"] = _(
                    "Loại hoạt động “%(activity)s” thuộc nội dung %(its)s, không thuộc nội "
                    "dung %(content)s của đề án."
                ) % {
                    "activity": activity.label,
                    "its": activity.content_id,
                    "content": self.content_id,
                }
        if errors:
            raise ValidationError(errors)

    def _unit_errors(self) -> dict:
        try:
            unit = self.unit
        except Unit.DoesNotExist:  # an unknown id: the field's own error
            return {}
        # A unit kept from before stays; a unit chosen now must be active and work here.
        if (
            self.pk
            and Proposal.objects.filter(pk=self.pk, unit=unit, province=self.province_id).exists()
        ):
            return {}
        if not unit.active:
            return {"unit": _("Đơn vị “%(unit)s” không còn hoạt động.") % {"unit": unit}}
        if not unit.may_work_in(self.province):
            return {
                "unit": _("Đơn vị “%(unit)s” không thực hiện đề án tại %(province)s.")
                % {"unit": unit, "province": self.province}
            }
        return {}

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text(self.code, self.title, self.implementing_unit)
        super().save(*args, **kwargs)


# What a centre writes on a proposal (form, API, Excel import); the rest is the lifecycle's.
EDITABLE_FIELDS = [
    "code",
    "title",
    "year",
    "province",
    "implementing_unit",
    "fund",
    "content",
    "kind",
    "objectives",
    "scale",
    "schedule",
    "start_date",
    "end_date",
    "support_vnd",
    "counterpart_vnd",
    "other_vnd",
]


def check_beneficiary_sums(proposal, rows) -> None:
    """Per-beneficiary amounts, when given, must add up to the proposal's (SPEC §9).

    `rows` are objects or dicts with support_vnd and counterpart_vnd.
    """

    def get(row, name):
        return (row.get(name) if isinstance(row, dict) else getattr(row, name)) or 0

    rows = list(rows)
    if not rows:
        return
    errors = {}
    support = sum(get(r, "support_vnd") for r in rows)
    counterpart = sum(get(r, "counterpart_vnd") for r in rows)
    if support != proposal.support_vnd:
        errors["support_vnd"] = _(
            "Tổng hỗ trợ của các cơ sở (%(rows)s triệu đồng) khác kinh phí hỗ trợ của đề án "
            "(%(total)s triệu đồng)."
        ) % {"rows": format_trieu(support), "total": format_trieu(proposal.support_vnd)}
    if counterpart != proposal.counterpart_vnd:
        errors["counterpart_vnd"] = _(
            "Tổng vốn đối ứng của các cơ sở (%(rows)s triệu đồng) khác vốn đối ứng của đề án "
            "(%(total)s triệu đồng)."
        ) % {"rows": format_trieu(counterpart), "total": format_trieu(proposal.counterpart_vnd)}
    if errors:
        raise ValidationError(errors)


class Beneficiary(models.Model):
    """A facility supported by a proposal, with its own share of the money."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="beneficiaries")
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("cơ sở"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    support_vnd = models.BigIntegerField(_("kinh phí hỗ trợ (đồng)"), default=0)
    counterpart_vnd = models.BigIntegerField(_("vốn đối ứng (đồng)"), default=0)
    # Written at acceptance (nghiệm thu).
    actual_support_vnd = models.BigIntegerField(_("hỗ trợ thực tế (đồng)"), null=True, blank=True)
    actual_counterpart_vnd = models.BigIntegerField(
        _("đối ứng thực tế (đồng)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("cơ sở thụ hưởng")
        verbose_name_plural = _("cơ sở thụ hưởng")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "facility"], name="beneficiary_once_per_proposal"
            ),
            *_non_negative(
                "support_vnd", "counterpart_vnd", "actual_support_vnd", "actual_counterpart_vnd"
            ),
        ]

    def __str__(self):
        return str(self.facility)


class OutcomeIndicator(models.Model):
    """A planned (and later actual) output of a proposal (SPEC §3.2).

    Catalogue rows (`indicator` set) are added up by reports. A row without one is "other":
    its own name and unit are shown, never summed (e.g. a capacity of 60.000 tấn/năm), and an
    administrator may map it onto the catalogue.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(
        OutputIndicator,
        verbose_name=_("chỉ tiêu đầu ra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
    )
    name = models.CharField(
        _("chỉ tiêu khác"), max_length=255, blank=True, validators=[validators.validate_single_line]
    )
    unit = models.CharField(
        _("đơn vị tính"), max_length=40, blank=True, validators=[validators.validate_single_line]
    )
    # Null on an indicator first recorded at acceptance (achieved without being planned).
    planned = models.PositiveBigIntegerField(_("kế hoạch"), null=True, blank=True)
    actual = models.PositiveBigIntegerField(_("thực hiện"), null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu đầu ra")
        verbose_name_plural = _("chỉ tiêu đầu ra")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "indicator"], name="outcome_indicator_once_per_proposal"
            ),
            models.CheckConstraint(
                condition=Q(indicator__isnull=False) | ~Q(name=""),
                name="outcome_indicator_named",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.planned} {self.unit_label}".strip()

    @property
    def label(self) -> str:
        return self.indicator.label if self.indicator_id else self.name

    @property
    def unit_label(self) -> str:
        return self.indicator.unit_label if self.indicator_id else self.unit


class ProposalEvent(AppendOnlyModel):
    """One step of a proposal's life; never edited or deleted (a new event undoes a mistake)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(_("từ trạng thái"), max_length=12, choices=State.choices)
    to_state = models.CharField(_("sang trạng thái"), max_length=12, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A default, not auto_now_add: an import of history (exchange) writes the original moment
    # at insert, since the row can never be updated afterwards (khuyencong.append_only).
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    support_vnd = models.BigIntegerField(_("kinh phí hỗ trợ (đồng)"), null=True, blank=True)
    counterpart_vnd = models.BigIntegerField(_("vốn đối ứng (đồng)"), null=True, blank=True)
    other_vnd = models.BigIntegerField(_("nguồn khác (đồng)"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự kiện đề án")
        verbose_name_plural = _("sự kiện đề án")
        ordering = ["at", "id"]
        constraints = _non_negative("support_vnd", "counterpart_vnd", "other_vnd")

    def __str__(self):
        return f"{self.proposal.code}: {self.from_state} → {self.to_state}"


def attachment_path(instance, filename):
    return f"attachments/{instance.proposal_id}/{filename}"


class Attachment(models.Model):
    """A document of a proposal; served only through a view that checks visibility."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại nội dung"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    progress_report = models.ForeignKey(
        "proposals.ProgressReport",
        verbose_name=_("báo cáo tiến độ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
