"""The base: provinces and their 2025 succession, implementing units, who holds which role
where, and the append-only and data-version bases every app builds on. Imports no app of the
project.
"""

import datetime
import time
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.roles import NATIONAL_ROLES, PROVINCIAL_ROLES, Role

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
        # The table keeps the name it had when provinces lived in `facilities`.
        db_table = "facilities_province"
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


def province_and_successors(province) -> list[str]:
    """`province` and the provinces that took it over, as slugs (Bắc Giang → Bắc Ninh)."""
    slugs = [province.slug]
    while province.successor_id:
        province = province.successor
        slugs.append(province.slug)
    return slugs


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def centre_of(self, province_slug: str):
        """The provincial centre of `province_slug`, or None."""
        return self.filter(kind=Unit.Kind.CENTRE, province_id=province_slug).first()

    def working_in(self, province):
        """Units that may implement a proposal of `province` (SPEC §4): its provincial centre
        and the centres of the provinces that took it over, the regional centre serving it,
        providers of those provinces or of the whole country."""
        chain = province_and_successors(province)
        local = Q(kind__in=[Unit.Kind.CENTRE, Unit.Kind.PROVIDER, Unit.Kind.OTHER])
        return self.filter(
            (local & Q(province_id__in=chain))
            | Q(kind__in=[Unit.Kind.PROVIDER, Unit.Kind.OTHER], province__isnull=True)
            | Q(kind=Unit.Kind.REGIONAL_CENTRE, provinces_served=province)
        ).distinct()


class Unit(models.Model):
    """An implementing unit (đơn vị chủ trì, SPEC §4): a provincial centre, one of the
    ministry's regional centres, or a service provider. Proposals name one and its partners."""

    class Kind(models.TextChoices):
        CENTRE = "centre", _("Trung tâm Khuyến công tỉnh")
        REGIONAL_CENTRE = "regional_centre", _("Trung tâm khu vực của Bộ Công Thương")
        PROVIDER = "provider", _("Đơn vị cung cấp dịch vụ khuyến công")
        OTHER = "other", _("Đơn vị khác")

    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("Tỉnh của đơn vị; để trống với trung tâm khu vực và đơn vị toàn quốc."),
    )
    provinces_served = models.ManyToManyField(
        Province,
        verbose_name=_("địa bàn phụ trách"),
        blank=True,
        related_name="regional_units",
        help_text=_("Với trung tâm khu vực: các tỉnh, thành phố trung tâm phụ trách."),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[provinces_served])
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị thực hiện")
        verbose_name_plural = _("đơn vị thực hiện")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(kind="centre"),
                name="unit_one_centre_per_province",
            ),
            # A provincial centre belongs to a province; the ministry's regional centres do not.
            models.CheckConstraint(
                condition=~Q(kind="centre") | Q(province__isnull=False),
                name="unit_centre_has_province",
            ),
            models.CheckConstraint(
                condition=~Q(kind="regional_centre") | Q(province__isnull=True),
                name="unit_regional_centre_has_no_province",
            ),
        ]

    def __str__(self):
        return self.name

    def may_work_in(self, province) -> bool:
        """May this unit implement a proposal of `province`? (the rule of `working_in`)"""
        return Unit.objects.working_in(province).filter(pk=self.pk).exists()


class Membership(models.Model):
    """One role a user holds, bound to a province or (province empty) to the whole country."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống với vai trò toàn quốc."),
    )

    class Meta:
        verbose_name = _("vai trò của người dùng")
        verbose_name_plural = _("vai trò của người dùng")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "province"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(province__isnull=True),
                name="membership_unique_national",
            ),
            # Centres and departments always belong to a province; ministry and admin never do.
            models.CheckConstraint(
                condition=~Q(role__in=PROVINCIAL_ROLES) | Q(province__isnull=False),
                name="membership_provincial_role_has_province",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=NATIONAL_ROLES) | Q(province__isnull=True),
                name="membership_national_role_has_no_province",
            ),
        ]

    def __str__(self):
        where = self.province.name if self.province_id else _("Toàn quốc")
        return f"{self.get_role_display()} · {where}"

    @property
    def is_national(self) -> bool:
        return self.province_id is None


class AppendOnlyModel(models.Model):
    """A record of something that happened: written once, never edited or deleted.

    A mistake is undone by a new record (SPEC §5), so the history stays trustworthy.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.get("force_insert"):
            raise ValidationError(_("Sự kiện đã ghi không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Sự kiện đã ghi không được xóa."))


class DataVersion(models.Model):
    """A counter of committed changes to the portal's data, read by khuyencong.datacache.

    One row. Cached totals and summaries carry its number in their keys, so a change committed
    by any server process retires them in every process.
    """

    name = models.CharField(max_length=20, primary_key=True)
    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    def __str__(self):
        return f"{self.name} #{self.number}"
