"""Proposal pages. Thin: fetch through the access-checked getter, bind a form, call the domain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilities.models import Facility
from khuyencong import access, datacache
from khuyencong.access import get_visible_or_404
from khuyencong.errors import Invalid, allowed
from khuyencong.forms import compact_filter_form
from proposals import budget, implementation, lifecycle, timeline
from proposals.attachments import attach
from proposals.editing import StaleEdit, save_proposal
from proposals.filters import ProposalFilter
from proposals.forms import (
    AttachmentForm,
    BeneficiaryFormSet,
    IndicatorFormSet,
    PaymentDecisionForm,
    PaymentRequestForm,
    ProgressCommentForm,
    ProgressForm,
    ProposalForm,
    TransitionForm,
    initial_indicators,
)
from proposals.models import (
    Acceptance,
    Attachment,
    Payment,
    ProgressReport,
    Proposal,
    Settlement,
)
from proposals.permissions import can, get_proposal_for, may_create

PAGE_SIZE = 25


def _list_rows(queryset):
    return queryset.select_related("province", "fund", "content").order_by("-year", "code")


@login_required
def proposal_list(request):
    # Filters, totals and rows are the same for everyone with the same roles and provinces:
    # laid out once per version of the data (a national list totals 100 000 proposals).
    query = request.GET.copy()
    query.pop("page", None)
    query = query.urlencode()  # the filters without the page: export and pager links
    viewer = (access.viewer_key(request.user), request.get_full_path())
    listing = datacache.cached("proposal-list", viewer, lambda: _listing(request, query))
    return render(
        request,
        "proposals/list.html",
        {
            "listing": listing,
            "query": query,
            "can_create": may_create(request.user)[0],
            "title": _("Danh sách đề án"),
        },
    )


def _listing(request, query: str) -> str:
    """The filter form, the totals and one page of the proposals the user may see, as HTML."""
    visible = Proposal.objects.visible_to(request.user)
    filterset = ProposalFilter(request.GET or None, queryset=visible, request=request)
    compact_filter_form(filterset.form)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else visible
    totals = rows.aggregate(n=Count("id"), support=Coalesce(Sum("support_vnd"), 0))
    paginator = Paginator(_list_rows(rows), PAGE_SIZE)
    paginator.count = totals["n"]  # counted with the totals: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "totals": totals, "query": query}
    return render_to_string("proposals/_listing.html", context, request)


@login_required
def proposal_queue(request):
    """'Chờ tôi xử lý': what the user's roles must act on now, read from the lifecycle table."""
    rows = lifecycle.queue_for(request.user)
    page = Paginator(_list_rows(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "proposals/queue.html", {"page": page, "title": _("Chờ tôi xử lý")})


def _facilities_for(user):
    return Facility.objects.visible_to(user).select_related("province").order_by("name")


def _initial_beneficiaries(proposal):
    if not proposal.pk:
        return []
    return [
        {
            "facility": b.facility_id,
            "support_vnd": b.support_vnd,
            "counterpart_vnd": b.counterpart_vnd,
        }
        for b in proposal.beneficiaries.all()
    ]


def _add_domain_errors(error: ValidationError, form, beneficiaries, indicators):
    for field, messages_ in (
        error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    ):
        for message in messages_:
            if field == "beneficiaries":
                beneficiaries.domain_errors.append(message)
            elif field == "indicators":
                indicators.domain_errors.append(message)
            elif field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, message)


@login_required
def proposal_edit(request, pk=None):
    user = request.user
    if pk is None:
        allowed(may_create(user))
        proposal = Proposal()
    else:
        proposal = get_proposal_for(user, pk, "edit", Proposal.objects)
    data = request.POST if request.method == "POST" else None
    form = ProposalForm(data, instance=proposal, user=user, activity_required=True)
    beneficiaries = BeneficiaryFormSet(
        data,
        prefix="ben",
        facilities=_facilities_for(user),
        initial=_initial_beneficiaries(proposal) if data is None else None,
    )
    beneficiaries.domain_errors = []
    indicators = IndicatorFormSet(
        data, prefix="ind", initial=initial_indicators(proposal) if data is None else None
    )
    indicators.domain_errors = []
    stale = None
    if data is not None and form.is_valid() and beneficiaries.is_valid() and indicators.is_valid():
        try:
            saved = save_proposal(
                form.instance,
                user,
                beneficiaries=beneficiaries.rows(form.instance.province),
                indicators=indicators.rows(),
                expected_version=form.cleaned_data.get("version"),
                partners=list(form.cleaned_data["partners"]),
            )
        except StaleEdit as error:
            stale = error
        except ValidationError as error:
            _add_domain_errors(error, form, beneficiaries, indicators)
        else:
            messages.success(request, _("Đã lưu đề án %(code)s.") % {"code": saved.code})
            return redirect(saved)
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "beneficiaries": beneficiaries,
            "indicators": indicators,
            "proposal": proposal,
            "stale": stale,
        },
    )


@login_required
def proposal_detail(request, pk):
    proposal = get_visible_or_404(
        Proposal.objects.select_related(
            "province", "fund", "content", "activity", "created_by", "unit"
        ).prefetch_related("partners"),
        request.user,
        pk=pk,
    )
    allocation = (
        budget.allocation_queryset(proposal).with_usage().select_related("province", "fund").first()
    )
    editable, edit_reason = can(request.user, proposal, "edit")
    attachable, _reason = can(request.user, proposal, "attach")
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "beneficiaries": proposal.beneficiaries.select_related("facility"),
            "indicators": proposal.indicators.select_related("indicator"),
            "attachments": proposal.attachments.select_related("uploaded_by"),
            "actions": lifecycle.available_actions(request.user, proposal),
            "timeline": timeline.build(proposal),
            "allocation": allocation,
            "editable": editable,
            "edit_reason": edit_reason,
            "attachment_form": AttachmentForm() if attachable else None,
            **_implementation_context(request.user, proposal),
        },
    )


