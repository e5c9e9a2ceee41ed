"""JSON faces of imports: the upload, the job with its progress, and each row's outcome."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exchange.models import ImportJob, ImportRow, Kind, Outcome

# Error rows listed inside the job; all rows are paged at rows_url.
JOB_ERRORS_SHOWN = 200


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Kind.choices, help_text="Loại dữ liệu / what the file holds."
    )
    file = serializers.FileField(
        help_text="Tệp .xlsx theo mẫu / an .xlsx workbook in the template's format."
    )


class ImportCellErrorSerializer(serializers.Serializer):
    column = serializers.CharField(help_text="Tiêu đề cột, rỗng nếu lỗi của cả dòng.")
    message = serializers.CharField()


class ImportChangeSerializer(serializers.Serializer):
    column = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class ImportRowSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    errors = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = ImportRow
        fields = ["sheet", "row", "key", "label", "outcome", "errors", "changes"]

    @extend_schema_field(ImportCellErrorSerializer(many=True))
    def get_errors(self, row) -> list:
        return [{"column": column, "message": message} for column, message in row.errors]

    @extend_schema_field(ImportChangeSerializer(many=True))
    def get_changes(self, row) -> list:
        return [{"column": c, "old": old, "new": new} for c, old, new in row.changes]


class ImportCountsSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


class ImportJobSerializer(serializers.ModelSerializer):
    """An import: its status, progress and what each row does (errors here, all rows paged)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True, help_text="0–100.")
    counts = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField(
        help_text=f"Tối đa {JOB_ERRORS_SHOWN} dòng lỗi đầu tiên / the first error rows."
    )
    can_confirm = serializers.SerializerMethodField()
    rows_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "status_label",
            "file_name",
            "total_rows",
            "done_rows",
            "percent",
            "counts",
            "message",
            "errors",
            "can_confirm",
            "rows_url",
            "created_at",
            "checked_at",
            "confirmed_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ImportCountsSerializer)
    def get_counts(self, job) -> dict:
        return {
            "new": job.new_rows,
            "update": job.updated_rows,
            "unchanged": job.unchanged_rows,
            "error": job.error_rows,
        }

    @extend_schema_field(ImportRowSerializer(many=True))
    def get_errors(self, job) -> list:
        rows = getattr(job, "first_errors", None)
        if rows is None:  # a job just created or confirmed, not read through the list query
            rows = job.rows.filter(outcome=Outcome.ERROR).order_by("id")[:JOB_ERRORS_SHOWN]
        return ImportRowSerializer(rows, many=True).data

    def get_can_confirm(self, job) -> bool:
        return job.status == "ready" and not job.error_rows

    @extend_schema_field(OpenApiTypes.URI)
    def get_rows_url(self, job) -> str:
        url = reverse("import-rows", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
