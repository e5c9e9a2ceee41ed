"""Import pages (template, upload, preview with progress, confirm) and the downloads."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange import jobs
from exchange.export import CONTENT_TYPE, write_facilities, write_proposals
from exchange.forms import ImportForm
from exchange.models import ImportJob, Kind, Outcome, Status
from exchange.permissions import (
    importable_kinds,
    may_download_province,
    may_see_province,
    template_province_slugs,
)
from exchange.province import iter_document
from exchange.sheets import SHEETS
from exchange.template import build_template
from facilities.filters import FacilityFilter
from facilities.models import Facility
from khuyencong.forms import unknown_parameters
from khuyencong.models import Province
from khuyencong.people import display_name
from proposals.filters import ProposalFilter
from proposals.models import Proposal

ROWS_PER_PAGE = 100


def _downloadable_provinces(user):
    """Provinces whose exchange document the user may download."""
    return [
        p
        for p in Province.objects.current()
        if may_see_province(user, p.slug) and may_download_province(user, p.slug)
    ]


@login_required
def index(request):
    kinds = importable_kinds(request.user)
    return render(
        request,
        "exchange/index.html",
        {
            "kinds": [(key, label) for key, label in Kind.choices if key in kinds],
            "form": ImportForm(kinds=kinds) if kinds else None,
            "jobs": ImportJob.objects.visible_to(request.user).defer("source")[:20],
            "provinces": _downloadable_provinces(request.user),
        },
    )


@login_required
def template_download(request, kind):
    if kind not in Kind.values:
        raise Http404
    if kind not in importable_kinds(request.user):
        raise PermissionDenied(_("Bạn không được nhập loại dữ liệu này."))
    workbook = build_template(kind, template_province_slugs(request.user, kind))
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
    workbook.save(out)
    out.seek(0)
    names = {"facilities": "mau-nhap-co-so.xlsx", "proposals": "mau-nhap-de-an.xlsx"}
    return FileResponse(out, as_attachment=True, filename=names[kind], content_type=CONTENT_TYPE)


@login_required
@require_POST
def upload(request):
    kinds = importable_kinds(request.user)
    if not kinds:
        raise PermissionDenied(_("Chỉ Trung tâm Khuyến công và Sở Công Thương được nhập dữ liệu."))
    form = ImportForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return render(
            request,
            "exchange/index.html",
            {
                "kinds": [(key, label) for key, label in Kind.choices if key in kinds],
                "form": form,
                "jobs": ImportJob.objects.visible_to(request.user).defer("source")[:20],
                "provinces": _downloadable_provinces(request.user),
            },
            status=400,
        )
    job = jobs.submit(request.user, form.cleaned_data["kind"], form.cleaned_data["file"])
    return redirect(job)


def _job_for(request, pk) -> ImportJob:
    """The user's own import, or 404 (someone else's import is 'not found')."""
    return get_object_or_404(ImportJob.objects.visible_to(request.user).defer("source"), pk=pk)


@login_required
def job_detail(request, pk):
    job = _job_for(request, pk)
    outcome = request.GET.get("outcome")
    if outcome is None and job.error_rows:
        outcome = Outcome.ERROR
    rows = job.rows.order_by("id")
    if outcome in Outcome.values:
        rows = rows.filter(outcome=outcome)
    else:
        outcome = ""
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    tabs = [
        ("", _("Tất cả"), job.new_rows + job.updated_rows + job.unchanged_rows + job.error_rows),
        (Outcome.ERROR, Outcome.ERROR.label, job.error_rows),
        (Outcome.NEW, Outcome.NEW.label, job.new_rows),
        (Outcome.UPDATE, Outcome.UPDATE.label, job.updated_rows),
        (Outcome.UNCHANGED, Outcome.UNCHANGED.label, job.unchanged_rows),
    ]
    return render(
        request,
        "exchange/job.html",
        {
            "job": job,
            "sheets": _counts_by_sheet(job),
            "page": page,
            "outcome": outcome,
            "tabs": tabs,
            "can_confirm": job.status == Status.READY and not job.error_rows,
            "to_write": job.new_rows + job.updated_rows,
        },
    )


def _counts_by_sheet(job) -> list[dict]:
    """Outcome counts per sheet, in the sheets' order (proposals, then beneficiaries)."""
    found = {sheet.title: {"title": sheet.title} for sheet in SHEETS[job.kind]}
    for sheet in found.values():
        sheet.update({value: 0 for value in Outcome.values})
    counted = job.rows.values_list("sheet", "outcome").annotate(n=Count("id")).order_by()
    for sheet, outcome, n in counted:
        found.setdefault(sheet, {"title": sheet, **{v: 0 for v in Outcome.values}})[outcome] = n
    return list(found.values())


