"""The proposal lifecycle (SPEC §5): one table, one function that performs a transition.

Pages, the API, the action buttons and the tests all read `TRANSITIONS`. Action keys are ASCII
and stable; only their labels are translated.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from funding.models import Allocation, Fund
from khuyencong import access
from khuyencong.errors import DomainError, NotPermitted, StateConflict
from khuyencong.money import format_trieu
from khuyencong.roles import Role
from proposals import budget, implementation, notify
from proposals.attachments import check_upload
from proposals.models import (
    Acceptance,
    Attachment,
    Payment,
    Proposal,
    ProposalEvent,
    Settlement,
    State,
    check_beneficiary_sums,
)

ANY_FUND = (Fund.NATIONAL, Fund.PROVINCIAL, Fund.DISTRICT)
LOCAL_FUNDS = Fund.LOCAL
NATIONAL_ONLY = (Fund.NATIONAL,)

# Field groups a transition may require.
COMMENT = ("comment",)
DECISION = ("decision_number", "decision_date", "approved_support_vnd")
ACTUALS = ("support_vnd", "counterpart_vnd", "other_vnd")
ACCEPTANCE_EXTRAS = ("council", "accepted_on")
# Settlement figures default to the accepted ones.
SETTLEMENT = ("decision_number", "decision_date") + ACTUALS


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    role: str
    funds: tuple[str, ...] = ANY_FUND
    requires: tuple[str, ...] = ()
    # Fields taken when given (the API contract of SPEC §9 must keep working without them).
    optional: tuple[str, ...] = ()

    def applies_to(self, proposal) -> bool:
        return proposal.state in self.sources and proposal.fund_id in self.funds


S = State
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        pgettext_lazy("action", "Gửi thẩm định"),
        (S.DRAFT, S.RETURNED),
        S.SUBMITTED,
        Role.CENTRE,
    ),
    Transition(
        "withdraw",
        pgettext_lazy("action", "Rút đề án"),
        (S.DRAFT, S.SUBMITTED),
        S.WITHDRAWN,
        Role.CENTRE,
        requires=COMMENT,
    ),
    Transition(
        "return",
        pgettext_lazy("action", "Trả lại để sửa"),
        (S.SUBMITTED,),
        S.RETURNED,
        Role.DEPARTMENT,
        requires=COMMENT,
    ),
    Transition(
        "return",
        pgettext_lazy("action", "Trả lại để sửa"),
        (S.APPRAISED,),
        S.RETURNED,
        Role.MINISTRY,
        NATIONAL_ONLY,
        requires=COMMENT,
    ),
    Transition(
        "forward",
        pgettext_lazy("action", "Thẩm định, trình Bộ"),
        (S.SUBMITTED,),
        S.APPRAISED,
        Role.DEPARTMENT,
        NATIONAL_ONLY,
    ),
    Transition(
        "approve",
        pgettext_lazy("action", "Phê duyệt"),
        (S.SUBMITTED,),
        S.APPROVED,
        Role.DEPARTMENT,
        LOCAL_FUNDS,
        requires=DECISION,
    ),
    Transition(
        "approve",
        pgettext_lazy("action", "Phê duyệt"),
        (S.APPRAISED,),
        S.APPROVED,
        Role.MINISTRY,
        NATIONAL_ONLY,
        requires=DECISION,
    ),
    Transition(
        "reject",
        pgettext_lazy("action", "Không phê duyệt"),
        (S.SUBMITTED,),
        S.REJECTED,
        Role.DEPARTMENT,
        requires=COMMENT,
    ),
    Transition(
        "reject",
        pgettext_lazy("action", "Không phê duyệt"),
        (S.APPRAISED,),
        S.REJECTED,
        Role.MINISTRY,
        NATIONAL_ONLY,
        requires=COMMENT,
    ),
    Transition(
        "start",
        pgettext_lazy("action", "Bắt đầu thực hiện"),
        (S.APPROVED,),
        S.IN_PROGRESS,
        Role.CENTRE,
    ),
    Transition(
        "accept",
        pgettext_lazy("action", "Nghiệm thu"),
        (S.IN_PROGRESS,),
        S.ACCEPTED,
        Role.DEPARTMENT,
        requires=ACTUALS,
        optional=ACCEPTANCE_EXTRAS,
    ),
    Transition(
        "settle",
        pgettext_lazy("action", "Quyết toán"),
        (S.ACCEPTED,),
        S.SETTLED,
        Role.DEPARTMENT,
        optional=SETTLEMENT,
    ),
    Transition(
        "cancel",
        pgettext_lazy("action", "Hủy đề án"),
        (S.APPROVED, S.IN_PROGRESS),
        S.CANCELLED,
        Role.DEPARTMENT,
        LOCAL_FUNDS,
        requires=COMMENT,
    ),
    Transition(
        "cancel",
        pgettext_lazy("action", "Hủy đề án"),
        (S.APPROVED, S.IN_PROGRESS),
        S.CANCELLED,
        Role.MINISTRY,
        NATIONAL_ONLY,
        requires=COMMENT,
    ),
)
ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}
# States in which the centre may still edit the proposal itself.
EDITABLE_STATES = (S.DRAFT, S.RETURNED)


# The lifecycle's refusals are the domain's (khuyencong.errors); TransitionError catches them all.
TransitionError = DomainError


def _holds_role(user, transition, proposal) -> bool:
    return access.has_role(user, transition.role, proposal.province_id)


def rows_for_role(user, proposal, action) -> list[Transition]:
    """Rows for `action` that the user's roles hold for this proposal's fund, in any state.

    Empty means the role may never do this here (403); non-empty but not applying to the
    current state means the state moved on (409).
    """
    return [
        t
        for t in TRANSITIONS
        if t.action == action and proposal.fund_id in t.funds and _holds_role(user, t, proposal)
    ]


def transitions_for(user, proposal, action=None) -> list[Transition]:
    """Rows of the table the user's roles could perform on this proposal in its state."""
    return [
        t
        for t in TRANSITIONS
        if (action is None or t.action == action)
        and t.applies_to(proposal)
        and _holds_role(user, t, proposal)
    ]


