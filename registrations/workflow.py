"""What happens to a registration, in one place for the pages and the API.

received ──review / match / create facility──▶ reviewing ──convert──▶ accepted (a draft proposal)
   └──────────────────────────────────────────────┴──decline (reason)──▶ declined

Only the extension centre of the registration's province acts; the department reads. Each step
locks the row, checks the status again under the lock, writes a RegistrationEvent and, when the
status changes, mails the applicant once the transaction has committed.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from facilities.forms import FacilityForm
from facilities.models import AreaClass, Facility
from facilities.writing import save_facility
from funding.models import Fund
from khuyencong.errors import NotPermitted, StateConflict
from khuyencong.text import normalise
from proposals.attachments import attach
from proposals.editing import save_proposal
from proposals.models import Beneficiary, Kind, Proposal
from registrations import notify, permissions
from registrations.codes import new_code
from registrations.models import (
    OPEN_STATUSES,
    Action,
    Registration,
    RegistrationEvent,
    RegistrationFile,
    Status,
)

log = logging.getLogger(__name__)

# Activity contents a facility can ask for itself; information campaigns (6), international
# cooperation (8) and the system's own capacity (9) are the centre's initiative, not a facility's.
PUBLIC_CONTENTS = (1, 2, 3, 4, 5, 7)
MAX_FILES = 5
# Each file is checked against ATTACHMENT_MAX_BYTES; together they stay under this.
MAX_TOTAL_BYTES = 30 * 1024 * 1024
DEFAULT_FUND = Fund.PROVINCIAL


# --- Who may do what ---------------------------------------------------------------------------


def can_handle(user, registration) -> tuple[bool, str]:
    """(allowed, reason): the centre of the province handles a registration while it is open."""
    allowed, reason = permissions.may_handle(user, registration)
    if not allowed:
        return False, reason
    if registration.status not in OPEN_STATUSES:
        return False, _("Hồ sơ đã xử lý xong (%(status)s).") % {
            "status": registration.get_status_display()
        }
    return True, ""


def _locked(registration_id: int, user) -> Registration:
    """The registration row, locked; 403 for a role that may not act, 409 once it is closed."""
    # No joins: PostgreSQL will not lock the nullable side of an outer join (the facility).
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration_id)
    allowed, reason = can_handle(user, registration)
    if not allowed:
        if registration.status in OPEN_STATUSES:
            raise NotPermitted(reason)
        raise StateConflict(reason)
    return registration


def _record(registration, action, user, to_status, comment="", facility=None, proposal=None):
    """Move to `to_status`, write the event, and mail the applicant after commit if it moved."""
    event = RegistrationEvent.objects.create(
        registration=registration,
        action=action,
        from_status=registration.status,
        to_status=to_status,
        actor=user,
        comment=comment,
        facility=facility,
        proposal=proposal,
    )
    registration.status = to_status
    registration.save()
    if event.changes_status:
        transaction.on_commit(lambda: notify.status_changed(registration, event))
    return event


# --- The applicant's side ----------------------------------------------------------------------


def submit(registration: Registration, uploads, submitted_from: str | None = None):
    """Save a new registration and its files under a fresh tracking code.

    `uploads` are (file, mime type) pairs already checked by `proposals.attachments.check_upload`.
    The applicant (when an e-mail was given) and the province's centre are mailed after commit.
    """
    with transaction.atomic():
        registration.code = _unused_code()
        registration.status = Status.RECEIVED
        registration.submitted_from = submitted_from or None
        registration.save()
        for upload, mime in uploads:
            RegistrationFile.objects.create(
                registration=registration,
                file=upload,
                original_name=upload.name[:255],
                content_type=mime,
                size=upload.size,
            )
        event = RegistrationEvent.objects.create(
            registration=registration, action=Action.SUBMIT, to_status=Status.RECEIVED
        )
        transaction.on_commit(lambda: notify.received(registration, event))
    return registration


def _unused_code() -> str:
    # 31⁸ codes make a collision unlikely; the unique index still guards the impossible race.
    while True:
        code = new_code()
        if not Registration.objects.filter(code=code).exists():
            return code


# --- Suggested facilities ----------------------------------------------------------------------

# Words naming a legal form, dropped before comparing names ("Công ty TNHH Chè Xanh" ~ "Chè Xanh").
LEGAL_FORM_WORDS = (
    "cong ty trach nhiem huu han",
    "cong ty co phan",
    "cong ty tnhh",
    "cong ty cp",
    "cong ty",
    "doanh nghiep tu nhan",
    "dntn",
    "hop tac xa",
    "htx",
    "to hop tac",
    "ho kinh doanh",
    "hkd",
    "co so san xuat",
    "co so",
)
MIN_NAME_LENGTH = 3


def core_name(name: str) -> str:
    """The normalised name without its legal-form words: 'HTX Mây tre ĐỨC Thành' -> 'may tre duc
    thanh'."""
    text = normalise(name)
    changed = True
    while changed:
        changed = False
        for words in LEGAL_FORM_WORDS:
            if text.startswith(words + " "):
                text = text[len(words) + 1 :]
                changed = True
    return text


