"""Registration pages: the public form and status look-up (no account), the centre's queue.

Public pages are rate limited per address; nothing is ever read back without the tracking
code plus the tax code or phone. Staff pages fetch through `get_visible_or_404` (another
province's registration is 'not found') and act through workflow.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.access import get_visible_or_404
from khuyencong.errors import Invalid, StateConflict, allowed
from registrations import permissions, ratelimit, workflow
from registrations.codes import new_code
from registrations.filters import RegistrationFilter
from registrations.forms import ConvertForm, DeclineForm, RegistrationForm, StatusLookupForm
from registrations.models import Action, Registration, RegistrationFile

PAGE_SIZE = 25
SESSION_CODE = "registration_code"


def _too_many(request, what):
    return render(request, "registrations/rate_limited.html", {"what": what}, status=429)


# --- Public ------------------------------------------------------------------------------------


def register(request):
    """The public registration form (Đăng ký hỗ trợ khuyến công trực tuyến)."""
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if ratelimit.is_limited(request, "submit", ratelimit.submission_limit()):
            return _too_many(request, _("gửi hồ sơ"))
        if form.is_robot:
            # Pretend it worked, so the robot learns nothing; nothing is saved or mailed.
            ratelimit.count(request, "submit")
            request.session[SESSION_CODE] = new_code()
            return redirect("registrations:submitted")
        if form.is_valid():
            registration = workflow.submit(
                form.save(commit=False), form.uploads, ratelimit.client_ip(request)
            )
            ratelimit.count(request, "submit")
            request.session[SESSION_CODE] = registration.code
            return redirect("registrations:submitted")
    return render(request, "registrations/register.html", {"form": form})


def submitted(request):
    """The tracking code, shown once more after the redirect (and on reload)."""
    code = request.session.get(SESSION_CODE)
    if not code:
        return redirect("registrations:register")
    return render(request, "registrations/submitted.html", {"code": code})


def status(request):
    """Look a registration up by its code plus the tax code or phone given with it."""
    form = StatusLookupForm(request.POST or None)
    registration = None
    not_found = False
    if request.method == "POST":
        if ratelimit.is_limited(request, "lookup", ratelimit.lookup_limit()):
            return _too_many(request, _("tra cứu hồ sơ"))
        ratelimit.count(request, "lookup")
        if form.is_valid():
            registration = Registration.objects.select_related(
                "province", "content", "proposal"
            ).for_applicant(form.cleaned_data["code"], form.cleaned_data["secret"])
            not_found = registration is None
    steps = []
    if registration is not None:
        steps = [e for e in registration.events.all() if e.changes_status]
    return render(
        request,
        "registrations/status.html",
        {"form": form, "registration": registration, "not_found": not_found, "steps": steps},
    )


# --- Staff -------------------------------------------------------------------------------------


@login_required
def queue(request):
    """The province's registrations, open ones first by default."""
    allowed(permissions.may_read(request.user))
    visible = Registration.objects.visible_to(request.user)
    data = request.GET.copy()
    data.setdefault("status", "open")
    filterset = RegistrationFilter(data, queryset=visible, request=request)
    rows = filterset.qs if filterset.is_valid() else visible.open()
    rows = rows.select_related("province", "content").order_by("-submitted_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registrations/queue.html", {"filter": filterset, "page": page})


def _get(request, pk):
    return get_visible_or_404(
        Registration.objects.select_related("province", "content", "facility", "proposal"),
        request.user,
        pk=pk,
    )


@login_required
def detail(request, pk):
    registration = _get(request, pk)
    may_handle, reason = workflow.can_handle(request.user, registration)
    return render(
        request,
        "registrations/detail.html",
        {
            "registration": registration,
            "files": registration.files.all(),
            "events": registration.events.select_related("actor", "facility", "proposal"),
            "suggestions": workflow.suggestions(registration, request.user)
            if registration.is_open
            else [],
            "can_handle": may_handle,
            "reason": reason,
            "Action": Action,
        },
    )