def check_preconditions(transition, proposal, amount_vnd=None) -> tuple[bool, str]:
    """(allowed, reason) for the business rules beyond state and role."""
    if transition.action == "submit":
        if not proposal.province.existed_in(proposal.year):
            return False, _("Tỉnh của đề án không còn tồn tại vào năm %(year)s.") % {
                "year": proposal.year
            }
        if proposal.support_vnd <= 0:
            return False, _("Đề án chưa có kinh phí khuyến công hỗ trợ.")
        try:
            check_beneficiary_sums(proposal, proposal.beneficiaries.all())
        except ValidationError as error:
            return False, " ".join(error.messages)
    if transition.action == "approve":
        remaining = budget.remaining_for(proposal)
        if remaining is None:
            return False, _(
                "Chưa có phân bổ kinh phí %(fund)s năm %(year)s cho %(province)s; "
                "chưa thể phê duyệt."
            ) % {"fund": proposal.fund.name, "year": proposal.year, "province": proposal.province}
        wanted = proposal.support_vnd if amount_vnd is None else amount_vnd
        if wanted > remaining:
            return False, _(
                "Vượt phân bổ: còn lại %(remaining)s triệu đồng, đề nghị phê duyệt %(wanted)s "
                "triệu đồng."
            ) % {"remaining": format_trieu(remaining), "wanted": format_trieu(wanted)}
    return True, ""


@dataclass
class AvailableAction:
    action: str
    label: str
    allowed: bool
    reason: str
    requires: tuple[str, ...]


