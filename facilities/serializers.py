"""JSON faces of provinces, implementing units and facilities (SPEC §9); facility rules:
facilities/writing.py."""

from rest_framework import serializers

from facilities.models import Facility
from khuyencong.api import PROVINCE_MESSAGES
from khuyencong.models import Province, Unit


class UnitSerializer(serializers.ModelSerializer):
    province = serializers.CharField(
        source="province_id",
        read_only=True,
        allow_null=True,
        help_text="Tỉnh của đơn vị; null với trung tâm khu vực / home province; null for the "
        "ministry's regional centres.",
    )
    provinces_served = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Địa bàn của trung tâm khu vực / provinces a regional centre serves.",
    )

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "province", "provinces_served", "active"]


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
    """A facility: types are checked here, the rules by `facilities.writing.save_facility`."""

    province = serializers.SlugRelatedField(
        slug_field="slug", queryset=Province.objects.all(), error_messages=PROVINCE_MESSAGES
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Phiên bản đã đọc; nếu gửi mà cũ thì trả 409 kèm các trường đã đổi / "
        "the version you read: if given and stale, 409 naming the fields changed since.",
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
            "version",
        ]
        # Uniqueness is the write path's: it normalises the code first and links the twin.
        extra_kwargs = {"tax_code": {"validators": []}}

    def form_data(self) -> dict:
        """What the caller sent, as FacilityForm data (fields not sent are left out)."""
        data = {}
        for name, value in self.validated_data.items():
            if name == "version":
                continue
            if isinstance(value, Province):
                value = value.pk
            data[name] = "" if value is None else value
        return data
