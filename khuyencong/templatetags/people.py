"""{{ user|display_name }}: the full name, else the username, else '—' (a deleted user)."""

from django import template

register = template.Library()


@register.filter
def display_name(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.username
