"""{{ user|display_name }}: family name first, else the username, else '—' (a deleted user)."""

from django import template

from khuyencong import people

register = template.Library()


@register.filter
def display_name(user):
    return people.display_name(user)
