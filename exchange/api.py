"""/api/v1/imports/: the import pages' flow for programs (upload, poll, read outcomes, confirm)."""

import tempfile

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from exchange import jobs
from exchange.export import CONTENT_TYPE
from exchange.forms import check_workbook_upload
from exchange.models import ImportJob, ImportRow, Kind, Outcome, Status
from exchange.permissions import importable_kinds, template_province_slugs
from exchange.serializers import (
    JOB_ERRORS_SHOWN,
    ImportJobSerializer,
    ImportRowSerializer,
    ImportUploadSerializer,
)
from exchange.template import build_template
from khuyencong.api import ApiViewMixin, Conflict
from khuyencong.parsers import JSONParser

ERRORS = {
    400: OpenApiResponse(description="Dữ liệu không hợp lệ / invalid input"),
    403: OpenApiResponse(description="Vai trò không được phép / your role may not"),
    404: OpenApiResponse(description="Không thấy (lượt nhập của người khác) / not yours"),
}


class ImportJobFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Kind.choices, label="Loại dữ liệu / kind")
    status = filters.ChoiceFilter(choices=Status.choices, label="Trạng thái / status")

    class Meta:
        model = ImportJob
        fields = ["kind", "status"]


class ImportRowFilter(filters.FilterSet):
    outcome = filters.ChoiceFilter(choices=Outcome.choices, label="Kết quả / outcome")
    sheet = filters.CharFilter(label="Trang tính / sheet title")

    class Meta:
        model = ImportRow
        fields = ["outcome", "sheet"]


@extend_schema_view(
    list=extend_schema(
        summary="Lượt nhập của tôi / My imports",
        description="Các lượt nhập Excel bạn đã tải lên, mới nhất trước. "
        "The spreadsheet imports you uploaded, newest first.",
    ),
    retrieve=extend_schema(
        summary="Một lượt nhập / One import: status, progress, errors",
        description="Trạng thái: queued → checking → ready (hoặc invalid) → confirmed → writing "
        "→ done (hoặc invalid nếu dữ liệu đổi trong lúc chờ). Hỏi lại sau vài giây khi `status` "
        "còn là queued, checking, confirmed hay writing. Poll while the job is running.",
        responses={200: ImportJobSerializer, 404: ERRORS[404]},
    ),
)
class ImportViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """An import acts with its uploader's rights: only the uploader sees and confirms it."""

    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    lookup_value_regex = r"\d+"

    @property
    def filterset_class(self):
        return ImportRowFilter if self.action == "rows" else ImportJobFilter

    @property
    def ordering_fields(self):
        return ["row", "outcome"] if self.action == "rows" else ["created_at", "status"]

    def get_queryset(self):
        jobs_ = ImportJob.objects.visible_to(self.request.user).defer("source")
        if self.action == "rows":
            return ImportRow.objects.filter(job__in=jobs_).order_by("id")
        # The first error rows of every job in one query, however many jobs a page lists.
        first_errors = ImportRow.objects.filter(outcome=Outcome.ERROR).order_by("id")
        return jobs_.prefetch_related(
            Prefetch("rows", first_errors[:JOB_ERRORS_SHOWN], to_attr="first_errors")
        )

    @extend_schema(
        summary="Tải tệp lên để nhập / Upload a workbook",
        description="multipart/form-data với `kind` (facilities | proposals) và `file` (.xlsx "
        "theo mẫu). Trả về lượt nhập ở trạng thái queued; hệ thống kiểm tra từng dòng ở nền. "
        "Nothing is written until you confirm.",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportJobSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request, *args, **kwargs):
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind = serializer.validated_data["kind"]
        if kind not in importable_kinds(request.user):
            raise exceptions.PermissionDenied(_("Bạn không được nhập loại dữ liệu này."))
        upload = serializer.validated_data["file"]
        try:
            check_workbook_upload(upload)
        except ValidationError as error:
            raise exceptions.ValidationError({"file": error.messages}) from error
        job = jobs.submit(request.user, kind, upload)
        return Response(self.get_serializer(job).data, status=202)

    @extend_schema(
        summary="Xác nhận ghi / Confirm: write every row, or none",
        description="Chỉ khi `status` là ready (không dòng nào lỗi). Hệ thống kiểm tra lại và "
        "ghi tất cả trong một giao dịch; một dòng lỗi thì không ghi gì (status invalid). "
        "Only a ready job; all rows in one transaction.",
        request=None,
        responses={
            202: ImportJobSerializer,
            404: ERRORS[404],
            409: OpenApiResponse(description="Không ở trạng thái chờ xác nhận / not ready"),
        },
        filters=False,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        job = self.get_object()
        if not jobs.confirm(job):
            raise Conflict(
                _("Lượt nhập ở trạng thái “%(s)s”, không chờ xác nhận.")
                % {"s": job.get_status_display()}
            )
        return Response(self.get_serializer(job).data, status=202)

    @extend_schema(
        summary="Kết quả từng dòng / Each row's outcome",
        description="Mọi dòng của tệp theo thứ tự, lọc theo kết quả (new, update, unchanged, "
        "error) và trang tính. Every row of the file, paged.",
        responses={200: ImportRowSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], url_name="rows")
    def rows(self, request, pk=None):
        if not ImportJob.objects.visible_to(request.user).filter(pk=pk).exists():
            raise exceptions.NotFound()
        rows = self.filter_queryset(self.get_queryset().filter(job_id=pk))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ImportRowSerializer(page, many=True).data)

    @extend_schema(
        summary="Tải mẫu Excel / Download the template",
        description="Mẫu .xlsx có tiêu đề tiếng Việt, danh sách chọn và trang hướng dẫn. "
        "The .xlsx template with drop-down lists and a guide sheet.",
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                enum=Kind.values,
                required=True,
                description="facilities | proposals",
            )
        ],
        responses={
            (200, CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Tệp .xlsx"),
            400: ERRORS[400],
            403: ERRORS[403],
        },
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def template(self, request):
        kind = request.query_params.get("kind")
        if kind not in Kind.values:
            raise exceptions.ValidationError({"kind": [_("Chọn facilities hoặc proposals.")]})
        if kind not in importable_kinds(request.user):
            raise exceptions.PermissionDenied(_("Bạn không được nhập loại dữ liệu này."))
        out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
        build_template(kind, template_province_slugs(request.user, kind)).save(out)
        out.seek(0)
        return FileResponse(
            out, as_attachment=True, filename=f"mau-nhap-{kind}.xlsx", content_type=CONTENT_TYPE
        )