def _act(request, registration, step, success):
    """Run one workflow step; refusals become messages (NotPermitted is the 403 page's)."""
    try:
        step()
    except (StateConflict, Invalid) as error:
        messages.error(request, error.message)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(registration)


@login_required
@require_POST
def review(request, pk):
    registration = _get(request, pk)
    return _act(
        request,
        registration,
        lambda: workflow.review(registration.pk, request.user),
        _("Đã nhận xem xét hồ sơ %(code)s.") % {"code": registration.code},
    )


@login_required
@require_POST
def match(request, pk):
    registration = _get(request, pk)
    facility = get_object_or_404(
        workflow.matchable_facilities(registration, request.user), pk=request.POST.get("facility")
    )
    return _act(
        request,
        registration,
        lambda: workflow.match(registration.pk, request.user, facility),
        _("Đã gắn hồ sơ với cơ sở %(name)s.") % {"name": facility.name},
    )


@login_required
@require_POST
def create_facility(request, pk):
    registration = _get(request, pk)
    return _act(
        request,
        registration,
        lambda: workflow.create_facility(registration.pk, request.user),
        _("Đã tạo cơ sở %(name)s từ hồ sơ.") % {"name": registration.name},
    )


def _may_handle_or_refuse(request, registration) -> bool:
    """NotPermitted (403) for a role that may not act; False (with a message) once it is closed."""
    allowed(permissions.may_handle(request.user, registration))
    may, reason = workflow.can_handle(request.user, registration)
    if not may:
        messages.error(request, reason)
    return may


@login_required
def convert(request, pk):
    """The draft proposal, prefilled from the registration."""
    registration = _get(request, pk)
    if not _may_handle_or_refuse(request, registration):
        return redirect(registration)
    # Start from the matched facility, else the one with the same tax code (tax codes are unique).
    facility = registration.facility_id or next(
        (s.facility.pk for s in workflow.suggestions(registration, request.user) if s.by_tax_code),
        None,
    )
    initial = {**workflow.proposal_defaults(registration), "facility": facility}
    form = ConvertForm(
        request.POST or None,
        initial=initial,
        facilities=workflow.matchable_facilities(registration, request.user).order_by("name"),
    )
    if registration.facility_id:
        # Matched already: the choice is between facilities, not whether to create one.
        form.fields["facility"].required = True
        form.fields["facility"].empty_label = None
    if request.method == "POST" and form.is_valid():
        try:
            proposal = workflow.convert(registration.pk, request.user, **form.proposal_fields())
        except (StateConflict, Invalid) as error:
            messages.error(request, error.message)
            return redirect(registration)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Đã lập dự thảo đề án %(code)s từ hồ sơ %(reg)s.")
                % {"code": proposal.code, "reg": registration.code},
            )
            return redirect(proposal)
    return render(
        request, "registrations/convert.html", {"registration": registration, "form": form}
    )


@login_required
def decline(request, pk):
    registration = _get(request, pk)
    if not _may_handle_or_refuse(request, registration):
        return redirect(registration)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.decline(registration.pk, request.user, form.cleaned_data["reason"])
        except (StateConflict, Invalid) as error:
            messages.error(request, error.message)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reason", message)
            return render(
                request,
                "registrations/decline.html",
                {"registration": registration, "form": form},
            )
        else:
            messages.success(
                request, _("Đã trả lời không hỗ trợ hồ sơ %(c)s.") % {"c": registration.code}
            )
        return redirect(registration)
    return render(
        request, "registrations/decline.html", {"registration": registration, "form": form}
    )


@login_required
def file_download(request, pk, file_pk):
    registration = _get(request, pk)
    item = get_object_or_404(RegistrationFile, pk=file_pk, registration=registration)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("Tệp không còn trên máy chủ.")) from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
