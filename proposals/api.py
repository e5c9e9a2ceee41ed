"""/api/v1/proposals/ and its transitions: a thin face over scoping, editing and the lifecycle.

Statuses (SPEC §9): 400 invalid input, 403 the role may not, 404 not visible to you,
409 the state or version changed under you.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from khuyencong.access import get_visible_or_404
from khuyencong.api import ApiViewMixin, CachedPagesMixin, Conflict
from khuyencong.errors import allowed
from proposals import budget, editing, implementation, lifecycle, permissions
from proposals.attachments import attach
from proposals.filters import ProposalFilter
from proposals.models import Beneficiary, OutcomeIndicator, Payment, ProgressReport, Proposal
from proposals.permissions import get_proposal_for
from proposals.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ChangeSerializer,
    EventSerializer,
    PaymentDecisionSerializer,
    PaymentSerializer,
    ProgressCommentSerializer,
    ProgressSerializer,
    ProposalSerializer,
    StaleEditSerializer,
    TransitionSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Dữ liệu không hợp lệ / invalid input"),
    403: OpenApiResponse(description="Vai trò không được phép / your role may not"),
    404: OpenApiResponse(description="Không thấy (ngoài phạm vi) / not visible to you"),
    409: OpenApiResponse(
        description="Trạng thái đề án không cho phép, hoặc đang có người khác xử lý / "
        "the proposal's state forbids it now, or someone else holds it: try again"
    ),
}
STALE = OpenApiResponse(
    StaleEditSerializer,
    description="Đề án đã bị sửa hoặc đổi trạng thái / changed under you (stale version, state)",
)


@extend_schema_view(
    list=extend_schema(
        summary="Đề án / Proposals",
        description="Đề án trong phạm vi của bạn, lọc theo tỉnh, năm, nguồn, trạng thái, nội "
        "dung, loại và từ khóa. Proposals in your scope, filtered.",
    ),
    retrieve=extend_schema(
        summary="Một đề án / One proposal", responses={200: ProposalSerializer, **ERRORS}
    ),
    create=extend_schema(
        summary="Lập đề án / Create a proposal (centre)",
        description="Trung tâm Khuyến công lập đề án cho tỉnh của mình. "
        "The extension centre drafts a proposal for its province.",
        responses={201: ProposalSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary="Sửa đề án / Replace a proposal",
        description="Khi dự thảo hoặc bị trả lại; gửi kèm `version`. "
        "While draft or returned; send the `version` you read.",
        responses={200: ProposalSerializer, **ERRORS, 409: STALE},
    ),
    partial_update=extend_schema(
        summary="Sửa một phần / Update some fields",
        responses={200: ProposalSerializer, **ERRORS, 409: STALE},
    ),
)
class ProposalViewSet(
    CachedPagesMixin,
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Proposals are never deleted: a mistake is undone by a new event (withdraw, cancel)."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    ordering_fields = ["year", "code", "support_vnd", "state", "created_at", "updated_at"]

    def base_queryset(self):
        return Proposal.objects.select_related("province", "fund", "unit").prefetch_related(
            "partners",
            Prefetch("beneficiaries", queryset=Beneficiary.objects.select_related("facility")),
            Prefetch("indicators", queryset=OutcomeIndicator.objects.select_related("indicator")),
        )

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def get_object(self):
        queryset = self.filter_queryset(self.base_queryset())
        return get_visible_or_404(queryset, self.request.user, pk=self.kwargs["pk"])

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # `actions` asks each row what remains of its allocation: one query for the page.
        budget.prefetch_remaining(page or [])
        return page

    def _fresh(self, pk):
        return self.get_queryset().get(pk=pk)

    def _for(self, request, action):
        """The proposal for a write (404 out of sight, 403 the role, 409 the state)."""
        if request.method == "GET":
            return self.get_object()
        queryset = self.filter_queryset(self.base_queryset())
        return get_proposal_for(request.user, self.kwargs["pk"], action, queryset)

    def create(self, request, *args, **kwargs):
        allowed(permissions.may_create(request.user))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = serializer.save()
        return Response(self.get_serializer(self._fresh(proposal.pk)).data, status=201)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        proposal = self._for(request, "edit")
        serializer = self.get_serializer(proposal, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            serializer.save()
        except editing.StaleEdit as stale:
            raise Conflict(
                str(stale),
                current_version=stale.current_version,
                changes=ChangeSerializer(stale.changes, many=True).data,
            ) from stale
        return Response(self.get_serializer(self._fresh(proposal.pk)).data)

    @extend_schema(
        methods=["GET"],
        summary="Lịch sử sự kiện / The proposal's events",
        description="Ai, khi nào, từ trạng thái nào sang trạng thái nào, ý kiến và số tiền. "
        "Who, when, from, to, comment and amounts, oldest first.",
        responses={200: EventSerializer(many=True), 404: ERRORS[404]},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Chuyển trạng thái / Perform a transition",
        description="Hành động: submit return forward approve reject start accept settle "
        "cancel withdraw. `approve` cần decision_number, decision_date, approved_support_vnd; "
        "`accept` cần support_vnd, counterpart_vnd, other_vnd thực tế, và có thể kèm "
        "indicators [{indicator, actual}] (thêm được chỉ tiêu ngoài kế hoạch) và beneficiaries "
        "[{facility, support_vnd, counterpart_vnd}]; return, reject, withdraw "
        "và cancel cần comment. Trả về đề án. Returns the proposal.",
        request=TransitionSerializer,
        responses={
            200: ProposalSerializer,
            **ERRORS,
            409: OpenApiResponse(description="Trạng thái đã đổi / wrong or changed state"),
        },
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def transitions(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "GET":
            events = proposal.events.select_related("actor")
            return Response(EventSerializer(events, many=True).data)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        action_key = data.pop("action")
        lifecycle.perform(proposal.pk, action_key, request.user, data)
        return Response(self.get_serializer(self._fresh(proposal.pk)).data)

    @extend_schema(
        methods=["GET"],
        summary="Báo cáo tiến độ / Monthly progress reports",
        responses={200: ProgressSerializer(many=True), 404: ERRORS[404]},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Gửi báo cáo tiến độ tháng / Report this month's progress",
        description="Trung tâm Khuyến công, khi đề án đang thực hiện; mỗi tháng một báo cáo. "
        "The centre, while in progress; one report per month (a second one answers 400).",
        request=ProgressSerializer,
        responses={201: ProgressSerializer, **ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def progress(self, request, pk=None):
        proposal = self._for(request, "report_progress")
        if request.method == "GET":
            reports = proposal.progress.select_related("created_by", "commented_by")
            return Response(ProgressSerializer(reports, many=True).data)
        serializer = ProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = implementation.report_progress(
            proposal.pk, request.user, data["month"], data["percent_complete"], data["narrative"]
        )
        return Response(ProgressSerializer(report).data, status=201)

    @extend_schema(
        summary="Ý kiến của Sở về báo cáo tiến độ / The department's comment on a report",
        request=ProgressCommentSerializer,
        responses={200: ProgressSerializer, **ERRORS},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"progress/(?P<report_id>\d+)/comment",
        pagination_class=None,
    )
    def progress_comment(self, request, pk=None, report_id=None):
        proposal = self._for(request, "comment_progress")
        report = get_object_or_404(ProgressReport, pk=report_id, proposal=proposal)
        serializer = ProgressCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        implementation.comment_progress(
            report, request.user, serializer.validated_data["department_comment"]
        )
        return Response(ProgressSerializer(report).data)

    @extend_schema(
        methods=["GET"],
        summary="Tạm ứng, thanh toán / Advances and payments",
        responses={200: PaymentSerializer(many=True), 404: ERRORS[404]},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Đề nghị tạm ứng hoặc thanh toán / Request an advance or the final payment",
        description="advance: trước nghiệm thu, tổng ≤ 70 % kinh phí phê duyệt; final: sau "
        "nghiệm thu; tổng không vượt kinh phí hỗ trợ. Advances before acceptance (≤ 70 % of "
        "the approved support in all), final after; never more than the support.",
        request=PaymentSerializer,
        responses={201: PaymentSerializer, **ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def payments(self, request, pk=None):
        proposal = self._for(request, "request_payment")
        if request.method == "GET":
            rows = proposal.payments.select_related("requested_by", "decided_by")
            return Response(PaymentSerializer(rows, many=True).data)
        serializer = PaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = implementation.request_payment(
            proposal.pk, request.user, data["kind"], data["amount_vnd"], data.get("note", "")
        )
        return Response(PaymentSerializer(payment).data, status=201)

    @extend_schema(
        summary="Duyệt hoặc từ chối đề nghị thanh toán / Approve or refuse a payment request",
        request=PaymentDecisionSerializer,
        responses={200: PaymentSerializer, **ERRORS},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"payments/(?P<payment_id>\d+)/decision",
        pagination_class=None,
    )
    def payment_decision(self, request, pk=None, payment_id=None):
        proposal = self._for(request, "decide_payment")
        payment = get_object_or_404(Payment, pk=payment_id, proposal=proposal)
        serializer = PaymentDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = implementation.decide_payment(
            payment.pk,
            request.user,
            serializer.validated_data["approve"],
            serializer.validated_data.get("reason", ""),
        )
        return Response(PaymentSerializer(payment).data)

    @extend_schema(
        methods=["GET"],
        summary="Tài liệu đính kèm / Attachments",
        responses={200: AttachmentSerializer(many=True), 404: ERRORS[404]},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Đính kèm tài liệu / Attach a document",
        description="multipart/form-data: `file` (PDF, Word, Excel, PNG/JPG; nội dung được "
        "kiểm tra, tối đa 20 MB) và `description`. Centre or department of the province, until "
        "the file is closed; content is sniffed, not only the extension.",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **ERRORS},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        parser_classes=[MultiPartParser, FormParser],
    )
    def attachments(self, request, pk=None):
        proposal = self._for(request, "attach")
        if request.method == "GET":
            return Response(AttachmentSerializer(proposal.attachments.all(), many=True).data)
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        description = serializer.validated_data.get("description", "")
        attachment = attach(proposal, upload, request.user, description)
        return Response(AttachmentSerializer(attachment).data, status=201)
