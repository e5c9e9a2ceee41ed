"""JSON faces of provinces and facilities (SPEC §9). Facility rules live in facilities/forms.py."""

from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from rest_framework import serializers

from facilities.forms import FacilityForm
from facilities.models import Facility
from khuyencong.api import PROVINCE_MESSAGES, form_errors
from khuyencong.models import Province


class ProvinceSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        read_only=True, help_text="Mã hiện hành / the statistics code in force today."
    )
    successor = serializers.CharField(
        source="successor_id",
        read_only=True,
        allow_null=True,
        help_text="Tỉnh kế thừa từ 1/7/2025 / the province that absorbed this one.",
    )
    predecessors = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Các tỉnh sáp nhập vào tỉnh này / provinces absorbed by this one.",
    )

    class Meta:
        model = Province
        fields = [
            "slug",
            "name",
            "kind",
            "code",
            "code_until_2025",
            "code_from_2025",
            "valid_to",
            "successor",
            "predecessors",
        ]


class FacilitySerializer(serializers.ModelSerializer):
    """A facility; input is checked by the same FacilityForm the pages use."""

    province = serializers.SlugRelatedField(
        slug_field="slug", queryset=Province.objects.all(), error_messages=PROVINCE_MESSAGES
    )

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "legal_form",
            "tax_code",
            "province",
            "address",
            "sector",
            "employees",
            "area_class",
            "representative",
            "phone",
            "email",
            "created_at",
        ]
        # Uniqueness is the form's business: it normalises the code first and links the twin.
        extra_kwargs = {"tax_code": {"validators": []}}

    def validate(self, attrs):
        user = self.context["request"].user
        fields = FacilityForm._meta.fields
        data = model_to_dict(self.instance, fields=fields) if self.instance else {}
        for name, value in attrs.items():
            data[name] = value.pk if isinstance(value, Province) else value
        data = {name: "" if value is None else value for name, value in data.items()}
        self._form = FacilityForm(data=data, instance=self.instance, user=user)
        if not self._form.is_valid():
            errors = form_errors(self._form)
            province = attrs.get("province")
            offered = self._form.fields["province"].queryset
            if "province" in errors and province and not offered.filter(pk=province.pk).exists():
                errors["province"] = [
                    _("Bạn không được nhập cơ sở cho %(province)s.") % {"province": province}
                ]
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data):
        return self._form.save()

    def update(self, instance, validated_data):
        return self._form.save()
