"""Allocation pages: what each fund allotted, what approvals used, what remains."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from funding.forms import AllocationFilterForm, AllocationForm, AllocationRights, current_year
from funding.models import Allocation
from khuyencong.access import get_visible_or_404
from khuyencong.money import ratio
from proposals.budget import with_usage

PAGE_SIZE = 50


@login_required
def allocation_list(request):
    rights = AllocationRights(request.user)
    filters = AllocationFilterForm(request.GET or None, user=request.user)
    allocations = filters.apply(
        with_usage(Allocation.objects.visible_to(request.user).select_related("province", "fund"))
    )
    page = Paginator(allocations, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.used = ratio(row.approved_vnd, row.amount_vnd)
        row.may_edit = rights.may_enter(row.fund_id, row.province_id)
    # Aliases must differ from the annotations they sum, or Django sums the wrong expression.
    sums = allocations.aggregate(
        allocated=Coalesce(Sum("amount_vnd"), 0), approved=Coalesce(Sum("approved_vnd"), 0)
    )
    totals = {
        "allocated_vnd": sums["allocated"],
        "approved_vnd": sums["approved"],
        "remaining_vnd": sums["allocated"] - sums["approved"],
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "funding/list.html",
        {
            "filters": filters,
            "page": page,
            "totals": totals,
            "query": query.urlencode(),
            "may_create": rights.may_enter_any,
        },
    )


@login_required
def allocation_create(request):
    if not AllocationRights(request.user).may_enter_any:
        raise PermissionDenied(_("Chỉ Sở Công Thương và Cục Khuyến công được nhập phân bổ."))
    initial = {
        key: request.GET[key] for key in ("year", "province", "fund") if request.GET.get(key)
    }
    initial.setdefault("year", current_year())
    form = AllocationForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                allocation = form.save()
        except IntegrityError:
            # Someone saved the same (province, year, fund) between our check and our insert.
            form.add_error(None, _("Phân bổ này vừa được người khác nhập. Hãy tải lại trang."))
        else:
            messages.success(request, _("Đã lưu phân bổ %(a)s.") % {"a": allocation})
            return redirect(_list_url(allocation))
    return render(request, "funding/form.html", {"form": form, "allocation": None})


@login_required
def allocation_edit(request, pk):
    allocation = get_visible_or_404(
        Allocation.objects.select_related("province", "fund"), request.user, pk=pk
    )
    rights = AllocationRights(request.user)
    if not rights.may_enter(allocation.fund_id, allocation.province_id):
        raise PermissionDenied(rights.refusal(allocation.fund_id))
    form = AllocationForm(request.POST or None, instance=allocation, user=request.user)
    if request.method == "POST":
        # Validate under the row lock approvals take, so none can slip in below the new amount.
        with transaction.atomic():
            Allocation.objects.select_for_update().filter(pk=pk).first()
            saved = form.save() if form.is_valid() else None
        if saved is not None:
            messages.success(request, _("Đã lưu phân bổ %(a)s.") % {"a": saved})
            return redirect(_list_url(saved))
    approved = with_usage(Allocation.objects.filter(pk=pk)).values_list("approved_vnd", flat=True)
    return render(
        request,
        "funding/form.html",
        {"form": form, "allocation": allocation, "approved_vnd": approved.first()},
    )


def _list_url(allocation) -> str:
    query = {
        "year": allocation.year,
        "province": allocation.province_id,
        "fund": allocation.fund_id,
    }
    return f"{reverse('funding:list')}?{urlencode(query)}"
