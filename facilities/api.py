"""/api/v1/provinces/, /api/v1/units/ and /api/v1/facilities/: thin faces over the models,
forms and scoping."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from facilities.filters import FacilityFilter
from facilities.models import Facility
from facilities.permissions import may_create_facility, may_edit_facility
from facilities.serializers import FacilitySerializer, ProvinceSerializer, UnitSerializer
from facilities.writing import save_facility
from khuyencong.access import get_visible_or_404
from khuyencong.api import ApiViewMixin, as_api_errors
from khuyencong.errors import allowed
from khuyencong.models import Province, Unit


class ProvinceFilter(filters.FilterSet):
    current = filters.BooleanFilter(
        field_name="valid_to",
        lookup_expr="isnull",
        label="Chỉ 34 tỉnh hiện nay (true) hoặc chỉ tỉnh đã sáp nhập (false) / today's only",
    )

    class Meta:
        model = Province
        fields = ["current"]


@extend_schema_view(
    list=extend_schema(
        summary="Tỉnh, thành phố / Provinces",
        description="Cả 63 tỉnh trước và sau sáp nhập 2025, với tỉnh kế thừa. "
        "All 63 provinces, absorbed ones with their successor.",
    ),
    retrieve=extend_schema(summary="Một tỉnh / One province, by slug"),
)
class ProvinceViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Reference data: every user reads every province."""

    serializer_class = ProvinceSerializer
    queryset = Province.objects.prefetch_related("predecessors")
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9-]+"
    filterset_class = ProvinceFilter
    ordering_fields = ["name", "slug", "valid_to"]


class UnitFilter(filters.FilterSet):
    province = filters.ModelChoiceFilter(
        queryset=Province.objects.all(),
        to_field_name="slug",
        method="working_in",
        label="Đơn vị được thực hiện đề án tại tỉnh này / units that may implement there",
    )

    class Meta:
        model = Unit
        fields = ["province", "kind", "active"]

    def working_in(self, queryset, name, province):
        return queryset.working_in(province) if province else queryset


@extend_schema_view(
    list=extend_schema(
        summary="Đơn vị thực hiện / Implementing units",
        description="Trung tâm Khuyến công tỉnh, trung tâm khu vực của Bộ, đơn vị cung cấp dịch "
        "vụ. `province=bac-ninh`: các đơn vị được chủ trì đề án của tỉnh đó (kể cả trung tâm "
        "khu vực phụ trách). Provincial centres, the ministry's regional centres, providers; "
        "`province=` lists the units that may implement that province's proposals.",
    ),
    retrieve=extend_schema(summary="Một đơn vị / One implementing unit"),
)
class UnitViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Reference data: every user reads every unit; a short list, so a plain array."""

    serializer_class = UnitSerializer
    queryset = Unit.objects.prefetch_related("provinces_served")
    pagination_class = None
    filterset_class = UnitFilter
    ordering_fields = ["kind", "name"]


@extend_schema_view(
    list=extend_schema(
        summary="Cơ sở CNNT / Facilities",
        description="Cơ sở trong phạm vi của bạn. Facilities in your provinces.",
    ),
    retrieve=extend_schema(summary="Một cơ sở / One facility"),
    create=extend_schema(
        summary="Thêm cơ sở / Create a facility",
        description="Trung tâm Khuyến công hoặc Sở Công Thương của tỉnh. "
        "The centre or the department of the facility's province.",
    ),
    update=extend_schema(summary="Sửa cơ sở / Replace a facility"),
    partial_update=extend_schema(summary="Sửa một phần / Update some fields"),
)
class FacilityViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Facilities are never deleted: proposals keep pointing at them."""

    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    ordering_fields = ["name", "id", "province", "created_at", "employees"]

    def get_queryset(self):
        return Facility.objects.select_related("province").visible_to(self.request.user)

    def get_object(self):
        queryset = self.filter_queryset(Facility.objects.all())
        return get_visible_or_404(queryset, self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        allowed(may_create_facility(request.user))  # a role that may not hears so before its typos
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        facility = _saved(save_facility, request.user, serializer.form_data())
        return Response(self.get_serializer(facility).data, status=201)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        facility = self.get_object()  # 404 outside the user's provinces, before any rule
        allowed(may_edit_facility(request.user, facility.province_id))
        serializer = self.get_serializer(facility, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        saved = _saved(
            save_facility,
            request.user,
            serializer.form_data(),
            instance=facility,
            expected_version=serializer.validated_data.get("version"),
        )
        return Response(self.get_serializer(saved).data)


def _saved(write, *args, **kwargs):
    """The write path's refusals by field, as the API reports them (text, no links)."""
    try:
        return write(*args, **kwargs)
    except DjangoValidationError as error:
        raise serializers.ValidationError(as_api_errors(error)) from error
