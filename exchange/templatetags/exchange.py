from django import template

from exchange.permissions import importable_kinds

register = template.Library()


@register.filter
def may_import(user) -> bool:
    """For the menu: does the user import anything (centre and department staff)?"""
    return bool(importable_kinds(user))
