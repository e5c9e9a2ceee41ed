"""What proposals did for facilities, for the facility pages (facilities know nothing of proposals).

`{% load facility_proposals %}` then `{% facility_proposals facility %}` (the detail page's
section) and `{% proposal_counts page.object_list as counts %}` with `{{ counts|count_for:f.pk }}`
(the list's column).
"""

from django import template
from django.db.models import Count

from proposals.models import Beneficiary, Proposal

register = template.Library()


@register.inclusion_tag("proposals/partials/facility_proposals.html", takes_context=True)
def facility_proposals(context, facility):
    """The proposals that supported `facility`, only those the viewer may see."""
    user = context["request"].user
    beneficiaries = (
        Beneficiary.objects.filter(
            facility=facility, proposal__in=Proposal.objects.visible_to(user)
        )
        .select_related("proposal__fund", "proposal__province")
        .order_by("-proposal__year", "proposal__code")
    )
    return {"beneficiaries": beneficiaries}


@register.simple_tag
def proposal_counts(facilities) -> dict:
    """{facility id: number of proposals naming it} for the rows shown, in one query."""
    rows = (
        Beneficiary.objects.filter(facility__in=[f.pk for f in facilities])
        .order_by()
        .values("facility")
        .annotate(n=Count("pk"))
        .values_list("facility", "n")
    )
    return dict(rows)


@register.filter
def count_for(counts: dict, pk) -> int:
    return counts.get(pk, 0)
