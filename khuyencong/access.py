"""Who may see what: roles, memberships and province scoping, in one place.

A provincial user sees its province and the provinces that province succeeded in 2025
(Bắc Ninh's staff see Bắc Giang's history); national roles see everything. Objects outside
a user's scope answer 404, never 403, so their existence is not leaked.
"""

from django.db import models
from django.shortcuts import get_object_or_404

from khuyencong.roles import NATIONAL_ROLES, Role

_CACHE = "_khuyencong_access"


def memberships(user):
    """The user's role memberships (with provinces), loaded once per request."""
    return _memberships(user)


def _memberships(user):
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(user.memberships.select_related("province"))
        setattr(user, _CACHE, cached)
    return cached


def roles(user) -> set[str]:
    """The role keys a user holds anywhere."""
    found = {m.role for m in _memberships(user)}
    if getattr(user, "is_superuser", False):
        found.add(Role.ADMIN)
    return found


def is_national(user) -> bool:
    """True when the user acts for the whole country (ministry, admin, national manager)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(m.province_id is None for m in _memberships(user))


def visible_province_slugs(user) -> set[str] | None:
    """Slugs of the provinces whose data the user may read; None means every province."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if is_national(user):
        return None
    cache_key = _CACHE + "_slugs"
    slugs = getattr(user, cache_key, None)
    if slugs is None:
        slugs = set()
        for membership in _memberships(user):
            slugs |= _lineage(user, membership.province)
        setattr(user, cache_key, slugs)
    return slugs


def province_slugs_for_role(user, role: str) -> frozenset[str] | None:
    """Provinces where the user holds `role` (with their predecessors); None means all."""
    # Cached per user: lists ask it for every row (the actions a user may take on each).
    cache = getattr(user, _CACHE + "_roles", None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE + "_roles", cache)
    if role not in cache:
        cache[role] = _province_slugs_for_role(user, role)
    return cache[role]


def _province_slugs_for_role(user, role: str) -> frozenset[str] | None:
    slugs: set[str] = set()
    for membership in _memberships(user):
        if membership.role != role:
            continue
        if membership.province_id is None:
            return None
        slugs |= _lineage(user, membership.province)
    if role == Role.ADMIN and getattr(user, "is_superuser", False):
        return None
    return frozenset(slugs)


def _lineage(user, province) -> set[str]:
    # Cached per user: visibility and each role ask for the same provinces' history.
    cache = getattr(user, _CACHE + "_lineage", None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE + "_lineage", cache)
    if province.slug not in cache:
        cache[province.slug] = province.lineage_slugs()
    return cache[province.slug]


def has_role(user, role: str, province_slug: str | None = None) -> bool:
    """Does the user hold `role`, for `province_slug` when given (national roles cover all)?"""
    if role in NATIONAL_ROLES and role in roles(user):
        return True
    slugs = province_slugs_for_role(user, role)
    if slugs is None:
        return role in roles(user)
    if province_slug is None:
        return bool(slugs)
    return province_slug in slugs


def viewer_key(user) -> tuple:
    """What a user's view of the data depends on, for cached pages: roles and their provinces.

    Users holding the same roles in the same provinces see the same rows and may do the same.
    """
    held = sorted((m.role, m.province_id or "") for m in _memberships(user))
    return (bool(getattr(user, "is_superuser", False)), tuple(held))


def forget(user) -> None:
    """Drop cached memberships (after they change within a request or a test)."""
    for key in (_CACHE, _CACHE + "_slugs", _CACHE + "_roles", _CACHE + "_lineage"):
        if hasattr(user, key):
            delattr(user, key)


class ProvinceScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a province; `visible_to` is the only way pages read it."""

    province_field = "province"

    def visible_to(self, user):
        slugs = visible_province_slugs(user)
        if slugs is None:
            return self
        return self.filter(**{f"{self.province_field}__in": slugs})


def get_visible_or_404(queryset, user, **lookup):
    """The object if the user may see it, else 404 (another province's object is 'not found')."""
    return get_object_or_404(queryset.visible_to(user), **lookup)
