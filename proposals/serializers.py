"""JSON faces of proposals, their events and transitions (SPEC §9).

Serializers only parse and present; the rules live in `editing.save_proposal` (province of its
year, beneficiary sums, editable state, versions) and `lifecycle.perform` (who may do what).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from facilities.models import Facility
from funding.models import ActivityContent, ActivityType, Fund, OutputIndicator
from khuyencong.api import (
    ACTIVITY_MESSAGES,
    CONTENT_MESSAGES,
    FUND_MESSAGES,
    PROVINCE_MESSAGES,
    UNIT_MESSAGES,
    PersonField,
    VndField,
)
from khuyencong.models import Province, Unit
from proposals import editing, lifecycle, permissions
from proposals.models import (
    EDITABLE_FIELDS,
    Attachment,
    Beneficiary,
    OutcomeIndicator,
    Payment,
    ProgressReport,
    Proposal,
    ProposalEvent,
)


class VisibleFacilityField(serializers.PrimaryKeyRelatedField):
    """A facility id the caller may see; any other id is 'not found', like a missing one."""

    def get_queryset(self):
        return Facility.objects.visible_to(self.context["request"].user)


class BeneficiarySerializer(serializers.ModelSerializer):
    facility = VisibleFacilityField(help_text="Mã cơ sở (id) / facility id.")
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    support_vnd = VndField(required=False, default=0)
    counterpart_vnd = VndField(required=False, default=0)

    class Meta:
        model = Beneficiary
        fields = ["facility", "facility_name", "support_vnd", "counterpart_vnd"]


INDICATOR_MESSAGES = {
    "does_not_exist": _(
        "Không có chỉ tiêu “{pk_value}”: dùng mã trong /api/v1/indicators/, ví dụ trainees."
    ),
    "incorrect_type": _("Chỉ tiêu là một mã (chuỗi), ví dụ trainees."),
}


def catalogue_indicator_field(**kwargs):
    # The key is the primary key: a list shows it without loading each indicator.
    return serializers.PrimaryKeyRelatedField(
        queryset=OutputIndicator.objects.all(),
        allow_null=True,
        error_messages=INDICATOR_MESSAGES,
        **kwargs,
    )


class IndicatorSerializer(serializers.ModelSerializer):
    """A planned output: a catalogue `indicator` key (its name and unit are the catalogue's),
    or null with the row's own `name` and `unit` ("other": shown, never summed)."""

    indicator = catalogue_indicator_field(
        required=False,
        help_text="Mã chỉ tiêu (SPEC §3.2, /api/v1/indicators/), null = chỉ tiêu khác / "
        "catalogue key; null for an 'other' row with its own name and unit.",
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=40)
    actual = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Ghi khi nghiệm thu (accept) / recorded by the accept transition.",
    )

    class Meta:
        model = OutcomeIndicator
        fields = ["indicator", "name", "unit", "planned", "actual"]

    def to_representation(self, row):
        data = super().to_representation(row)
        data["name"], data["unit"] = row.label, row.unit_label
        return data


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal; `version` must come back unchanged with every PUT or PATCH."""

    province = serializers.SlugRelatedField(
        slug_field="slug", queryset=Province.objects.all(), error_messages=PROVINCE_MESSAGES
    )
    fund = serializers.SlugRelatedField(
        slug_field="key", queryset=Fund.objects.all(), error_messages=FUND_MESSAGES
    )
    content = serializers.PrimaryKeyRelatedField(
        queryset=ActivityContent.objects.all(), error_messages=CONTENT_MESSAGES
    )
    # The key is the primary key: the list shows it without loading each activity type.
    activity = serializers.PrimaryKeyRelatedField(
        queryset=ActivityType.objects.all(),
        required=False,
        allow_null=True,
        error_messages=ACTIVITY_MESSAGES,
        help_text="Loại hoạt động (mã, SPEC §3.1), phải thuộc nội dung của đề án / "
        "activity type key; must belong to the proposal's content.",
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        error_messages=UNIT_MESSAGES,
        help_text="Đơn vị chủ trì (id trong /api/v1/units/); bỏ trống: đơn vị của bạn / "
        "implementing unit id; omitted: the caller's own unit (a centre's provincial centre).",
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    partners = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        many=True,
        required=False,
        error_messages=UNIT_MESSAGES,
        help_text="Đơn vị phối hợp (id); gửi danh sách là thay toàn bộ / partner unit ids.",
    )
    support_vnd = VndField(required=False, help_text="Kinh phí khuyến công hỗ trợ, đồng.")
    counterpart_vnd = VndField(required=False, help_text="Vốn đối ứng, đồng.")
    other_vnd = VndField(required=False, help_text="Nguồn khác, đồng.")
    total_cost_vnd = serializers.IntegerField(
        read_only=True, help_text="Tổng = hỗ trợ + đối ứng + khác / support + counterpart + other."
    )
    beneficiaries = BeneficiarySerializer(
        many=True,
        required=False,
        help_text="Cơ sở thụ hưởng; gửi danh sách là thay toàn bộ, bỏ trống là giữ nguyên. "
        "A list replaces all rows; leaving it out keeps them.",
    )
    indicators = IndicatorSerializer(many=True, required=False)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Bắt buộc khi sửa: phiên bản đã đọc; cũ thì trả 409. "
        "Required on PUT/PATCH: the version you read; a stale one answers 409.",
    )
    actions = serializers.SerializerMethodField(
        help_text="Thao tác bạn được làm ngay bây giờ / actions the caller may take now."
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "unit",
            "unit_name",
            "partners",
            "activity",
            "total_cost_vnd",
            "beneficiaries",
            "indicators",
            "state",
            "version",
            "actions",
            "decision_number",
            "decision_date",
            "approved_support_vnd",
            "final_support_vnd",
            "final_counterpart_vnd",
            "final_other_vnd",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "state",
            "decision_number",
            "decision_date",
            "approved_support_vnd",
            "final_support_vnd",
            "final_counterpart_vnd",
            "final_other_vnd",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=lifecycle.ACTIONS))
    )
    def get_actions(self, proposal) -> list[str]:
        return lifecycle.allowed_action_keys(self.context["request"].user, proposal)

    def validate_province(self, province):
        slugs = permissions.creatable_province_slugs(self.context["request"].user)
        if slugs is not None and province.slug not in slugs:
            raise serializers.ValidationError(_("Bạn không được lập đề án cho tỉnh này."))
        return province

    def validate(self, attrs):
        if self.instance is not None:
            if "version" not in attrs:
                raise serializers.ValidationError(
                    {"version": [_("Hãy gửi kèm phiên bản (version) của đề án mà bạn đã đọc.")]}
                )
            if "code" in attrs and attrs["code"] != self.instance.code:
                raise serializers.ValidationError({"code": [_("Mã đề án không được đổi.")]})
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        beneficiaries = self._beneficiaries(validated_data.pop("beneficiaries", None))
        indicators = self._indicators(validated_data.pop("indicators", None))
        partners = validated_data.pop("partners", None)
        proposal = Proposal(**validated_data)
        user = self.context["request"].user
        return editing.save_proposal(proposal, user, beneficiaries, indicators, partners=partners)

    def update(self, instance, validated_data):
        expected_version = validated_data.pop("version")
        beneficiaries = self._beneficiaries(validated_data.pop("beneficiaries", None))
        indicators = self._indicators(validated_data.pop("indicators", None))
        partners = validated_data.pop("partners", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        user = self.context["request"].user
        return editing.save_proposal(
            instance,
            user,
            beneficiaries,
            indicators,
            expected_version=expected_version,
            partners=partners,
        )

    @staticmethod
    def _beneficiaries(rows):
        if rows is None:
            return None
        return [Beneficiary(**row) for row in rows]

    @staticmethod
    def _indicators(rows):
        if rows is None:
            return None
        return [OutcomeIndicator(**row) for row in rows]


class EventSerializer(serializers.ModelSerializer):
    """One step of a proposal's life: who, when, from, to, comment and the amounts decided."""

    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    actor_name = PersonField(source="actor")

    class Meta:
        model = ProposalEvent
        fields = [
            "id",
            "action",
            "from_state",
            "to_state",
            "actor",
            "actor_name",
            "at",
            "comment",
            "support_vnd",
            "counterpart_vnd",
            "other_vnd",
            "decision_number",
            "decision_date",
        ]


