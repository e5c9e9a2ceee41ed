from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong import validators
from khuyencong.access import ProvinceScopedQuerySet
from khuyencong.models import Province


class Fund(models.Model):
    """A source of khuyến công money. Keys are a contract: national, provincial, district."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    DISTRICT = "district"
    LOCAL = (PROVINCIAL, DISTRICT)

    key = models.SlugField(_("mã"), primary_key=True, max_length=20)
    name = models.CharField(_("tên"), max_length=120)
    short_name = models.CharField(_("tên viết tắt"), max_length=20)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nguồn kinh phí")
        verbose_name_plural = _("nguồn kinh phí")
        ordering = ["order"]

    def __str__(self):
        return self.name

    @property
    def is_national(self):
        return self.key == self.NATIONAL


class ActivityContent(models.Model):
    """Nội dung hoạt động khuyến công (Nghị định 45/2012, Điều 4), numbered 1–9."""

    number = models.PositiveSmallIntegerField(_("số"), primary_key=True)
    name = models.CharField(_("nội dung"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=80)

    class Meta:
        verbose_name = _("nội dung hoạt động")
        verbose_name_plural = _("nội dung hoạt động")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.short_name}"


class Catalogue(models.Model):
    """Reference data other programs read by its stable ASCII `key` (SPEC §3.1, §3.2): admins
    may add rows and edit names, never change a key. Names are kept in both languages here,
    so a row an admin adds has its English name without a new release of the catalogue."""

    key = models.CharField(
        _("mã"),
        primary_key=True,
        max_length=40,
        validators=[validators.validate_key],
        help_text=_("Mã cố định, không bao giờ đổi: chữ thường a–z, chữ số, “_”."),
    )
    name = models.CharField(_("tên"), max_length=255, validators=[validators.validate_single_line])
    name_en = models.CharField(
        _("tên tiếng Anh"), max_length=255, blank=True, validators=[validators.validate_single_line]
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language (the Vietnamese one when no English is entered)."""
        return _in_language(self.name, self.name_en)

    @staticmethod
    def in_language(vietnamese: str | None, english: str | None) -> str:
        """`label` from values read without the row (reports read catalogue names by join)."""
        return _in_language(vietnamese or "", english or "")


def _in_language(vietnamese: str, english: str) -> str:
    return english if english and (get_language() or "").startswith("en") else vietnamese


class ActivityType(Catalogue):
    """Loại hoạt động (SPEC §3.1): a content is too coarse for reports, e.g. content 3 holds
    both demonstration models and machinery support. Every proposal names one."""

    content = models.ForeignKey(
        ActivityContent,
        verbose_name=_("nội dung"),
        on_delete=models.PROTECT,
        related_name="activity_types",
    )

    class Meta:
        verbose_name = _("loại hoạt động")
        verbose_name_plural = _("loại hoạt động")
        ordering = ["content", "order", "key"]


class OutputIndicator(Catalogue):
    """Chỉ tiêu đầu ra (SPEC §3.2): what reports count besides money, in its own unit."""

    unit = models.CharField(
        _("đơn vị"), max_length=40, validators=[validators.validate_single_line]
    )
    unit_en = models.CharField(
        _("đơn vị (tiếng Anh)"),
        max_length=40,
        blank=True,
        validators=[validators.validate_single_line],
    )
    content = models.ForeignKey(
        ActivityContent,
        verbose_name=_("nội dung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("Để trống nếu chỉ tiêu dùng cho mọi nội dung (ví dụ việc làm mới)."),
    )

    class Meta:
        verbose_name = _("chỉ tiêu đầu ra")
        verbose_name_plural = _("chỉ tiêu đầu ra")
        ordering = ["order", "key"]

    @property
    def unit_label(self) -> str:
        return _in_language(self.unit, self.unit_en)


class Plan(models.Model):
    """A period plan (kế hoạch giai đoạn) of one fund in one province, with its targets."""

    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="plans"
    )
    fund = models.ForeignKey(Fund, verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT)
    year_from = models.PositiveSmallIntegerField(_("từ năm"), validators=[validators.validate_year])
    year_to = models.PositiveSmallIntegerField(_("đến năm"), validators=[validators.validate_year])
    target_support_vnd = models.BigIntegerField(_("kinh phí hỗ trợ mục tiêu (đồng)"), default=0)
    target_proposals = models.PositiveIntegerField(_("số đề án mục tiêu"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Optimistic concurrency: every save through funding.writing bumps it.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    history = HistoricalRecords()
    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch giai đoạn")
        verbose_name_plural = _("kế hoạch giai đoạn")
        ordering = ["province", "fund", "year_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "fund", "year_from", "year_to"], name="plan_unique_period"
            ),
            models.CheckConstraint(condition=Q(year_to__gte=F("year_from")), name="plan_years"),
            models.CheckConstraint(
                condition=Q(target_support_vnd__gte=0), name="plan_target_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.province} · {self.fund.short_name} · {self.year_from}–{self.year_to}"


class PlanTarget(models.Model):
    """A counted target of a plan (SPEC §4, §9): so many proposals of an activity type or a
    content, or so much of an output indicator, e.g. 42 facilities with machinery."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    content = models.ForeignKey(
        ActivityContent,
        verbose_name=_("nội dung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    activity = models.ForeignKey(
        ActivityType,
        verbose_name=_("loại hoạt động"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    indicator = models.ForeignKey(
        OutputIndicator,
        verbose_name=_("chỉ tiêu đầu ra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    description = models.CharField(
        _("diễn giải"), max_length=255, blank=True, validators=[validators.validate_single_line]
    )
    count = models.PositiveIntegerField(_("số lượng"))
    unit = models.CharField(
        _("đơn vị"), max_length=40, blank=True, validators=[validators.validate_single_line]
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content__isnull=False)
                | Q(activity__isnull=False)
                | Q(indicator__isnull=False),
                name="plan_target_measures_something",
            )
        ]

    def __str__(self):
        return f"{self.count} {self.unit} {self.description}".strip()


class AllocationQuerySet(ProvinceScopedQuerySet):
    def with_usage(self):
        """`approved_vnd` (committed by approvals) and `remaining_vnd` on every row."""
        return self.annotate(
            approved_vnd=F("committed_vnd"), remaining_vnd=F("amount_vnd") - F("committed_vnd")
        )


class Allocation(models.Model):
    """The money a fund allots to a province for one year (phân bổ kinh phí)."""

    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=[validators.validate_year])
    fund = models.ForeignKey(Fund, verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT)
    amount_vnd = models.BigIntegerField(_("kinh phí phân bổ (đồng)"))
    decision_number = models.CharField(
        _("số quyết định"), max_length=60, blank=True, validators=[validators.validate_single_line]
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # What counted proposals commit of it, kept by proposals.budget.refresh_committed in the
    # transaction that moves a proposal (the allocation row locked), so pages read a column.
    committed_vnd = models.BigIntegerField(_("đã phê duyệt (đồng)"), default=0, editable=False)
    # Optimistic concurrency: every save through funding.writing bumps it.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    # Committed money moves with proposals, not by anyone's edit: not part of the history.
    history = HistoricalRecords(excluded_fields=["committed_vnd"])
    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân bổ kinh phí")
        verbose_name_plural = _("phân bổ kinh phí")
        ordering = ["-year", "province", "fund"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "fund"], name="allocation_unique_year_fund"
            ),
            models.CheckConstraint(
                condition=Q(amount_vnd__gte=0), name="allocation_amount_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.province} · {self.fund.short_name} · {self.year}"
