"""JSON faces of funds, activity contents, allocations and plans (SPEC §9).

Who may enter which money is `funding.permissions`; the rules and the save are
`funding.writing`, which the pages use too. Here: types, and the shape of a request.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers

from funding.models import (
    ActivityContent,
    ActivityType,
    Allocation,
    Fund,
    OutputIndicator,
    Plan,
    PlanTarget,
)
from funding.permissions import may_enter
from khuyencong.api import (
    CONTENT_MESSAGES,
    FUND_MESSAGES,
    PROVINCE_MESSAGES,
    VndField,
)
from khuyencong.errors import allowed
from khuyencong.models import Province


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fund
        fields = ["key", "name", "short_name"]


class ActivityContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityContent
        fields = ["number", "name", "short_name"]


class ActivityTypeSerializer(serializers.ModelSerializer):
    """`key` never changes; `name` is Vietnamese, `name_en` English (may be empty)."""

    class Meta:
        model = ActivityType
        fields = ["key", "name", "content", "name_en"]


class OutputIndicatorSerializer(serializers.ModelSerializer):
    """`content` is null for an indicator any content may plan (e.g. jobs created)."""

    class Meta:
        model = OutputIndicator
        fields = ["key", "name", "unit", "content", "name_en", "unit_en"]


VERSION_HELP = (
    "Phiên bản đã đọc; nếu gửi mà cũ thì trả 409 kèm các trường đã đổi / "
    "the version you read: if given and stale, 409 naming the fields changed since."
)


class AllocationSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(
        slug_field="slug", queryset=Province.objects.all(), error_messages=PROVINCE_MESSAGES
    )
    fund = serializers.SlugRelatedField(
        slug_field="key", queryset=Fund.objects.all(), error_messages=FUND_MESSAGES
    )
    amount_vnd = VndField(help_text="Kinh phí phân bổ, đồng / allocated amount in VND.")
    approved_vnd = serializers.IntegerField(
        read_only=True, help_text="Đã phê duyệt / committed by approvals, VND."
    )
    remaining_vnd = serializers.IntegerField(
        read_only=True, help_text="Còn lại / what approvals may still use, VND."
    )
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "province",
            "year",
            "fund",
            "amount_vnd",
            "decision_number",
            "note",
            "approved_vnd",
            "remaining_vnd",
            "version",
        ]
        validators = []  # the form reports a duplicate with the existing amount

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            errors = {
                name: [_("Không đổi được tỉnh, năm, nguồn của phân bổ; hãy nhập phân bổ mới.")]
                for name in ("province", "year", "fund")
                if name in attrs and attrs[name] != getattr(instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        else:
            # Money the role may not enter is a 403, before any rule of the allocation.
            fund, province = attrs.get("fund"), attrs.get("province")
            if fund and province:
                allowed(may_enter(self.context["request"].user, fund.pk, province.pk))
        return attrs

    def form_data(self) -> dict:
        """What the caller sent, as AllocationForm data (fields not sent are left out)."""
        data = {}
        for name, value in self.validated_data.items():
            if name != "version":
                data[name] = "" if value is None else getattr(value, "pk", value)
        return data


class PlanTargetSerializer(serializers.ModelSerializer):
    content = serializers.PrimaryKeyRelatedField(
        queryset=ActivityContent.objects.all(), error_messages=CONTENT_MESSAGES
    )
    description = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Mặc định: tên nội dung / defaults to the content's short name.",
    )

    class Meta:
        model = PlanTarget
        fields = ["content", "count", "description", "unit"]


class PlanSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(
        slug_field="slug", queryset=Province.objects.all(), error_messages=PROVINCE_MESSAGES
    )
    fund = serializers.SlugRelatedField(
        slug_field="key", queryset=Fund.objects.all(), error_messages=FUND_MESSAGES
    )
    target_support_vnd = VndField(help_text="Kinh phí mục tiêu, đồng / target support, VND.")
    targets = PlanTargetSerializer(many=True, required=False)
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)

    class Meta:
        model = Plan
        fields = [
            "id",
            "province",
            "fund",
            "year_from",
            "year_to",
            "target_support_vnd",
            "note",
            "targets",
            "version",
        ]
        validators = []  # full_clean below reports duplicates and keeps one message style

    def validate(self, attrs):
        if self.instance is None:
            fund, province = attrs.get("fund"), attrs.get("province")
            if fund and province:
                allowed(may_enter(self.context["request"].user, fund.pk, province.pk))
        return attrs