class AcceptedIndicatorSerializer(serializers.Serializer):
    indicator = catalogue_indicator_field(
        help_text="Mã chỉ tiêu; chưa có trong kế hoạch thì được thêm / catalogue key; one not "
        "planned is added (planned null). null + `name` for the proposal's 'other' row."
    )
    name = serializers.CharField(required=False, allow_blank=True)
    actual = serializers.IntegerField(min_value=0, help_text="Số thực hiện / actual value.")


class AcceptedBeneficiarySerializer(serializers.Serializer):
    facility = serializers.IntegerField(help_text="Mã cơ sở thụ hưởng (id) / facility id.")
    support_vnd = VndField(required=False, default=0)
    counterpart_vnd = VndField(required=False, default=0)


class TransitionSerializer(serializers.Serializer):
    """A transition request. Which fields an action requires is the lifecycle table's business:
    a comment to return, reject, withdraw or cancel; the decision to approve; actuals to accept.
    """

    action = serializers.ChoiceField(choices=lifecycle.ACTIONS)
    comment = serializers.CharField(required=False, allow_blank=True)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    decision_date = serializers.DateField(required=False, help_text="ISO 8601: 2026-03-15.")
    approved_support_vnd = VndField(required=False)
    support_vnd = VndField(required=False, help_text="Thực tế khi nghiệm thu / actual (accept).")
    counterpart_vnd = VndField(required=False, help_text="Thực tế / actual (accept).")
    other_vnd = VndField(required=False, help_text="Thực tế / actual (accept).")
    accepted_on = serializers.DateField(
        required=False, help_text="Ngày nghiệm thu (accept), ISO 8601 / acceptance date."
    )
    council = serializers.CharField(
        required=False, allow_blank=True, help_text="Hội đồng nghiệm thu / acceptance council."
    )
    indicators = AcceptedIndicatorSerializer(
        many=True,
        required=False,
        help_text="Chỉ tiêu thực hiện (accept) / actual outputs: [{indicator, actual}].",
    )
    beneficiaries = AcceptedBeneficiarySerializer(
        many=True,
        required=False,
        help_text="Số thực tế từng cơ sở (accept), tổng bằng của đề án / per-beneficiary "
        "actuals, adding up to the proposal's.",
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Nếu gửi: phiên bản đã đọc; cũ thì trả 409 / if given, a stale one answers 409.",
    )


