"""Facility pages: list and search, detail with its edit history, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from facilities.filters import FacilityFilter
from facilities.forms import FacilityForm
from facilities.models import Facility
from facilities.permissions import may_create_facility, may_edit_facility
from facilities.writing import save_facility
from khuyencong.access import get_visible_or_404
from khuyencong.errors import StaleVersion, allowed
from khuyencong.forms import show_errors
from khuyencong.history import timeline
from khuyencong.models import Province

PAGE_SIZE = 25
SEARCH_LIMIT = 20


@login_required
def facility_list(request):
    facilities = (
        Facility.objects.visible_to(request.user).select_related("province").order_by("name", "pk")
    )
    filters = FacilityFilter(request.GET, queryset=facilities, request=request)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "facilities/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "may_create": may_create_facility(request.user)[0],
        },
    )


@login_required
def facility_detail(request, pk):
    # The proposals that supported it are the proposals app's section of the page (a tag).
    facility = get_visible_or_404(Facility.objects.select_related("province"), request.user, pk=pk)
    return render(
        request,
        "facilities/detail.html",
        {
            "facility": facility,
            "history": timeline(facility.history),
            "may_edit": may_edit_facility(request.user, facility.province_id)[0],
        },
    )


@login_required
def facility_create(request):
    allowed(may_create_facility(request.user))
    form = FacilityForm(request.POST or None, user=request.user)
    if request.method == "POST":
        facility = _save(request, form, None)
        if facility is not None:
            messages.success(request, _("Đã thêm cơ sở %(name)s.") % {"name": facility.name})
            return redirect(facility)
    return render(request, "facilities/form.html", {"form": form, "facility": None})


@login_required
def facility_edit(request, pk):
    facility = get_visible_or_404(Facility.objects.all(), request.user, pk=pk)
    allowed(may_edit_facility(request.user, facility.province_id))
    form = FacilityForm(request.POST or None, instance=facility, user=request.user)
    stale = None
    if request.method == "POST":
        try:
            saved = _save(request, form, facility)
        except StaleVersion as error:
            stale, saved = error, None
        if saved is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(saved)
    return render(
        request, "facilities/form.html", {"form": form, "facility": facility, "stale": stale}
    )


def _save(request, form, facility):
    """Save through the one write path; its refusals by field land on the page's form."""
    try:
        return save_facility(
            request.user,
            request.POST.dict(),
            instance=facility,
            expected_version=request.POST.get("version"),
        )
    except ValidationError as error:
        show_errors(form, error)
        return None


@login_required
def facility_search(request):
    """A JSON list of up to 20 visible facilities matching `q` (and `province`), for pickers.

    `province` also matches the provinces it succeeded in 2025, so a Phú Thọ proposal finds
    facilities still recorded under Hòa Bình or Vĩnh Phúc.
    """
    facilities = Facility.objects.visible_to(request.user).search(request.GET.get("q", ""))
    slug = request.GET.get("province")
    if slug:
        province = Province.objects.filter(slug=slug).first()
        lineage = province.lineage_slugs() if province else {slug}
        facilities = facilities.filter(province__in=lineage)
    results = [
        {
            "id": f.pk,
            "name": f.name,
            "tax_code": f.tax_code,
            "legal_form": f.legal_form,
            "legal_form_label": f.get_legal_form_display(),
            "province": f.province_id,
            "province_name": f.province.name,
            "url": f.get_absolute_url(),
        }
        for f in facilities.select_related("province")[:SEARCH_LIMIT]
    ]
    return JsonResponse(results, safe=False)