def available_actions(user, proposal) -> list[AvailableAction]:
    """Every action the user's roles give on this proposal now, with why a disabled one is."""
    found = []
    for t in transitions_for(user, proposal):
        allowed, reason = check_preconditions(t, proposal)
        found.append(AvailableAction(t.action, str(t.label), allowed, reason, t.requires))
    return found


def allowed_action_keys(user, proposal) -> list[str]:
    # Keys only: translating every label of every row is what made API lists slow.
    return [
        t.action for t in transitions_for(user, proposal) if check_preconditions(t, proposal)[0]
    ]


def queue_for(user):
    """Proposals waiting for something this user may do (the 'waiting for me' list)."""
    condition = Q(pk__in=[])
    for t in TRANSITIONS:
        if t.action in ("withdraw", "cancel", "reject", "return"):
            continue  # possible, but never what a proposal is waiting for
        slugs = access.province_slugs_for_role(user, t.role)
        if slugs is not None and not slugs:
            continue
        clause = Q(state__in=t.sources, fund__in=t.funds)
        if slugs is not None:
            clause &= Q(province__in=slugs)
        condition |= clause
    return Proposal.objects.visible_to(user).filter(condition)


def _clean_payload(transition, proposal, data) -> dict:
    """Validate the fields the transition requires; raise ValidationError by field."""
    errors, clean = {}, {"comment": (data.get("comment") or "").strip()}
    for name in transition.requires + transition.optional:
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if name in transition.requires:
                errors[name] = _("Trường này là bắt buộc.")
            continue
        if name.endswith("_vnd"):
            if isinstance(value, bool) or not isinstance(value, int):
                errors[name] = _("Số tiền phải là số nguyên đồng.")
            elif value < 0:
                errors[name] = _("Số tiền không được âm.")
            else:
                clean[name] = value
        elif name in ("decision_date", "accepted_on"):
            if not isinstance(value, datetime.date):
                errors[name] = _("Ngày không hợp lệ.")
            elif value > timezone.localdate():
                errors[name] = _("Ngày không được ở tương lai.")
            else:
                clean[name] = value
        elif name == "comment":
            if not clean["comment"]:
                errors[name] = _("Hãy ghi rõ lý do.")
        else:
            clean[name] = str(value).strip()
    if transition.action == "settle":
        for name, final in (
            ("support_vnd", proposal.final_support_vnd),
            ("counterpart_vnd", proposal.final_counterpart_vnd),
            ("other_vnd", proposal.final_other_vnd),
        ):
            clean.setdefault(name, final or 0)
        clean.setdefault("decision_number", "")
        clean.setdefault("decision_date", None)
    if transition.action in ("accept", "settle") and "support_vnd" in clean:
        approved = proposal.approved_support_vnd or 0
        if clean["support_vnd"] > approved:
            errors["support_vnd"] = _(
                "Kinh phí hỗ trợ thực tế không được vượt kinh phí phê duyệt (%(v)s triệu đồng)."
            ) % {"v": format_trieu(approved)}
    if transition.action == "settle" and "support_vnd" in clean:
        paid = implementation.paid_vnd(proposal)
        if clean["support_vnd"] < paid:
            errors["support_vnd"] = _(
                "Kinh phí quyết toán thấp hơn số đã thanh toán (%(v)s triệu đồng)."
            ) % {"v": format_trieu(paid)}
    if transition.action == "accept":
        clean.update(_clean_acceptance_extras(proposal, clean, data, errors))
    if "approved_support_vnd" in clean and clean["approved_support_vnd"] > proposal.support_vnd:
        errors["approved_support_vnd"] = _(
            "Kinh phí phê duyệt không được vượt kinh phí đề nghị (%(v)s triệu đồng)."
        ) % {"v": format_trieu(proposal.support_vnd)}
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_acceptance_extras(proposal, clean, data, errors) -> dict:
    """Per-beneficiary and indicator actuals given with an acceptance, checked for sense."""
    extras = {
        "accepted_on": clean.get("accepted_on") or timezone.localdate(),
        "council": clean.get("council", ""),
        "minutes": data.get("minutes"),
    }
    actuals = data.get("beneficiary_actuals") or {}
    beneficiaries = set(proposal.beneficiaries.values_list("pk", flat=True))
    if actuals:
        support = sum(s for s, _c in actuals.values())
        counterpart = sum(c for _s, c in actuals.values())
        if set(actuals) != beneficiaries:
            errors["beneficiary_actuals"] = _("Hãy nhập số thực tế cho mọi cơ sở thụ hưởng.")
        elif "support_vnd" in clean and support != clean["support_vnd"]:
            errors["beneficiary_actuals"] = _(
                "Tổng hỗ trợ thực tế của các cơ sở (%(a)s) khác của đề án (%(b)s triệu đồng)."
            ) % {"a": format_trieu(support), "b": format_trieu(clean["support_vnd"])}
        elif "counterpart_vnd" in clean and counterpart != clean["counterpart_vnd"]:
            errors["beneficiary_actuals"] = _(
                "Tổng đối ứng thực tế của các cơ sở (%(a)s) khác của đề án (%(b)s triệu đồng)."
            ) % {"a": format_trieu(counterpart), "b": format_trieu(clean["counterpart_vnd"])}
    extras["beneficiary_actuals"] = actuals
    indicator_actuals = data.get("indicator_actuals") or {}
    if set(indicator_actuals) - set(proposal.indicators.values_list("pk", flat=True)):
        errors["indicator_actuals"] = _("Chỉ tiêu không thuộc đề án này.")
    extras["indicator_actuals"] = indicator_actuals
    return extras


