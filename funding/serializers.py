"""JSON faces of funds, activity contents, allocations and plans (SPEC §9).

Who may enter which money is `funding.forms.AllocationRights`; an allocation is checked by the
same AllocationForm the pages use (province of its year, duplicates, not below approvals).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from funding.forms import AllocationForm, AllocationRights
from funding.models import ActivityContent, Allocation, Fund, Plan, PlanTarget
from khuyencong.api import (
    CONTENT_MESSAGES,
    FUND_MESSAGES,
    PROVINCE_MESSAGES,
    VndField,
    as_api_errors,
    form_errors,
)
from khuyencong.models import Province


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fund
        fields = ["key", "name", "short_name"]


class ActivityContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityContent
        fields = ["number", "name", "short_name"]


def _check_rights(user, fund, province):
    rights = AllocationRights(user)
    if not rights.may_enter(fund.pk, province.pk):
        raise PermissionDenied(rights.refusal(fund.pk))


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
        ]
        validators = []  # the form reports a duplicate with the existing amount

    def validate(self, attrs):
        user = self.context["request"].user
        instance = self.instance
        if instance is not None:
            errors = {
                name: [_("Không đổi được tỉnh, năm, nguồn của phân bổ; hãy nhập phân bổ mới.")]
                for name in ("province", "year", "fund")
                if name in attrs and attrs[name] != getattr(instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        province = attrs.get("province") or instance.province
        fund = attrs.get("fund") or instance.fund
        _check_rights(user, fund, province)
        data = {
            "year": attrs.get("year", instance and instance.year),
            "fund": fund.pk,
            "province": province.pk,
            "amount_vnd": attrs.get("amount_vnd", instance and instance.amount_vnd),
            "decision_number": attrs.get(
                "decision_number", instance.decision_number if instance else ""
            ),
            "note": attrs.get("note", instance.note if instance else ""),
        }
        data = {name: "" if value is None else value for name, value in data.items()}
        self._form = AllocationForm(data=data, instance=instance, user=user)
        if not self._form.is_valid():
            raise serializers.ValidationError(form_errors(self._form))
        return attrs

    def create(self, validated_data):
        return self._form.save()

    def update(self, instance, validated_data):
        return self._form.save()


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
        ]
        validators = []  # full_clean below reports duplicates and keeps one message style

    def validate(self, attrs):
        user = self.context["request"].user
        instance = self.instance
        province = attrs.get("province") or instance.province
        fund = attrs.get("fund") or instance.fund
        _check_rights(user, fund, province)
        year_from = attrs.get("year_from", instance and instance.year_from)
        year_to = attrs.get("year_to", instance and instance.year_to)
        if year_from and year_to and year_to < year_from:
            raise serializers.ValidationError({"year_to": [_("Năm cuối phải sau năm đầu.")]})
        if year_from and not province.existed_in(year_from):
            raise serializers.ValidationError(
                {
                    "province": [
                        _(
                            "%(province)s không còn tồn tại vào năm %(year)s; "
                            "hãy chọn %(successor)s."
                        )
                        % {"province": province, "year": year_from, "successor": province.today()}
                    ]
                }
            )
        plan = instance or Plan()
        for name, value in attrs.items():
            if name != "targets":
                setattr(plan, name, value)
        try:
            plan.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_api_errors(error)) from error
        return attrs

    @transaction.atomic
    @transaction.atomic
    def create(self, validated_data):
        targets = validated_data.pop("targets", [])
        plan = Plan.objects.create(**validated_data)
        self._save_targets(plan, targets)
        return plan

    @transaction.atomic
    def update(self, instance, validated_data):
        targets = validated_data.pop("targets", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save()
        if targets is not None:
            instance.targets.all().delete()
            self._save_targets(instance, targets)
        return instance

    def _save_targets(self, plan, targets):
        PlanTarget.objects.bulk_create(
            PlanTarget(
                plan=plan,
                content=row["content"],
                count=row["count"],
                description=row.get("description") or row["content"].short_name,
                unit=row.get("unit", ""),
            )
            for row in targets
        )
