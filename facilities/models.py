import datetime
import time
from collections import defaultdict

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.access import ProvinceScopedQuerySet
from khuyencong.text import normalise

# The 2025 reform (Resolution 202/2025/QH15) took effect on this day.
MERGER_DATE = datetime.date(2025, 7, 1)


class ProvinceQuerySet(models.QuerySet):
    def current(self):
        """The 34 provinces that exist today."""
        return self.filter(valid_to__isnull=True)

    def existing_in(self, year: int):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__year__gte=year))


class Province(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh_pho", _("Thành phố")

    slug = models.SlugField(_("mã định danh"), primary_key=True, max_length=40)
    name = models.CharField(_("tên"), max_length=80)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    code_until_2025 = models.CharField(_("mã đến 30/6/2025"), max_length=3, blank=True)
    code_from_2025 = models.CharField(_("mã từ 1/7/2025"), max_length=3, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True, successor__isnull=True)
                | Q(valid_to__isnull=False, successor__isnull=False),
                name="province_ended_has_successor",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def code(self):
        """The statistics code in force today (the old one for an absorbed province)."""
        return self.code_from_2025 or self.code_until_2025

    def code_on(self, day: datetime.date) -> str:
        """The official code valid on `day` (the 2025 reform reused some codes)."""
        if day >= MERGER_DATE and self.code_from_2025:
            return self.code_from_2025
        return self.code_until_2025

    def existed_in(self, year: int) -> bool:
        return self.valid_to is None or self.valid_to.year >= year

    def today(self) -> "Province":
        """The province that holds this one's records today (itself if it continues)."""
        province = self
        while province.successor_id:
            province = province.successor
        return province

    def lineage_slugs(self) -> set[str]:
        """This province and every province it succeeded, as slugs."""
        predecessors = succession_map()
        slugs, frontier = {self.slug}, [self.slug]
        while frontier:
            frontier = [p for s in frontier for p in predecessors.get(s, ()) if p not in slugs]
            slugs.update(frontier)
        return slugs


# The 2025 succession map is reference data read on every scoped request: keep it in memory
# for a few minutes, and forget it at once when a province is saved in this process.
_SUCCESSION_TTL = 300
_succession = {"map": None, "at": 0.0}


def succession_map() -> dict[str, tuple[str, ...]]:
    """{successor slug: predecessor slugs}, from at most one query every few minutes."""
    now = time.monotonic()
    if _succession["map"] is None or now - _succession["at"] > _SUCCESSION_TTL:
        found = defaultdict(list)
        rows = Province.objects.filter(successor__isnull=False).order_by()
        for slug, successor in rows.values_list("slug", "successor"):
            found[successor].append(slug)
        _succession["map"] = {k: tuple(v) for k, v in found.items()}
        _succession["at"] = now
    return _succession["map"]


def forget_succession_map(**_kwargs) -> None:
    _succession["map"] = None


models.signals.post_save.connect(forget_succession_map, sender=Province)
models.signals.post_delete.connect(forget_succession_map, sender=Province)


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

    name = models.CharField(_("tên cơ sở"), max_length=255)
    legal_form = models.CharField(_("loại hình"), max_length=20, choices=LegalForm.choices)
    tax_code = models.CharField(
        _("mã số thuế / số đăng ký"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Để trống nếu cơ sở chưa có mã số thuế hay đăng ký kinh doanh."),
    )
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    sector = models.CharField(_("ngành nghề"), max_length=255, blank=True)
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    representative = models.CharField(_("người đại diện"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    area_class = models.CharField(
        _("địa bàn"), max_length=30, choices=AreaClass.choices, default=AreaClass.NORMAL
    )
    # Case- and diacritic-folded name, tax code and address: SQLite's LIKE folds ASCII only.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

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
        self.tax_code = (self.tax_code or "").strip() or None
        self.search_text = self.build_search_text(self.name, self.tax_code, self.address)
        super().save(*args, **kwargs)
