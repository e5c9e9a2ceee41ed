"""/api/v1/registrations/: the centre's steps for staff programs; public submission is the page.

Read: the province's centre and department (anyone else: 404). Act: the centre only (403 for
others), while the registration is open (409 after). Errors per SPEC §9.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from khuyencong.access import get_visible_or_404
from khuyencong.api import ApiViewMixin
from registrations import workflow
from registrations.filters import RegistrationFilter
from registrations.models import Registration, RegistrationEvent
from registrations.serializers import (
    ConvertSerializer,
    DeclineSerializer,
    MatchSerializer,
    RegistrationSerializer,
    SuggestedFacilitySerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Dữ liệu không hợp lệ / invalid input"),
    403: OpenApiResponse(description="Chỉ Trung tâm Khuyến công của tỉnh / centre only"),
    404: OpenApiResponse(description="Không thấy (ngoài phạm vi) / not visible to you"),
    409: OpenApiResponse(description="Hồ sơ đã xử lý xong / already closed"),
}


def _step(summary, description, request=None):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: RegistrationSerializer, **ERRORS},
        filters=False,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Hồ sơ đăng ký trực tuyến / Online registrations",
        description="Hồ sơ của tỉnh bạn (Trung tâm Khuyến công, Sở Công Thương), lọc theo trạng "
        "thái (`open` = chưa xử lý xong), tỉnh, nội dung, từ khóa. Your province's registrations.",
    ),
    retrieve=extend_schema(
        summary="Một hồ sơ / One registration", responses={200: RegistrationSerializer, **ERRORS}
    ),
)
class RegistrationViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """No create here: the public submits through /dang-ky/ (rate limit, trap field, checks)."""

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    ordering_fields = ["submitted_at", "code", "status", "requested_support_vnd"]
    ordering = ["-submitted_at", "-id"]

    def base_queryset(self):
        return Registration.objects.select_related("province").prefetch_related(
            "files",
            Prefetch("events", queryset=RegistrationEvent.objects.select_related("actor")),
        )

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user).order_by(*self.ordering)

    def get_object(self):
        return get_visible_or_404(self.base_queryset(), self.request.user, pk=self.kwargs["pk"])

    def _answer(self, pk):
        return Response(self.get_serializer(self.get_object()).data)

    def _parse(self, serializer_class, registration):
        context = {**self.get_serializer_context(), "registration": registration}
        serializer = serializer_class(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary="Cơ sở gợi ý / Suggested facilities",
        description="Cơ sở có sẵn trùng mã số thuế hoặc trùng tên (bỏ qua dấu, hoa thường, loại "
        "hình) trong tỉnh. Existing facilities with the same tax code or folded name.",
        responses={200: SuggestedFacilitySerializer(many=True), 404: ERRORS[404]},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def suggestions(self, request, pk=None):
        registration = self.get_object()
        found = workflow.suggestions(registration, request.user)
        return Response(SuggestedFacilitySerializer(found, many=True).data)

    @_step("Nhận xem xét / Start reviewing", "received → reviewing.")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        registration = self.get_object()
        workflow.review(registration.pk, request.user)
        return self._answer(pk)

    @_step(
        "Gắn với cơ sở có sẵn / Match to a facility",
        '`{"facility": id}`; cơ sở trong tỉnh / a facility of the province.',
        MatchSerializer,
    )
    @action(detail=True, methods=["post"])
    def match(self, request, pk=None):
        registration = self.get_object()
        data = self._parse(MatchSerializer, registration)
        workflow.match(registration.pk, request.user, data["facility"])
        return self._answer(pk)

    @_step(
        "Tạo cơ sở từ hồ sơ / Create the facility",
        "Cùng kiểm tra như form cơ sở (mã số thuế trùng…) / same checks as the facility form.",
    )
    @action(detail=True, methods=["post"], url_path="create-facility")
    def create_facility(self, request, pk=None):
        registration = self.get_object()
        workflow.create_facility(registration.pk, request.user)
        return self._answer(pk)

    @_step(
        "Lập dự thảo đề án / Turn into a draft proposal",
        "Trường bỏ trống lấy từ hồ sơ: nguồn provincial, năm nay, hỗ trợ = số đề nghị, đối ứng = "
        "số cam kết, cơ sở là cơ sở thụ hưởng. Hồ sơ chuyển sang `accepted`, `proposal` là id đề "
        "án. Fields left out default from the registration.",
        ConvertSerializer,
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        registration = self.get_object()
        data = dict(self._parse(ConvertSerializer, registration))
        workflow.convert(registration.pk, request.user, **data)
        return self._answer(pk)

    @_step(
        "Không hỗ trợ / Decline",
        '`{"reason": "…"}`, bắt buộc; người đăng ký đọc lý do / required, shown to them.',
        DeclineSerializer,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        registration = self.get_object()
        data = self._parse(DeclineSerializer, registration)
        workflow.decline(registration.pk, request.user, data["reason"])
        return self._answer(pk)
