"""The report pages: the dashboard and its two downloads, all faces of reports.summary."""

import tempfile
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from khuyencong import access, datacache
from khuyencong.people import display_name
from reports.excel import CONTENT_TYPE as XLSX_CONTENT_TYPE
from reports.excel import write_summary_workbook
from reports.forms import SummaryFilterForm
from reports.pdf import render_summary_pdf
from reports.permissions import summary_scope
from reports.summary import summarise


def _bind(request):
    """The filter form and, when it is valid, the summary within the user's scope (or 404)."""
    scope = summary_scope(request.user)
    form = SummaryFilterForm(request.GET, scope=scope)
    if not form.is_valid():
        return form, None
    return form, summarise(form.filters(), scope=scope)


def _report_html(request, form, summary) -> str:
    """The dashboard's content: the filters and, when they are valid, the whole report."""
    query = urlencode(summary.filters.query_items()) if summary else ""
    context = {"form": form, "summary": summary, "query": query}
    return render_to_string("reports/_dashboard.html", context, request)


def _page(request, report: str, status: int):
    return render(request, "reports/dashboard.html", {"report": report}, status=status)


@login_required
def dashboard(request):
    def report():
        form, summary = _bind(request)
        return _report_html(request, form, summary), 200 if summary else 400

    # The same for everyone with the same roles and provinces: laid out once per version of the
    # data (a national ten-year report takes ~0,4 s). A province out of scope raises 404 in
    # report(), and what raises is never cached.
    viewer = (access.viewer_key(request.user), request.get_full_path())
    return _page(request, *datacache.cached("dashboard", viewer, report))


@login_required
def summary_pdf(request):
    form, summary = _bind(request)
    if summary is None:
        return _page(request, _report_html(request, form, None), 400)
    pdf = render_summary_pdf(
        summary, generated_by=display_name(request.user), generated_at=timezone.now()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{summary.file_stem}.pdf"'
    return response


@login_required
def summary_xlsx(request):
    form, summary = _bind(request)
    if summary is None:
        return _page(request, _report_html(request, form, None), 400)
    # Spill to disk past 16 MB: a national ten-year list is large.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    write_summary_workbook(
        summary, out, generated_by=display_name(request.user), generated_at=timezone.now()
    )
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{summary.file_stem}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
