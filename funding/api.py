"""/api/v1/funds/, /contents/, /activities/, /indicators/, /allocations/, /plans/: thin faces
over funding.writing."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from funding.filters import ActivityTypeFilter, AllocationFilter, PlanFilter
from funding.models import (
    ActivityContent,
    ActivityType,
    Allocation,
    Fund,
    OutputIndicator,
    Plan,
)
from funding.permissions import may_enter, may_enter_any
from funding.serializers import (
    ActivityContentSerializer,
    ActivityTypeSerializer,
    AllocationSerializer,
    FundSerializer,
    OutputIndicatorSerializer,
    PlanSerializer,
)
from funding.writing import save_allocation, save_plan
from khuyencong.access import get_visible_or_404
from khuyencong.api import ApiViewMixin, as_api_errors
from khuyencong.errors import allowed

WRITE_MIXINS = (
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
)


@extend_schema_view(
    list=extend_schema(summary="Nguồn kinh phí / Funds: national, provincial, district"),
    retrieve=extend_schema(summary="Một nguồn kinh phí / One fund, by key"),
)
class FundViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = FundSerializer
    queryset = Fund.objects.all()
    lookup_field = "key"
    lookup_value_regex = r"[a-z_]+"
    ordering_fields = ["order", "key"]


@extend_schema_view(
    list=extend_schema(summary="Nội dung hoạt động 1–9 / Activity contents (Decree 45/2012)"),
    retrieve=extend_schema(summary="Một nội dung / One activity content, by number"),
)
class ActivityContentViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivityContentSerializer
    queryset = ActivityContent.objects.all()
    lookup_field = "number"
    lookup_value_regex = r"\d+"
    ordering_fields = ["number"]


class CatalogueViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """A catalogue of SPEC §3.1/§3.2, read by its key; a few dozen rows, so the list is the
    plain JSON array SPEC §9 shows, not a page."""

    pagination_class = None
    lookup_field = "key"
    lookup_value_regex = r"[a-z][a-z0-9_]*"


@extend_schema_view(
    list=extend_schema(
        summary="Loại hoạt động / Activity types, each under its content (§3.1)",
        description="`content=3`: chỉ các loại của nội dung 3 / only content 3's types.",
    ),
    retrieve=extend_schema(summary="Một loại hoạt động / One activity type, by key"),
)
class ActivityTypeViewSet(CatalogueViewSet):
    serializer_class = ActivityTypeSerializer
    queryset = ActivityType.objects.all()
    filterset_class = ActivityTypeFilter
    ordering_fields = ["content", "order", "key"]


@extend_schema_view(
    list=extend_schema(summary="Chỉ tiêu đầu ra / Output indicators with their units (§3.2)"),
    retrieve=extend_schema(summary="Một chỉ tiêu / One output indicator, by key"),
)
class OutputIndicatorViewSet(CatalogueViewSet):
    serializer_class = OutputIndicatorSerializer
    queryset = OutputIndicator.objects.all()
    ordering_fields = ["order", "key"]


class BudgetViewSet(ApiViewMixin, *WRITE_MIXINS):
    """Allocations and plans: the ministry enters national money, a department its province's."""

    model = None

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def get_object(self):
        queryset = self.filter_queryset(self.base_queryset())
        return get_visible_or_404(queryset, self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        allowed(may_enter_any(request.user))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = self.save(serializer)
        return Response(self._fresh(saved), status=201)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()  # 404 outside the user's provinces, before any rule
        allowed(may_enter(request.user, instance.fund_id, instance.province_id))
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        # The write path locks the row, checks the version and writes onto the row as it is
        # then, so a PATCH without a version still loses nobody's change.
        saved = self.save(serializer, instance, serializer.validated_data.get("version"))
        return Response(self._fresh(saved))

    def save(self, serializer, instance=None, expected_version=None):
        try:
            return self.write(serializer, instance, expected_version)
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_api_errors(error)) from error

    def write(self, serializer, instance, expected_version):
        raise NotImplementedError

    def _fresh(self, obj):
        return self.get_serializer(self.get_queryset().get(pk=obj.pk)).data


@extend_schema_view(
    list=extend_schema(
        summary="Phân bổ kinh phí / Allocations",
        description="Kèm số đã phê duyệt và còn lại. With approved and remaining amounts.",
    ),
    retrieve=extend_schema(summary="Một phân bổ / One allocation"),
    create=extend_schema(
        summary="Nhập phân bổ / Enter an allocation",
        description="Bộ (Cục Khuyến công): quốc gia; Sở Công Thương: địa phương của tỉnh. "
        "Ministry: national; department: its province's provincial and district.",
    ),
    update=extend_schema(summary="Sửa phân bổ / Replace an allocation (amount, decision, note)"),
    partial_update=extend_schema(summary="Sửa một phần / Update some fields"),
)
class AllocationViewSet(BudgetViewSet):
    model = Allocation
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter
    ordering_fields = ["year", "province", "fund", "amount_vnd", "remaining_vnd"]
    ordering = ["-year", "province", "fund"]

    def base_queryset(self):
        return Allocation.objects.select_related("province", "fund").with_usage()

    def write(self, serializer, instance, expected_version):
        return save_allocation(
            self.request.user, serializer.form_data(), instance, expected_version
        )


@extend_schema_view(
    list=extend_schema(summary="Kế hoạch giai đoạn / Period plans with targets"),
    retrieve=extend_schema(summary="Một kế hoạch / One plan"),
    create=extend_schema(summary="Nhập kế hoạch / Enter a plan"),
    update=extend_schema(summary="Sửa kế hoạch / Replace a plan (targets replaced)"),
    partial_update=extend_schema(summary="Sửa một phần / Update some fields"),
)
class PlanViewSet(BudgetViewSet):
    model = Plan
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ["year_from", "province", "fund"]

    def base_queryset(self):
        return Plan.objects.select_related("province", "fund").prefetch_related("targets")

    def write(self, serializer, instance, expected_version):
        values = dict(serializer.validated_data)
        values.pop("version", None)
        targets = values.pop("targets", None)
        return save_plan(self.request.user, values, targets, instance, expected_version)
