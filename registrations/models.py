"""Online registrations (đăng ký trực tuyến): a facility asks for support without an account.

A registration is received, reviewed by the extension centre of its province, then either
turned into a draft proposal (accepted) or declined with a reason. Every step is an immutable
RegistrationEvent; the applicant follows it with the tracking code and a tax code or phone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility, LegalForm, normalise_tax_code
from funding.models import ActivityContent
from khuyencong import validators
from khuyencong.access import ProvinceScopedQuerySet
from khuyencong.models import AppendOnlyModel, Province
from khuyencong.text import normalise
from proposals.models import Proposal
from registrations import permissions
from registrations.codes import normalise_code, normalise_phone


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    REVIEWING = "reviewing", _("Đang xem xét")
    ACCEPTED = "accepted", _("Đã đưa vào đề án")
    DECLINED = "declined", _("Không được hỗ trợ")


OPEN_STATUSES = (Status.RECEIVED, Status.REVIEWING)


class RegistrationQuerySet(ProvinceScopedQuerySet):
    def visible_to(self, user):
        """Only the centre and the department of the province: applicants' details are personal
        data that national roles have no need for."""
        return self.filter(province__in=permissions.staff_province_slugs(user))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def search(self, text: str):
        needle = normalise(text)
        return self.filter(search_text__contains=needle) if needle else self

    def for_applicant(self, code: str, tax_code_or_phone: str):
        """The registration with this code whose tax code or phone is the one given, or None.

        Both must match; a wrong pair finds nothing, the same as an unknown code.
        """
        code = normalise_code(code)
        secret = (tax_code_or_phone or "").strip()
        if not code or not secret:
            return None
        tax_code, phone = normalise_tax_code(secret), normalise_phone(secret)
        match = Q(pk__in=[])
        if tax_code:
            match |= Q(tax_code=tax_code)
        if len(phone) >= 9:
            match |= Q(phone=phone)
        return self.filter(match, code=code).first()


class Registration(models.Model):
    """A facility's request for khuyến công support, sent through the public page."""

    code = models.CharField(_("mã hồ sơ"), max_length=12, unique=True, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )

    # The facility, as the applicant describes it.
    name = models.CharField(
        _("tên cơ sở"), max_length=255, validators=[validators.validate_single_line]
    )
    legal_form = models.CharField(_("loại hình"), max_length=20, choices=LegalForm.choices)
    tax_code = models.CharField(
        _("mã số thuế / số đăng ký kinh doanh"),
        max_length=20,
        blank=True,
        db_index=True,
        validators=[validators.validate_tax_code],
    )
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(
        _("địa chỉ"), max_length=255, validators=[validators.validate_single_line]
    )
    sector = models.CharField(
        _("ngành nghề sản xuất"), max_length=255, validators=[validators.validate_single_line]
    )
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    representative = models.CharField(
        _("người liên hệ"), max_length=120, validators=[validators.validate_single_line]
    )
    phone = models.CharField(
        _("điện thoại"),
        max_length=20,
        db_index=True,
        validators=[validators.validate_ascii_digits],
    )
    email = models.EmailField(_("thư điện tử"), blank=True)

    # What it asks for.
    content = models.ForeignKey(
        ActivityContent, verbose_name=_("nội dung đề nghị hỗ trợ"), on_delete=models.PROTECT
    )
    need = models.CharField(
        _("nhu cầu hỗ trợ"), max_length=255, validators=[validators.validate_single_line]
    )
    description = models.TextField(_("mô tả chi tiết"), validators=[validators.validate_text])
    requested_support_vnd = models.BigIntegerField(_("kinh phí đề nghị hỗ trợ (đồng)"))
    counterpart_vnd = models.BigIntegerField(_("vốn đối ứng cơ sở cam kết (đồng)"), default=0)

    # What the centre made of it.
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("cơ sở trong hệ thống"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("đề án"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registration",
    )
    decline_reason = models.TextField(_("lý do không hỗ trợ"), blank=True)

    submitted_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # Kept for abuse review only; never shown on the pages.
    submitted_from = models.GenericIPAddressField(_("địa chỉ IP gửi"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ đăng ký trực tuyến")
        verbose_name_plural = _("hồ sơ đăng ký trực tuyến")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["province", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_support_vnd__gte=0), name="registration_support_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(counterpart_vnd__gte=0), name="registration_counterpart_gte_0"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ACCEPTED) | Q(proposal__isnull=False),
                name="registration_accepted_has_proposal",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def get_absolute_url(self):
        return reverse("registrations:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def save(self, *args, **kwargs):
        self.tax_code = normalise_tax_code(self.tax_code)
        self.phone = normalise_phone(self.phone)
        self.search_text = normalise(
            " ".join([self.code, self.name, self.tax_code, self.phone, self.need])
        )
        super().save(*args, **kwargs)


class Action(models.TextChoices):
    SUBMIT = "submit", _("Gửi đăng ký")
    REVIEW = "review", _("Nhận xem xét")
    MATCH = "match", _("Gắn với cơ sở có sẵn")
    CREATE_FACILITY = "create_facility", _("Tạo cơ sở từ hồ sơ")
    CONVERT = "convert", _("Lập dự thảo đề án")
    DECLINE = "decline", _("Không hỗ trợ")


class RegistrationEvent(AppendOnlyModel):
    """One step of a registration; never edited or deleted."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("từ trạng thái"), max_length=12, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=12, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sự kiện hồ sơ đăng ký")
        verbose_name_plural = _("sự kiện hồ sơ đăng ký")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.registration.code}: {self.action}"

    @property
    def changes_status(self) -> bool:
        return self.from_status != self.to_status


def registration_file_path(instance, filename):
    return f"registrations/{instance.registration.code}/{filename}"


class RegistrationFile(models.Model):
    """A document the applicant sent; served only to staff who may see the registration."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("tệp"), upload_to=registration_file_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại nội dung"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu đăng ký")
        verbose_name_plural = _("tài liệu đăng ký")
        ordering = ["id"]

    def __str__(self):
        return self.original_name
