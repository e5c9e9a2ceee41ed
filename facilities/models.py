from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong import validators
from khuyencong.access import ProvinceScopedQuerySet
from khuyencong.text import normalise


def normalise_tax_code(text) -> str:
    """'0101 234 567-001' -> '0101234567-001': the one stored form of a tax code ('' if none).

    Spaces and dots dropped, letters upper-cased, the branch suffix kept, so a code typed with
    spaces finds (and collides with) the same code stored without them.
    """
    return "".join(ch for ch in str(text or "").upper() if ch.isalnum() or ch == "-").strip("-")


class LegalForm(models.TextChoices):
    SME = "sme", _("Doanh nghiệp nhỏ và vừa")
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    COOP_GROUP = "coop_group", _("Tổ hợp tác")
    HOUSEHOLD = "household", _("Hộ kinh doanh")
    OTHER = "other", _("Cơ sở khác")


class AreaClass(models.TextChoices):
    NORMAL = "normal", _("Địa bàn bình thường")
    DISADVANTAGED = "disadvantaged", _("Địa bàn khó khăn")
    ESPECIALLY_DISADVANTAGED = "especially_disadvantaged", _("Địa bàn đặc biệt khó khăn")


class FacilityQuerySet(ProvinceScopedQuerySet):
    def search(self, text: str):
        """Match name, tax code or address ignoring case and diacritics ('duc' finds 'ĐỨC')."""
        needle = normalise(text)
        if not needle:
            return self
        return self.filter(search_text__contains=needle)


class Facility(models.Model):
    """A rural-industry facility (cơ sở công nghiệp nông thôn) that may receive support."""

    name = models.CharField(
        _("tên cơ sở"), max_length=255, validators=[validators.validate_single_line]
    )
    legal_form = models.CharField(_("loại hình"), max_length=20, choices=LegalForm.choices)
    tax_code = models.CharField(
        _("mã số thuế / số đăng ký"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[validators.validate_tax_code],
        help_text=_("Để trống nếu cơ sở chưa có mã số thuế hay đăng ký kinh doanh."),
    )
    province = models.ForeignKey(
        "khuyencong.Province", verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT
    )
    address = models.CharField(
        _("địa chỉ"), max_length=255, blank=True, validators=[validators.validate_single_line]
    )
    sector = models.CharField(
        _("ngành nghề"), max_length=255, blank=True, validators=[validators.validate_single_line]
    )
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    representative = models.CharField(
        _("người đại diện"),
        max_length=120,
        blank=True,
        validators=[validators.validate_single_line],
    )
    phone = models.CharField(
        _("điện thoại"), max_length=30, blank=True, validators=[validators.validate_single_line]
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    area_class = models.CharField(
        _("địa bàn"), max_length=30, choices=AreaClass.choices, default=AreaClass.NORMAL
    )
    # Case- and diacritic-folded name, tax code and address: SQLite's LIKE folds ASCII only.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    # Optimistic concurrency: every save through facilities.writing bumps it.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ sở CNNT")
        verbose_name_plural = _("cơ sở CNNT")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["province", "legal_form"]),
            # The facility list's order: a page is read from the index, not sorted.
            models.Index(fields=["name", "id"], name="facility_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(employees__isnull=True) | Q(employees__gte=0),
                name="facility_employees_non_negative",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("facilities:detail", args=[self.pk])

    @staticmethod
    def build_search_text(name, tax_code, address) -> str:
        return normalise(" ".join(filter(None, [name, tax_code or "", address])))

    def save(self, *args, **kwargs):
        self.tax_code = normalise_tax_code(self.tax_code) or None
        self.search_text = self.build_search_text(self.name, self.tax_code, self.address)
        super().save(*args, **kwargs)
