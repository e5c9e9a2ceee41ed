"""Spreadsheet imports: a job per uploaded file and one outcome per row.

The database is the queue: an upload is a QUEUED job; the worker (`manage.py run_imports`, or a
thread on the development server) checks every row and leaves the job READY or INVALID; the
person confirms; the worker writes everything in one transaction, or nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    FACILITIES = "facilities", _("Cơ sở CNNT")
    PROPOSALS = "proposals", _("Đề án và cơ sở thụ hưởng")


class Status(models.TextChoices):
    QUEUED = "queued", _("Chờ kiểm tra")
    CHECKING = "checking", _("Đang kiểm tra")
    READY = "ready", _("Đã kiểm tra, chờ xác nhận")
    INVALID = "invalid", _("Có lỗi, chưa ghi gì")
    CONFIRMED = "confirmed", _("Đã xác nhận, chờ ghi")
    WRITING = "writing", _("Đang ghi")
    DONE = "done", _("Đã nhập xong")
    FAILED = "failed", _("Không nhập được")


# A worker is busy with these; the page keeps polling while a job is in one of them.
RUNNING = (Status.QUEUED, Status.CHECKING, Status.CONFIRMED, Status.WRITING)


class Outcome(models.TextChoices):
    NEW = "new", _("Thêm mới")
    UPDATE = "update", _("Cập nhật")
    UNCHANGED = "unchanged", _("Không đổi")
    ERROR = "error", _("Lỗi")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An import acts with its uploader's rights, so only the uploader sees and confirms it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(created_by=user)


class ImportJob(models.Model):
    kind = models.CharField(_("loại dữ liệu"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_name = models.CharField(_("tên tệp"), max_length=255)
    # The file lives in the database: the web process and the worker need no shared disk.
    source = models.BinaryField(_("nội dung tệp"))
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    done_rows = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    new_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    message = models.TextField(_("thông báo"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    # Written by the worker as it goes; a RUNNING job whose heartbeat stopped is picked up again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(_("thời điểm kiểm tra xong"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm ghi xong"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_rows__lte=models.F("total_rows")) | Q(total_rows=0),
                name="importjob_done_within_total",
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("exchange:job", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int:
        if self.status in (Status.READY, Status.DONE):
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.done_rows * 100 // self.total_rows)


class ImportRow(models.Model):
    """What one row of the file does (or why it cannot), as found by the last check."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(_("trang tính"), max_length=40)
    row = models.PositiveIntegerField(_("dòng"))
    key = models.CharField(_("mã"), max_length=255, blank=True)
    label = models.CharField(_("tên"), max_length=500, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    # [[column header, message], …]; the column is "" when the message concerns the whole row.
    errors = models.JSONField(default=list, blank=True)
    # [[column header, old, new], …] for an update.
    changes = models.JSONField(default=list, blank=True)
    # The proposal's version when checked: a confirm after someone else's edit is refused.
    version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("dòng nhập")
        verbose_name_plural = _("dòng nhập")
        ordering = ["job", "id"]
        indexes = [models.Index(fields=["job", "outcome"])]

    def __str__(self):
        return f"{self.sheet} {self.row}: {self.outcome}"