@dataclass
class Suggestion:
    facility: Facility
    by_tax_code: bool
    by_name: bool


def matchable_facilities(registration, user):
    """Facilities a registration may be matched to: the user's, in the province's lineage."""
    return Facility.objects.visible_to(user).filter(
        province__in=registration.province.lineage_slugs()
    )


def _tax_head(tax_code: str | None) -> str:
    """The enterprise's ten digits without a branch suffix ('0101234567-001' -> '0101234567')."""
    return (tax_code or "").split("-")[0]


def suggestions(registration, user, limit: int = 10) -> list[Suggestion]:
    """Existing facilities that may be the applicant: same tax code (branch suffix ignored), or
    the same name once case, diacritics and legal-form words are ignored; tax codes first."""
    head, name = _tax_head(registration.tax_code), core_name(registration.name)
    by_name_possible = len(name) >= MIN_NAME_LENGTH
    condition = Q(pk__in=[])
    if head:
        condition |= Q(tax_code=head) | Q(tax_code__startswith=head + "-")
    if by_name_possible:
        # The folded name is inside search_text; the Python check below drops address matches.
        condition |= Q(search_text__contains=name)
    candidates = matchable_facilities(registration, user).filter(condition)
    found = []
    for facility in candidates.select_related("province").order_by("name", "pk")[: limit * 3]:
        by_tax = bool(head) and _tax_head(facility.tax_code) == head
        by_name = by_name_possible and name in core_name(facility.name)
        if by_tax or by_name:
            found.append(Suggestion(facility, by_tax, by_name))
    found.sort(key=lambda s: (not s.by_tax_code, not s.by_name))
    return found[:limit]


# --- The centre's steps ------------------------------------------------------------------------


def review(registration_id: int, user) -> Registration:
    """The centre takes a received registration up: it is now being reviewed."""
    with transaction.atomic():
        registration = _locked(registration_id, user)
        if registration.status != Status.RECEIVED:
            raise StateConflict(_("Hồ sơ đã được nhận xem xét."))
        _record(registration, Action.REVIEW, user, Status.REVIEWING)
    return registration


def _check_matchable(registration, user, facility) -> Facility:
    if not matchable_facilities(registration, user).filter(pk=facility.pk).exists():
        raise ValidationError(
            {"facility": _("Chỉ chọn được cơ sở của tỉnh %(p)s.") % {"p": registration.province}}
        )
    return facility


def match(registration_id: int, user, facility: Facility) -> Registration:
    """Record that the applicant is this existing facility; the registration is under review."""
    with transaction.atomic():
        registration = _locked(registration_id, user)
        _match(registration, user, facility, Status.REVIEWING)
    return registration


def _match(registration, user, facility, to_status):
    _check_matchable(registration, user, facility)
    registration.facility = facility
    _record(registration, Action.MATCH, user, to_status, comment=facility.name, facility=facility)


def facility_data(registration) -> dict:
    """The registration's facility details as FacilityForm data."""
    return {
        "name": registration.name,
        "legal_form": registration.legal_form,
        "tax_code": registration.tax_code,
        "province": registration.province_id,
        "address": registration.address,
        "sector": registration.sector,
        "employees": "" if registration.employees is None else registration.employees,
        "area_class": AreaClass.NORMAL,
        "representative": registration.representative,
        "phone": registration.phone,
        "email": registration.email,
    }


def create_facility(registration_id: int, user) -> Facility:
    """Enter the applicant as a new facility, with the same checks as the facility form."""
    with transaction.atomic():
        registration = _locked(registration_id, user)
        return _create_facility(registration, user, Status.REVIEWING)


