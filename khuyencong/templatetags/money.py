"""Template filters for amounts: {{ p.support_vnd|trieu }}, {{ lev|leverage }}, {{ r|percent }}."""

from django import template

from khuyencong import money

register = template.Library()


@register.filter
def trieu(vnd):
    return money.format_trieu(vnd)


@register.filter
def dong(vnd):
    return money.format_dong(vnd)


@register.filter(name="leverage")
def leverage_filter(value):
    return money.format_leverage(value)


@register.filter
def percent(value):
    return money.format_percent(value)
