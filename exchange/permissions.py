"""Who may import what, and who may download a province's exchange document.

Built on the rules the pages already use: facilities are entered by the centre or the department
of their province (`facilities.permissions`), proposals are drafted by the centre
(`proposals.permissions`).
"""

from facilities.permissions import EDITOR_ROLES
from khuyencong.access import has_role, province_slugs_for_role, visible_province_slugs
from khuyencong.roles import Role
from proposals.permissions import creatable_province_slugs, may_create


def importable_kinds(user) -> list[str]:
    kinds = []
    if any(has_role(user, role) for role in EDITOR_ROLES):
        kinds.append("facilities")
    if may_create(user)[0]:
        kinds.append("proposals")
    return kinds


def template_province_slugs(user, kind: str) -> set[str] | None:
    """Provinces offered in a template's drop-down (None: all); the import checks again."""
    if kind == "proposals":
        slugs = creatable_province_slugs(user)
        return None if slugs is None else set(slugs)
    found: set[str] = set()
    for role in EDITOR_ROLES:
        slugs = province_slugs_for_role(user, role)
        if slugs is None:
            return None
        found |= slugs
    return found


def may_see_province(user, slug: str) -> bool:
    slugs = visible_province_slugs(user)
    return slugs is None or slug in slugs


def may_download_province(user, slug: str) -> bool:
    """The province's department, or a national administrator."""
    return has_role(user, Role.ADMIN) or has_role(user, Role.DEPARTMENT, slug)
