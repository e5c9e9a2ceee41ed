from django import template

from registrations import permissions

register = template.Library()


@register.filter
def sees_registrations(user) -> bool:
    """For the menu: does the user hold a role that reads the online registrations?

    Reads the memberships the request has already loaded, so the menu costs no query.
    """
    return permissions.may_read(user)[0]