def job_state(job) -> dict:
    """What the polling page (and the API) needs to draw the progress bar."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "running": job.is_running,
        "total_rows": job.total_rows,
        "done_rows": job.done_rows,
        "percent": job.percent,
        "counts": {
            "new": job.new_rows,
            "update": job.updated_rows,
            "unchanged": job.unchanged_rows,
            "error": job.error_rows,
        },
        "message": job.message,
    }


@login_required
def job_status(request, pk):
    return JsonResponse(job_state(_job_for(request, pk)))


@login_required
@require_POST
def job_confirm(request, pk):
    job = _job_for(request, pk)
    if jobs.confirm(job):
        messages.success(request, _("Đã xác nhận. Hệ thống đang ghi dữ liệu."))
    else:
        messages.error(request, _("Lượt nhập này không còn chờ xác nhận."))
    return redirect(job)


def _xlsx_response(write, rows, user, stem):
    # Spill to disk past 16 MB: a national list is large.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    write(rows, out, creator=display_name(user))
    out.seek(0)
    filename = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)


def _filtered_or_refusal(request, filterset, list_url):
    """The filterset's rows, or a 400 page naming what is wrong with the filters.

    django-filter drops a filter it cannot read (`year=abc`) or does not know (`provnce=`):
    the export would then be the whole table, which is never what was asked for.
    """
    fields = filterset.form.fields
    errors = [
        f"{fields[name].label}: {message}" if name in fields else message
        for name, field_errors in filterset.errors.items()
        for message in field_errors
    ]
    unknown = unknown_parameters(request.GET, list(filterset.filters))
    if unknown:
        errors += unknown.messages
    if not errors:
        return filterset.qs, None
    context = {"errors": errors, "list_url": f"{list_url}?{request.GET.urlencode()}"}
    return None, render(request, "exchange/export_refused.html", context, status=400)


@login_required
def facility_export(request):
    """The facility list with the list page's filters, scoped like the page."""
    facilities = Facility.objects.visible_to(request.user)
    filters = FacilityFilter(request.GET, queryset=facilities, request=request)
    rows, refusal = _filtered_or_refusal(request, filters, reverse("facilities:list"))
    return refusal or _xlsx_response(write_facilities, rows, request.user, "co-so-cnnt")


@login_required
def proposal_export(request):
    """The proposal list with the list page's filters, scoped like the page."""
    visible = Proposal.objects.visible_to(request.user)
    filterset = ProposalFilter(request.GET, queryset=visible, request=request)
    rows, refusal = _filtered_or_refusal(request, filterset, reverse("proposals:list"))
    return refusal or _xlsx_response(write_proposals, rows, request.user, "de-an")


@login_required
def province_pick(request):
    """The province picker's GET form lands here and goes on to the document's address."""
    slug = request.GET.get("province", "")
    if not Province.objects.filter(slug=slug).exists():
        raise Http404
    return redirect("exchange:province", slug=slug)


@login_required
def province_export(request, slug):
    """A province's exchange document: its department, or a national administrator."""
    province = get_object_or_404(Province, slug=slug)
    if not may_see_province(request.user, slug):
        raise Http404
    if not may_download_province(request.user, slug):
        raise PermissionDenied(
            _("Chỉ Sở Công Thương của tỉnh hoặc quản trị hệ thống được tải dữ liệu trao đổi.")
        )
    response = StreamingHttpResponse(
        iter_document(province), content_type="application/json; charset=utf-8"
    )
    filename = f"khuyencong-{slug}-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
