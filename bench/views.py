"""The baseline the portal's lists are measured against: one raw query, a minimal template.

It shows the same rows as the proposal list page (and, as JSON, the same proposal fields as the
API list, without the nested beneficiaries and indicators) in the same order, with no login,
no filters, no pagination object and no totals: what serving the rows costs at the least.
"""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from funding.models import Fund
from khuyencong.models import Province
from proposals.models import Proposal

COLUMNS = [
    "id",
    "code",
    "title",
    "year",
    "province_id",
    "province_name",
    "fund_id",
    "fund_name",
    "content_id",
    "kind",
    "implementing_unit",
    "objectives",
    "scale",
    "schedule",
    "start_date",
    "end_date",
    "support_vnd",
    "counterpart_vnd",
    "other_vnd",
    "state",
    "version",
    "decision_number",
    "decision_date",
    "approved_support_vnd",
    "final_support_vnd",
    "final_counterpart_vnd",
    "final_other_vnd",
    "created_at",
    "updated_at",
]


def _sql() -> str:
    q = connection.ops.quote_name
    p, pr, f = (q(m._meta.db_table) for m in (Proposal, Province, Fund))
    own = [c for c in COLUMNS if c not in ("province_name", "fund_name")]
    select = ", ".join(f"p.{q(c)}" for c in own)
    return (
        f"SELECT {select}, pr.name AS province_name, f.short_name AS fund_name"
        f" FROM {p} p JOIN {pr} pr ON pr.slug = p.province_id JOIN {f} f ON f.key = p.fund_id"
        " ORDER BY p.year DESC, p.code LIMIT %s OFFSET %s"
    )


def bare_list(request):
    per_page = min(int(request.GET.get("per_page", 25)), 500)
    page = max(int(request.GET.get("page", 1)), 1)
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [per_page, (page - 1) * per_page])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if request.GET.get("format") == "json":
        for row in rows:
            row["total_cost_vnd"] = row["support_vnd"] + row["counterpart_vnd"] + row["other_vnd"]
        return JsonResponse({"results": rows})
    return render(request, "bench/bare_list.html", {"rows": rows})
