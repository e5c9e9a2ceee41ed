"""Who may enter and edit facilities (SPEC §1): plain functions returning `(allowed, reason)`.

The extension centre and the department of a province enter its facilities; national roles
read them. Facilities outside the user's provinces are not found (404), never refused here.
"""

from django.utils.translation import gettext as _

from khuyencong.access import has_role, province_slugs_for_role
from khuyencong.models import Province
from khuyencong.roles import Role

Verdict = tuple[bool, str]
EDITOR_ROLES = (Role.CENTRE, Role.DEPARTMENT)


def provinces_for_new_facilities(user):
    """Today's provinces where the user may enter facilities (absorbed ones take no new ones)."""
    slugs: set[str] = set()
    for role in EDITOR_ROLES:
        found = province_slugs_for_role(user, role)
        if found is None:
            return Province.objects.current()
        slugs |= found
    return Province.objects.current().filter(slug__in=slugs)


def may_create_facility(user) -> Verdict:
    if provinces_for_new_facilities(user).exists():
        return True, ""
    return False, _("Chỉ Trung tâm Khuyến công và Sở Công Thương được thêm cơ sở.")


def may_edit_facility(user, province_slug: str) -> Verdict:
    """The extension centre or the department of the facility's province edits it."""
    if any(has_role(user, role, province_slug) for role in EDITOR_ROLES):
        return True, ""
    return False, _("Chỉ Trung tâm Khuyến công và Sở Công Thương của tỉnh được sửa cơ sở này.")
