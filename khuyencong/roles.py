"""The roles of SPEC §1. Keys are ASCII and stable; only labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTRE = "centre", _("Trung tâm Khuyến công")
    DEPARTMENT = "department", _("Sở Công Thương")
    MINISTRY = "ministry", _("Cục Khuyến công, Bộ Công Thương")
    MANAGER = "manager", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị")


# Roles that act for one province; the ministry and administrators act for the country.
PROVINCIAL_ROLES = (Role.CENTRE, Role.DEPARTMENT)
NATIONAL_ROLES = (Role.MINISTRY, Role.ADMIN)
