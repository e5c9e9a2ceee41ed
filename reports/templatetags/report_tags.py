"""Report template tags: {% proposals_url summary row %}, {% chart summary "support_by_year" %}."""

from django import template

from reports import charts, links

register = template.Library()


@register.simple_tag
def proposals_url(summary, row=None):
    return links.proposal_list_url(summary, row)


@register.simple_tag
def chart(summary, name):
    return charts.CHARTS[name](summary)
