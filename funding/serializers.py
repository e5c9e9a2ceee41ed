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
    ACTIVITY_MESSAGES,
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


INDICATOR_MESSAGES = {
    "does_not_exist": _(
        "Không có chỉ tiêu đầu ra “{pk_value}”: dùng mã trong /api/v1/indicators/, "
        "ví dụ machinery_facilities."
    ),
    "incorrect_type": _("Chỉ tiêu đầu ra là một mã (chuỗi), ví dụ machinery_facilities."),
}


class PlanTargetSerializer(serializers.ModelSerializer):
    """A counted target: at least one of content, activity, indicator (funding.writing checks
    that, and that the activity belongs to the content)."""

    content = serializers.PrimaryKeyRelatedField(
        queryset=ActivityContent.objects.all(),
        required=False,
        allow_null=True,
        error_messages=CONTENT_MESSAGES,
        help_text="Nội dung 1–9: đếm số đề án của nội dung / counts the content's proposals.",
    )
    # Keys are the primary keys of the catalogues (SPEC §3.1, §3.2).
    activity = serializers.PrimaryKeyRelatedField(
        queryset=ActivityType.objects.all(),
        required=False,
        allow_null=True,
        error_messages=ACTIVITY_MESSAGES,
        help_text="Mã loại hoạt động: đếm số đề án của loại đó / activity type key: counts its "
        "proposals.",
    )
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=OutputIndicator.objects.all(),
        required=False,
        allow_null=True,
        error_messages=INDICATOR_MESSAGES,
        help_text="Mã chỉ tiêu đầu ra: cộng số thực hiện khi nghiệm thu / output indicator key: "
        "adds up the actuals recorded at acceptance.",
    )
    description = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Mặc định: tên chỉ tiêu, loại hoạt động hoặc nội dung / defaults to the name "
        "of what the target measures.",
    )
    unit = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="Mặc định: đơn vị của chỉ tiêu đầu ra, hoặc “đề án” / defaults to the "
        "indicator's unit, else “đề án” (proposals).",
    )

    class Meta:
        model = PlanTarget
        fields = ["content", "activity", "indicator", "count", "description", "unit"]


class PlanSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(
        slug_field="slug", queryset=Province.objects.all(), error_messages=PROVINCE_MESSAGES
    )
    fund = serializers.SlugRelatedField(
        slug_field="key", queryset=Fund.objects.all(), error_messages=FUND_MESSAGES
    )
    target_support_vnd = VndField(help_text="Kinh phí mục tiêu, đồng / target support, VND.")
    targets = PlanTargetSerializer(many=True, required=False)
    proposals = serializers.IntegerField(
        source="target_proposals",
        min_value=0,
        max_value=1_000_000,
        required=False,
        allow_null=True,
        help_text="Số đề án mục tiêu / target number of proposals (null: none).",
    )
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
            "proposals",
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
