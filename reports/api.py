"""GET /api/v1/reports/summary/: the JSON face of reports.summary (SPEC §7)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.forms import SummaryFilterForm
from reports.permissions import summary_scope
from reports.summary import summarise

_PARAMETERS = [
    OpenApiParameter("year_from", int, description=_("Năm đầu (ví dụ 2016).")),
    OpenApiParameter("year_to", int, description=_("Năm cuối (ví dụ 2020).")),
    OpenApiParameter(
        "province",
        str,
        many=True,
        description=_("Mã định danh tỉnh (slug), có thể lặp lại: province=bac-giang."),
    ),
    OpenApiParameter(
        "rollup", int, enum=[0, 1], description=_("1: gộp tỉnh cũ vào tỉnh hiện nay.")
    ),
    OpenApiParameter("fund", str, enum=["national", "provincial", "district"]),
    OpenApiParameter("content", int, description=_("Nội dung hoạt động, 1–9.")),
    OpenApiParameter(
        "activity",
        str,
        description=_("Loại hoạt động (mã, ví dụ machinery), trong nội dung nếu có."),
    ),
]


class SummaryView(APIView):
    """The period summary within the caller's scope; 404 for a province out of scope; 400 for
    a filter it does not know (a typo must not answer for the whole country)."""

    @extend_schema(
        operation_id="reports_summary",
        parameters=_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        scope = summary_scope(request.user)
        # `format` is the API's own (DRF's format override), not a report filter.
        form = SummaryFilterForm(request.query_params, scope=scope, ignore=("format",))
        if not form.is_valid():
            return Response(form.errors_as_api(), status=400)
        return Response(summarise(form.filters(), scope=scope).as_json())
