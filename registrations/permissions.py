"""Who may do what with the online registrations: plain functions returning (allowed, reason).

The centre and the department of a province read its registrations (applicants' details are
personal data national roles have no need for); only the centre acts on them. When a
registration's status allows acting is `workflow.can_handle`'s to add.
"""

from django.utils.translation import gettext as _

from khuyencong import access
from khuyencong.roles import Role

# Roles that see a province's registrations; only the centre acts on them.
STAFF_ROLES = (Role.CENTRE, Role.DEPARTMENT)


def staff_province_slugs(user) -> set[str]:
    """Provinces (with their predecessors) whose registrations the user handles or reads."""
    slugs: set[str] = set()
    for role in STAFF_ROLES:
        # Centres and departments are always bound to a province, so never None here.
        slugs |= access.province_slugs_for_role(user, role) or set()
    return slugs


def may_read(user) -> tuple[bool, str]:
    """Does the user read some province's registrations (the menu, the queue)?"""
    if access.roles(user) & set(STAFF_ROLES):
        return True, ""
    return False, _("Chỉ Trung tâm Khuyến công và Sở Công Thương xem hồ sơ đăng ký trực tuyến.")


def may_handle(user, registration) -> tuple[bool, str]:
    """The centre of the registration's province handles it."""
    if access.has_role(user, Role.CENTRE, registration.province_id):
        return True, ""
    return False, _("Chỉ Trung tâm Khuyến công của tỉnh được xử lý hồ sơ đăng ký.")
