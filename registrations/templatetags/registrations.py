from django import template

from khuyencong.access import roles
from registrations.models import STAFF_ROLES

register = template.Library()


@register.filter
def sees_registrations(user) -> bool:
    """For the menu: does the user hold a role that reads the online registrations?

    Reads the memberships the request has already loaded, so the menu costs no query.
    """
    return bool(roles(user) & set(STAFF_ROLES))
