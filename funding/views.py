"""Allocation pages (what each fund allotted, what approvals used, what remains) and the plan
forms. A plan's list and detail measure it against proposals: they are reports (reports.plans)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from funding.forms import (
    AllocationFilterForm,
    AllocationForm,
    PlanForm,
    PlanTargetForm,
    PlanTargetFormSet,
    current_year,
    target_rows,
)
from funding.models import Allocation, Plan
from funding.permissions import (
    AllocationRights,
    may_edit_plan,
    may_enter,
    may_enter_any,
    may_enter_plans,
)
from funding.writing import save_allocation, save_plan
from khuyencong.access import get_visible_or_404
from khuyencong.errors import StaleVersion, allowed
from khuyencong.forms import show_errors
from khuyencong.history import timeline
from khuyencong.money import ratio

PAGE_SIZE = 50


@login_required
def allocation_list(request):
    rights = AllocationRights(request.user)
    filters = AllocationFilterForm(request.GET or None, user=request.user)
    allocations = filters.apply(
        Allocation.objects.visible_to(request.user).select_related("province", "fund").with_usage()
    )
    page = Paginator(allocations, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.used = ratio(row.approved_vnd, row.amount_vnd)
        row.may_edit = rights.may_enter(row.fund_id, row.province_id)[0]
    # Aliases must differ from the annotations they sum, or Django sums the wrong expression.
    sums = allocations.aggregate(
        allocated=Coalesce(Sum("amount_vnd"), 0), approved=Coalesce(Sum("approved_vnd"), 0)
    )
    totals = {
        "allocated_vnd": sums["allocated"],
        "approved_vnd": sums["approved"],
        "remaining_vnd": sums["allocated"] - sums["approved"],
    }
    return render(
        request,
        "funding/list.html",
        {
            "filters": filters,
            "page": page,
            "totals": totals,
            "may_create": rights.may_enter_any()[0],
        },
    )


@login_required
def allocation_create(request):
    allowed(may_enter_any(request.user))
    initial = {
        key: request.GET[key] for key in ("year", "province", "fund") if request.GET.get(key)
    }
    initial.setdefault("year", current_year())
    form = AllocationForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST":
        allocation = _save(request, form, None)
        if allocation is not None:
            messages.success(request, _("Đã lưu phân bổ %(a)s.") % {"a": allocation})
            return redirect(_list_url(allocation))
    return render(request, "funding/form.html", {"form": form, "allocation": None})


@login_required
def allocation_edit(request, pk):
    allocation = get_visible_or_404(
        Allocation.objects.select_related("province", "fund"), request.user, pk=pk
    )
    allowed(may_enter(request.user, allocation.fund_id, allocation.province_id))
    form = AllocationForm(request.POST or None, instance=allocation, user=request.user)
    stale = None
    if request.method == "POST":
        try:
            saved = _save(request, form, allocation)
        except StaleVersion as error:
            stale, saved = error, None
        if saved is not None:
            messages.success(request, _("Đã lưu phân bổ %(a)s.") % {"a": saved})
            return redirect(_list_url(saved))
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "allocation": allocation,
            "approved_vnd": allocation.committed_vnd,
            "history": timeline(allocation.history),
            "stale": stale,
        },
    )


def _save(request, form, allocation):
    """Save through the one write path; its refusals by field land on the page's form."""
    try:
        return save_allocation(
            request.user,
            request.POST.dict(),
            instance=allocation,
            expected_version=request.POST.get("version"),
        )
    except ValidationError as error:
        show_errors(form, error)
        return None


def _list_url(allocation) -> str:
    query = {
        "year": allocation.year,
        "province": allocation.province_id,
        "fund": allocation.fund_id,
    }
    return f"{reverse('funding:list')}?{urlencode(query)}"


@login_required
def plan_create(request):
    allowed(may_enter_plans(request.user))
    form = PlanForm(request.POST or None, user=request.user)
    targets = PlanTargetFormSet(request.POST or None, prefix="targets")
    if request.method == "POST":
        plan = _save_plan(request, form, targets, None)
        if plan is not None:
            messages.success(request, _("Đã lưu kế hoạch %(p)s.") % {"p": plan})
            return redirect("plans:detail", plan.pk)
    return render(request, "funding/plan_form.html", {"form": form, "targets": targets})


@login_required
def plan_edit(request, pk):
    plan = get_visible_or_404(Plan.objects.select_related("province", "fund"), request.user, pk=pk)
    allowed(may_edit_plan(request.user, plan))
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    targets = PlanTargetFormSet(
        request.POST or None,
        prefix="targets",
        initial=[PlanTargetForm.initial_for(t) for t in plan.targets.all()],
    )
    stale = None
    if request.method == "POST":
        try:
            saved = _save_plan(request, form, targets, plan)
        except StaleVersion as error:
            stale, saved = error, None
        if saved is not None:
            messages.success(request, _("Đã lưu kế hoạch %(p)s.") % {"p": saved})
            return redirect("plans:detail", saved.pk)
    return render(
        request,
        "funding/plan_form.html",
        {
            "form": form,
            "targets": targets,
            "plan": plan,
            "history": timeline(plan.history),
            "stale": stale,
        },
    )


def _save_plan(request, form, targets, plan):
    """Save through the one write path when the page's forms are valid; its refusals by field
    land on the page's form (the targets' above the table)."""
    if not (form.is_valid() and targets.is_valid()):
        return None
    try:
        return save_plan(
            request.user,
            form.values(),
            target_rows(targets),
            instance=plan,
            expected_version=request.POST.get("version"),
        )
    except ValidationError as error:
        show_errors(form, error)
        return None
