"""JSON faces of registrations for staff. Serializers parse and present; workflow.py decides."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding.models import ActivityContent, Fund
from khuyencong import validators
from khuyencong.api import VndField
from registrations import workflow
from registrations.models import Action, Registration, RegistrationEvent, RegistrationFile


class RegistrationFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Tải về (cần đăng nhập) / download URL.")

    class Meta:
        model = RegistrationFile
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, item) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("registrations:file", args=[item.registration_id, item.pk])
        )


class RegistrationEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)

    class Meta:
        model = RegistrationEvent
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "actor",
            "at",
            "comment",
            "facility",
            "proposal",
        ]


class RegistrationSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requested_support_vnd = VndField(read_only=True, help_text="Kinh phí đề nghị hỗ trợ, đồng.")
    counterpart_vnd = VndField(read_only=True, help_text="Vốn đối ứng cơ sở cam kết, đồng.")
    files = RegistrationFileSerializer(many=True, read_only=True)
    events = RegistrationEventSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="Thao tác bạn được làm ngay bây giờ / actions the caller may take now."
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "code",
            "status",
            "name",
            "legal_form",
            "tax_code",
            "province",
            "address",
            "sector",
            "employees",
            "representative",
            "phone",
            "email",
            "content",
            "need",
            "description",
            "requested_support_vnd",
            "counterpart_vnd",
            "facility",
            "proposal",
            "decline_reason",
            "submitted_at",
            "updated_at",
            "files",
            "events",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Action.choices))
    )
    def get_actions(self, registration) -> list[str]:
        allowed, _reason = workflow.can_handle(self.context["request"].user, registration)
        if not allowed:
            return []
        actions = [Action.MATCH, Action.CONVERT, Action.DECLINE]
        if registration.status == "received":
            actions.insert(0, Action.REVIEW)
        if not registration.facility_id:
            actions.insert(-2, Action.CREATE_FACILITY)
        return [str(a) for a in actions]


class SuggestedFacilitySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="facility.pk")
    name = serializers.CharField(source="facility.name")
    tax_code = serializers.CharField(source="facility.tax_code", allow_null=True)
    province = serializers.CharField(source="facility.province_id")
    by_tax_code = serializers.BooleanField(help_text="Trùng mã số thuế / same tax code.")
    by_name = serializers.BooleanField(
        help_text="Trùng tên (bỏ qua dấu, hoa thường, loại hình) / same name, folded."
    )


@extend_schema_field(OpenApiTypes.INT)
class MatchableFacilityField(serializers.PrimaryKeyRelatedField):
    """A facility of the registration's province lineage that the caller may see."""

    def get_queryset(self):
        return workflow.matchable_facilities(
            self.context["registration"], self.context["request"].user
        )


class MatchSerializer(serializers.Serializer):
    facility = MatchableFacilityField(help_text="Mã cơ sở (id) / facility id.")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True,
        help_text="Bắt buộc; người đăng ký sẽ đọc / required, shown to the applicant.",
    )


class ConvertSerializer(serializers.Serializer):
    """Fields of the draft proposal; each one left out takes the registration's default."""

    facility = MatchableFacilityField(
        required=False,
        allow_null=True,
        help_text="Cơ sở thụ hưởng (id); null/bỏ trống: cơ sở đã gắn, nếu chưa có thì tạo mới từ "
        "hồ sơ / beneficiary id; null or left out: the matched one, else created from the "
        "registration.",
    )
    code = serializers.CharField(required=False, max_length=40)
    title = serializers.CharField(required=False, max_length=500)
    year = serializers.IntegerField(required=False, validators=[validators.validate_year])
    fund = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Fund.objects.all(),
        required=False,
        help_text="Mặc định provincial / default provincial.",
    )
    content = serializers.PrimaryKeyRelatedField(
        queryset=ActivityContent.objects.all(), required=False
    )
    implementing_unit = serializers.CharField(required=False, max_length=255)
    support_vnd = VndField(required=False, help_text="Mặc định: số đề nghị / default: requested.")
    counterpart_vnd = VndField(
        required=False, help_text="Mặc định: số cam kết / default: committed."
    )
