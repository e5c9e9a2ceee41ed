"""The report pages: the dashboard and its two downloads, all faces of reports.summary."""

import tempfile
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from khuyencong import access
from khuyencong.access import visible_province_slugs
from reports.excel import CONTENT_TYPE as XLSX_CONTENT_TYPE
from reports.excel import write_summary_workbook
from reports.forms import SummaryFilterForm
from reports.pdf import render_summary_pdf
from reports.summary import summarise


def _bind(request, *, lazy=False):
    """The filter form and, when it is valid, the summary within the user's scope (or 404).

    `lazy`: the summary is read when the page is laid out, so a cached page skips even the
    cached summary (a national one takes ~5 ms to unpickle). A province out of scope still
    raises 404 there: a page is only cached once it was laid out for the same viewer and query.
    """
    scope = visible_province_slugs(request.user)
    form = SummaryFilterForm(request.GET, scope=scope)
    if not form.is_valid():
        return form, None

    def summary():
        return summarise(form.filters(), scope=scope)

    return form, SimpleLazyObject(summary) if lazy else summary()


def _render_dashboard(request, form, summary):
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "summary": summary,
            "query": SimpleLazyObject(lambda: urlencode(summary.filters.query_items()))
            if summary is not None
            else "",
            "viewer": access.viewer_key(request.user),  # the page is cached per scope and query
        },
        status=200 if summary is not None else 400,
    )


def _who(user) -> str:
    """Vietnamese order, family name first: 'Vũ Thị Mai' (get_full_name() gives 'Mai Vũ Thị')."""
    return " ".join(filter(None, [user.last_name, user.first_name])) or user.get_username()


@login_required
def dashboard(request):
    form, summary = _bind(request, lazy=True)
    return _render_dashboard(request, form, summary)


@login_required
def summary_pdf(request):
    form, summary = _bind(request)
    if summary is None:
        return _render_dashboard(request, form, summary)
    pdf = render_summary_pdf(summary, generated_by=_who(request.user), generated_at=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{summary.file_stem}.pdf"'
    return response


@login_required
def summary_xlsx(request):
    form, summary = _bind(request)
    if summary is None:
        return _render_dashboard(request, form, summary)
    # Spill to disk past 16 MB: a national ten-year list is large.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    write_summary_workbook(
        summary, out, generated_by=_who(request.user), generated_at=timezone.now()
    )
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{summary.file_stem}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
