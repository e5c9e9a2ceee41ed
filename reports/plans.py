"""Plan pages: the list and one plan's follow-up, measured by the summary's own computation
(`reports.summary.measure_plans`). Entering and editing a plan is funding's (funding.views)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from funding.forms import PlanFilterForm
from funding.models import Plan
from funding.permissions import AllocationRights, may_edit_plan, may_enter_plans
from khuyencong.access import get_visible_or_404
from khuyencong.history import timeline
from reports.links import plan_proposals_url
from reports.permissions import summary_scope
from reports.summary import measure_plans

PAGE_SIZE = 50
ORDER = ("province__name", "fund__order", "year_from")


@login_required
def plan_list(request):
    filters = PlanFilterForm(request.GET or None, user=request.user)
    plans = filters.apply(Plan.objects.visible_to(request.user)).order_by(*ORDER)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = measure_plans(
        Plan.objects.filter(pk__in=[plan.pk for plan in page]),
        scope=summary_scope(request.user),
    )
    rights = AllocationRights(request.user)
    for row in rows:
        row.may_edit = rights.may_enter(row.fund, row.province)[0]
    return render(
        request,
        "reports/plan_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "may_create": may_enter_plans(request.user)[0],
        },
    )


@login_required
def plan_detail(request, pk):
    plan = get_visible_or_404(Plan.objects.select_related("province", "fund"), request.user, pk=pk)
    (row,) = measure_plans(Plan.objects.filter(pk=plan.pk), scope=summary_scope(request.user))
    may_edit, refusal = may_edit_plan(request.user, plan)
    return render(
        request,
        "reports/plan_detail.html",
        {
            "plan": plan,
            "row": row,
            "proposals_url": plan_proposals_url(row),
            "may_edit": may_edit,
            "refusal": refusal,
            "history": timeline(plan.history),
        },
    )