@login_required
def proposal_transition(request, pk, action):
    proposal = get_proposal_for(request.user, pk, action)
    transition = lifecycle.transitions_for(request.user, proposal, action)[0]
    form = TransitionForm(
        request.POST or None, request.FILES or None, transition=transition, proposal=proposal
    )
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.perform(proposal.pk, action, request.user, form.payload())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_domain_error(field, message)
        except Invalid as error:
            # The step's own rules (the allocation): shown on the form to correct and retry.
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Đã %(action)s đề án %(code)s.")
                % {"action": str(transition.label).lower(), "code": proposal.code},
            )
            return redirect(proposal)
    allowed, reason = lifecycle.check_preconditions(transition, proposal)
    allocation = budget.allocation_queryset(proposal).with_usage().first()
    return render(
        request,
        "proposals/transition.html",
        {
            "proposal": proposal,
            "transition": transition,
            "form": form,
            "blocked_reason": "" if allowed else reason,
            "allocation": allocation,
        },
    )


@login_required
@require_POST
def attachment_upload(request, pk):
    proposal = get_proposal_for(request.user, pk, "attach", Proposal.objects)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        attach(proposal, upload, request.user, form.cleaned_data["description"])
        messages.success(request, _("Đã đính kèm %(name)s.") % {"name": upload.name})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(proposal)


@login_required
def attachment_download(request, pk, attachment_pk):
    proposal = get_visible_or_404(Proposal.objects, request.user, pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, proposal=proposal)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("Tệp không còn trên máy chủ.")) from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def _implementation_context(user, proposal) -> dict:
    """Progress and payments sections of the detail page."""
    can_report, report_reason = can(user, proposal, "report_progress")
    can_pay, _pay_reason = can(user, proposal, "request_payment")
    payments = list(proposal.payments.select_related("requested_by", "decided_by"))
    paid = sum(p.amount_vnd for p in payments if p.state == Payment.Status.APPROVED)
    return {
        "implementation_started": proposal.state in lifecycle.IMPLEMENTATION_STATES,
        "progress_reports": proposal.progress.select_related(
            "created_by", "commented_by"
        ).prefetch_related("files"),
        "progress_form": ProgressForm() if can_report else None,
        "progress_reason": report_reason,
        "can_comment_progress": can(user, proposal, "comment_progress")[0],
        "payments": payments,
        "paid_vnd": paid,
        "advance_cap_vnd": implementation.advance_cap_vnd(proposal),
        "support_cap_vnd": implementation.support_cap_vnd(proposal),
        "payment_form": PaymentRequestForm() if can_pay else None,
        "can_decide_payment": can(user, proposal, "decide_payment")[0],
        "acceptance": Acceptance.objects.filter(proposal=proposal)
        .select_related("minutes")
        .first(),
        "settlement": Settlement.objects.filter(proposal=proposal).first(),
    }


def _flash_errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def progress_create(request, pk):
    proposal = get_proposal_for(request.user, pk, "report_progress", Proposal.objects)
    form = ProgressForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        with transaction.atomic():
            report = implementation.report_progress(
                proposal.pk,
                request.user,
                form.cleaned_data["month"],
                form.cleaned_data["percent_complete"],
                form.cleaned_data["narrative"],
            )
            for upload in form.cleaned_data["files"]:
                description = _("Báo cáo tiến độ %(m)s") % {"m": f"{report.month:%m/%Y}"}
                attach(proposal, upload, request.user, description, progress_report=report)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(
            request, _("Đã gửi báo cáo tiến độ tháng %(m)s.") % {"m": f"{report.month:%m/%Y}"}
        )
    return redirect(proposal)


@login_required
@require_POST
def progress_comment(request, pk, report_pk):
    proposal = get_proposal_for(request.user, pk, "comment_progress", Proposal.objects)
    report = get_object_or_404(ProgressReport, pk=report_pk, proposal=proposal)
    form = ProgressCommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Hãy nhập ý kiến."))
        implementation.comment_progress(
            report, request.user, form.cleaned_data["department_comment"]
        )
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect(proposal)


@login_required
@require_POST
def payment_request(request, pk):
    proposal = get_proposal_for(request.user, pk, "request_payment", Proposal.objects)
    form = PaymentRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        implementation.request_payment(
            proposal.pk,
            request.user,
            form.cleaned_data["kind"],
            form.cleaned_data["amount_vnd"],
            form.cleaned_data["note"],
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Đã gửi đề nghị thanh toán."))
    return redirect(proposal)


@login_required
@require_POST
def payment_decide(request, pk, payment_pk):
    proposal = get_proposal_for(request.user, pk, "decide_payment", Proposal.objects)
    payment = get_object_or_404(Payment, pk=payment_pk, proposal=proposal)
    form = PaymentDecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Lựa chọn không hợp lệ."))
        implementation.decide_payment(
            payment.pk,
            request.user,
            form.cleaned_data["decision"] == "approve",
            form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Đã xử lý đề nghị thanh toán."))
    return redirect(proposal)


@login_required
def proposal_overdue(request):
    """In-progress proposals still without this month's report after the 25th."""
    rows = implementation.overdue().filter(
        pk__in=Proposal.objects.visible_to(request.user).values("pk")
    )
    page = Paginator(_list_rows(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/overdue.html",
        {
            "page": page,
            "title": _("Chậm báo cáo tiến độ"),
            "due_day": implementation.REPORT_DUE_DAY,
        },
    )