def perform(proposal_id: int, action: str, user, data: dict | None = None) -> Proposal:
    """Perform `action` on a proposal as `user`, atomically and serialised.

    Locks the proposal row (and the allocation for an approval), re-checks state, role and
    allocation under the lock, writes a ProposalEvent and bumps the version. Raises
    NotPermitted (403), StateConflict (409), ValidationError or TransitionError (400).
    """
    data = data or {}
    if action not in ACTIONS:
        raise TransitionError(_("Thao tác không hợp lệ: %(a)s.") % {"a": action})
    with transaction.atomic():
        # Only the proposal's row: the joined province and fund rows are shared by every
        # proposal of the province and of the fund, and locking them serialised (and deadlocked)
        # unrelated transitions.
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("province", "fund")
            .get(pk=proposal_id)
        )
        expected_version = data.get("version")
        if expected_version is not None and int(expected_version) != proposal.version:
            raise StateConflict(
                _(
                    "Đề án vừa được người khác thay đổi (trạng thái hiện tại: %(s)s). "
                    "Hãy tải lại trang."
                )
                % {"s": proposal.get_state_display()}
            )
        candidates = rows_for_role(user, proposal, action)
        if not candidates:
            raise NotPermitted(_("Vai trò của bạn không được thực hiện thao tác này."))
        matching = [t for t in candidates if t.applies_to(proposal)]
        if not matching:
            raise StateConflict(
                _("Không thể %(action)s: đề án đang ở trạng thái “%(state)s”.")
                % {
                    "action": str(ACTION_LABELS[action]).lower(),
                    "state": proposal.get_state_display(),
                }
            )
        transition = matching[0]
        clean = _clean_payload(transition, proposal, data)
        if transition.action == "approve":
            # Lock the allocation so concurrent approvals of other proposals queue behind us.
            # Always after the proposal's row (one order everywhere), and no ordering joins.
            Allocation.objects.select_for_update(of=("self",)).filter(
                province_id=proposal.province_id, year=proposal.year, fund_id=proposal.fund_id
            ).order_by("pk").first()
        allowed, reason = check_preconditions(
            transition, proposal, clean.get("approved_support_vnd")
        )
        if not allowed:
            raise TransitionError(reason)

        event = ProposalEvent(
            proposal=proposal,
            action=action,
            from_state=proposal.state,
            to_state=transition.target,
            actor=user,
            comment=clean["comment"],
        )
        _apply(transition, proposal, clean, event)
        proposal.state = transition.target
        proposal.version += 1  # safe: we hold the row lock
        proposal._change_reason = action
        proposal.save()
        event.save()
        _write_records(transition, proposal, clean, user)
        transaction.on_commit(lambda: notify.notify(proposal, event))
    return proposal


