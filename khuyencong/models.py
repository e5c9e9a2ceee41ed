from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from facilities.models import Province
from khuyencong.roles import NATIONAL_ROLES, PROVINCIAL_ROLES, Role


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