class ChangeSerializer(serializers.Serializer):
    """A field someone changed after you read the proposal (shown with a 409)."""

    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    who = serializers.CharField()
    when = serializers.DateTimeField()


class StaleEditSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    changes = ChangeSerializer(many=True)


class ProgressSerializer(serializers.ModelSerializer):
    """A monthly progress report; `month` is any day of the month (stored as its first day)."""

    created_by = PersonField()
    commented_by = PersonField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "month",
            "percent_complete",
            "narrative",
            "created_by",
            "created_at",
            "department_comment",
            "commented_by",
            "commented_at",
        ]
        read_only_fields = ["created_at", "department_comment", "commented_at"]


class ProgressCommentSerializer(serializers.Serializer):
    department_comment = serializers.CharField()


class PaymentSerializer(serializers.ModelSerializer):
    """An advance (before acceptance, at most 70 % of the approved support) or final payment."""

    amount_vnd = VndField()
    requested_by = PersonField()
    decided_by = PersonField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "kind",
            "amount_vnd",
            "note",
            "state",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = ["state", "requested_at", "decided_at", "reason"]


class PaymentDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true: duyệt / approve; false: từ chối / refuse")
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Bắt buộc khi từ chối / required to refuse."
    )


class AttachmentSerializer(serializers.ModelSerializer):
    """A document of the proposal; `url` downloads it through the access-checked page."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "description",
            "uploaded_at",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment) -> str:
        return reverse("proposals:attachment", args=[attachment.proposal_id, attachment.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)