def _apply(transition, proposal, clean, event) -> None:
    """What each action writes besides the state."""
    if transition.action == "approve":
        proposal.decision_number = clean["decision_number"]
        proposal.decision_date = clean["decision_date"]
        proposal.approved_support_vnd = clean["approved_support_vnd"]
        proposal.record_final_figures(
            clean["approved_support_vnd"], proposal.counterpart_vnd, proposal.other_vnd
        )
        event.decision_number = clean["decision_number"]
        event.decision_date = clean["decision_date"]
        event.support_vnd = clean["approved_support_vnd"]
        event.counterpart_vnd = proposal.counterpart_vnd
        event.other_vnd = proposal.other_vnd
    elif transition.action in ("accept", "settle"):
        proposal.record_final_figures(
            clean["support_vnd"], clean["counterpart_vnd"], clean["other_vnd"]
        )
        event.support_vnd = clean["support_vnd"]
        event.counterpart_vnd = clean["counterpart_vnd"]
        event.other_vnd = clean["other_vnd"]
        if transition.action == "settle":
            event.decision_number = clean["decision_number"]
            event.decision_date = clean["decision_date"]
    elif transition.action == "cancel":
        # Record what had been paid; requests still pending will never be paid.
        event.support_vnd = implementation.paid_vnd(proposal)
        proposal.payments.filter(state=Payment.Status.REQUESTED).update(
            state=Payment.Status.REFUSED, reason=_("Đề án đã hủy."), decided_at=timezone.now()
        )


def _write_records(transition, proposal, clean, user) -> None:
    """The acceptance and settlement records that go with those two actions."""
    if transition.action == "accept":
        minutes = None
        if clean.get("minutes") is not None:
            upload = clean["minutes"]
            minutes = Attachment.objects.create(
                proposal=proposal,
                file=upload,
                original_name=upload.name[:255],
                content_type=check_upload(upload),
                size=upload.size,
                description=_("Biên bản nghiệm thu"),
                uploaded_by=user,
            )
        Acceptance.objects.create(
            proposal=proposal,
            accepted_on=clean["accepted_on"],
            total_cost_vnd=clean["support_vnd"] + clean["counterpart_vnd"] + clean["other_vnd"],
            support_vnd=clean["support_vnd"],
            counterpart_vnd=clean["counterpart_vnd"],
            other_vnd=clean["other_vnd"],
            council=clean["council"],
            minutes=minutes,
            created_by=user,
        )
        for beneficiary in proposal.beneficiaries.all():
            if beneficiary.pk in clean["beneficiary_actuals"]:
                support, counterpart = clean["beneficiary_actuals"][beneficiary.pk]
                beneficiary.actual_support_vnd = support
                beneficiary.actual_counterpart_vnd = counterpart
                beneficiary.save(update_fields=["actual_support_vnd", "actual_counterpart_vnd"])
        for indicator in proposal.indicators.filter(pk__in=clean["indicator_actuals"]):
            indicator.actual = clean["indicator_actuals"][indicator.pk]
            indicator.save(update_fields=["actual"])
    elif transition.action == "settle":
        Settlement.objects.create(
            proposal=proposal,
            decision_number=clean["decision_number"],
            decision_date=clean["decision_date"],
            support_vnd=clean["support_vnd"],
            counterpart_vnd=clean["counterpart_vnd"],
            other_vnd=clean["other_vnd"],
            created_by=user,
        )