def _create_facility(registration, user, to_status) -> Facility:
    if registration.facility_id:
        raise ValidationError(
            {
                "facility": _("Hồ sơ đã gắn với cơ sở %(name)s.")
                % {"name": registration.facility.name}
            }
        )
    try:
        facility = save_facility(user, facility_data(registration))
    except ValidationError as error:
        labels = {name: field.label for name, field in FacilityForm.base_fields.items()}
        messages = [
            f"{labels.get(name, '')}: {strip_tags(str(m))}"
            for name, errors in error.update_error_dict({}).items()
            for m in errors
        ]
        raise ValidationError({"facility": messages}) from error
    registration.facility = facility
    _record(
        registration,
        Action.CREATE_FACILITY,
        user,
        to_status,
        comment=facility.name,
        facility=facility,
    )
    return facility


def proposal_defaults(registration) -> dict:
    """What the draft proposal starts from; the centre may change any of it."""
    year = timezone.localdate().year
    return {
        "code": f"DK-{year}-{registration.code.removeprefix('KC-')}",
        "title": f"{registration.need} — {registration.name}"[:500],
        "year": year,
        "fund": DEFAULT_FUND,
        "content": registration.content_id,
        "implementing_unit": _("Trung tâm Khuyến công %(province)s")
        % {"province": registration.province.name},
        "support_vnd": registration.requested_support_vnd,
        "counterpart_vnd": registration.counterpart_vnd,
    }


def convert(registration_id: int, user, facility: Facility | None = None, **fields) -> Proposal:
    """Turn a registration into a draft proposal of its province, with the facility as the one
    beneficiary; the registration is then accepted and points at the proposal.

    `fields` override `proposal_defaults` (code, title, year, fund, content, implementing_unit,
    support_vnd, counterpart_vnd). Without `facility`, the one matched earlier is used, else one
    is created from the registration. All proposal rules apply (`save_proposal`); on any error
    nothing is saved. The applicant hears once, of the outcome.
    """
    with transaction.atomic():
        registration = _locked(registration_id, user)
        data = {**proposal_defaults(registration), **fields}
        # Matching or creating on the way keeps the status: the one change is to accepted.
        if facility is not None and facility.pk != registration.facility_id:
            _match(registration, user, facility, registration.status)
        elif facility is None:
            facility = registration.facility or _create_facility(
                registration, user, registration.status
            )
        fund, content = data["fund"], data["content"]
        proposal = Proposal(
            code=data["code"],
            title=data["title"],
            year=data["year"],
            province=registration.province,
            implementing_unit=data["implementing_unit"],
            fund_id=getattr(fund, "pk", fund),
            content_id=getattr(content, "pk", content),
            kind=Kind.SINGLE,
            objectives=registration.description,
            support_vnd=data["support_vnd"],
            counterpart_vnd=data["counterpart_vnd"],
        )
        beneficiary = Beneficiary(
            facility=facility,
            support_vnd=data["support_vnd"],
            counterpart_vnd=data["counterpart_vnd"],
        )
        save_proposal(proposal, user, beneficiaries=[beneficiary], indicators=[])
        _copy_files(registration, proposal, user)
        registration.proposal = proposal
        _record(
            registration,
            Action.CONVERT,
            user,
            Status.ACCEPTED,
            comment=_("Dự thảo đề án %(code)s") % {"code": proposal.code},
            facility=facility,
            proposal=proposal,
        )
    return proposal


def _copy_files(registration, proposal, user) -> None:
    """The applicant's documents become the proposal's attachments (copies: each file has one
    owner, and the proposal's files live under its own folder)."""
    for item in registration.files.all():
        try:
            source = item.file.open("rb")
        except FileNotFoundError:
            # A file lost from storage must not block the proposal; the registration lists it.
            log.warning("Registration %s: file %s is missing", registration.code, item.file.name)
            continue
        with source:
            description = _("Hồ sơ đăng ký trực tuyến %(code)s") % {"code": registration.code}
            attach(proposal, File(source, name=item.original_name), user, description)


def decline(registration_id: int, user, reason: str) -> Registration:
    """Decline with a reason the applicant will read on the status page and in the mail."""
    reason = (reason or "").strip()
    with transaction.atomic():
        registration = _locked(registration_id, user)
        if not reason:
            raise ValidationError(
                {"reason": _("Hãy nêu lý do không hỗ trợ; người đăng ký sẽ đọc lý do này.")}
            )
        registration.decline_reason = reason
        _record(registration, Action.DECLINE, user, Status.DECLINED, comment=reason)
    return registration
