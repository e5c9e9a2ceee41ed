"""The proposal lifecycle (SPEC §5): one table, the state groups beside it, one function that
performs a transition.

Pages, the API, the action buttons, the demo data, the generator and the tests read
`TRANSITIONS`; the business rules of a step live in the hooks its row names (`check`, `clean`,
`apply`). Action keys are ASCII and stable; only their labels are translated. Who holds a role
is `proposals.permissions`'s to say.
"""

import datetime
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from funding.models import Allocation, Fund
from khuyencong import validators
from khuyencong.errors import DomainError, Invalid, NotPermitted, StateConflict
from khuyencong.money import check_vnd, format_trieu
from khuyencong.roles import Role
from proposals import budget, notify, permissions
from proposals.attachments import attach
from proposals.models import (
    Acceptance,
    OutcomeIndicator,
    Payment,
    Proposal,
    ProposalEvent,
    Settlement,
    State,
    check_beneficiary_sums,
)

S = State

# --- State groups: what a state means beyond the table ------------------------------------------

# The centre may still edit the proposal itself.
EDITABLE_STATES = (S.DRAFT, S.RETURNED)
# Reports and allocations count a proposal from approval on (SPEC §6).
COUNTED_STATES = (S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED)
# Accepted (and settled): the actual figures stand, the final payment is due.
ACCEPTED_STATES = (S.ACCEPTED, S.SETTLED)
# Advances may be requested before acceptance, the final payment after it (SPEC §4).
ADVANCE_STATES = (S.APPROVED, S.IN_PROGRESS)
FINAL_PAYMENT_STATES = (S.ACCEPTED,)
PAYABLE_STATES = ADVANCE_STATES + FINAL_PAYMENT_STATES
# Monthly progress is reported while the work is under way.
REPORTING_STATES = (S.IN_PROGRESS,)
# The file is closed: nothing more may be attached.
CLOSED_STATES = (S.SETTLED, S.REJECTED, S.WITHDRAWN, S.CANCELLED)
OPEN_STATES = tuple(s for s in S if s not in CLOSED_STATES)
# Implementation was decided (a cancelled proposal may have been paid): its section is shown.
IMPLEMENTATION_STATES = COUNTED_STATES + (S.CANCELLED,)
# Until settlement, payments are decided and progress commented on.
UNSETTLED_STATES = tuple(s for s in S if s != S.SETTLED)

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


# --- The hooks the rows name --------------------------------------------------------------------
# check(proposal, amount_vnd) -> (allowed, reason): the business rules beyond state and role,
#   asked for the buttons and again under the lock.
# clean(proposal, clean, data, errors): the step's own payload rules, adding to `errors`.
# apply(proposal, clean, event, user): what the step writes besides the state and the event.


def _check_submittable(proposal, amount_vnd=None) -> tuple[bool, str]:
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
    return True, ""


def _check_allocation(proposal, amount_vnd=None) -> tuple[bool, str]:
    remaining = budget.remaining_for(proposal)
    if remaining is None:
        return False, _(
            "Chưa có phân bổ kinh phí %(fund)s năm %(year)s cho %(province)s; chưa thể phê duyệt."
        ) % {"fund": proposal.fund.name, "year": proposal.year, "province": proposal.province}
    wanted = proposal.support_vnd if amount_vnd is None else amount_vnd
    if wanted > remaining:
        return False, _(
            "Vượt phân bổ: còn lại %(remaining)s triệu đồng, đề nghị phê duyệt %(wanted)s "
            "triệu đồng."
        ) % {"remaining": format_trieu(remaining), "wanted": format_trieu(wanted)}
    return True, ""


def _clean_approval(proposal, clean, data, errors) -> None:
    if "approved_support_vnd" in clean and clean["approved_support_vnd"] > proposal.support_vnd:
        errors["approved_support_vnd"] = _(
            "Kinh phí phê duyệt không được vượt kinh phí đề nghị (%(v)s triệu đồng)."
        ) % {"v": format_trieu(proposal.support_vnd)}


def _apply_approval(proposal, clean, event, user) -> None:
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


def _within_approved(proposal, clean, errors) -> None:
    approved = proposal.approved_support_vnd or 0
    if "support_vnd" in clean and clean["support_vnd"] > approved:
        errors["support_vnd"] = _(
            "Kinh phí hỗ trợ thực tế không được vượt kinh phí phê duyệt (%(v)s triệu đồng)."
        ) % {"v": format_trieu(approved)}


def _record_actuals(proposal, clean, event) -> None:
    proposal.record_final_figures(
        clean["support_vnd"], clean["counterpart_vnd"], clean["other_vnd"]
    )
    event.support_vnd = clean["support_vnd"]
    event.counterpart_vnd = clean["counterpart_vnd"]
    event.other_vnd = clean["other_vnd"]


def _clean_acceptance(proposal, clean, data, errors) -> None:
    """Per-beneficiary and indicator actuals given with an acceptance, checked for sense."""
    _within_approved(proposal, clean, errors)
    clean["accepted_on"] = clean.get("accepted_on") or timezone.localdate()
    clean["council"] = clean.get("council", "")
    clean["minutes"] = data.get("minutes")
    actuals = _beneficiary_actuals(proposal, data, errors)
    beneficiaries = set(proposal.beneficiaries.values_list("pk", flat=True))
    if actuals:
        support = sum(s for s, _c in actuals.values())
        counterpart = sum(c for _s, c in actuals.values())
        if set(actuals) != beneficiaries:
            errors["beneficiaries"] = _("Hãy nhập số thực tế cho mọi cơ sở thụ hưởng.")
        elif "support_vnd" in clean and support != clean["support_vnd"]:
            errors["beneficiaries"] = _(
                "Tổng hỗ trợ thực tế của các cơ sở (%(a)s) khác của đề án (%(b)s triệu đồng)."
            ) % {"a": format_trieu(support), "b": format_trieu(clean["support_vnd"])}
        elif "counterpart_vnd" in clean and counterpart != clean["counterpart_vnd"]:
            errors["beneficiaries"] = _(
                "Tổng đối ứng thực tế của các cơ sở (%(a)s) khác của đề án (%(b)s triệu đồng)."
            ) % {"a": format_trieu(counterpart), "b": format_trieu(clean["counterpart_vnd"])}
    clean["beneficiary_actuals"] = actuals
    clean["indicator_actuals"], clean["unplanned_indicators"] = _indicator_actuals(
        proposal, data, errors
    )


def _beneficiary_actuals(proposal, data, errors) -> dict:
    """{beneficiary pk: (support, counterpart)} from the page's rows (`beneficiary_actuals`, by
    beneficiary) or the API's `beneficiaries` [{"facility", "support_vnd", "counterpart_vnd"}]."""
    actuals = dict(data.get("beneficiary_actuals") or {})
    rows = data.get("beneficiaries") or []
    if not rows:
        return actuals
    by_facility = dict(proposal.beneficiaries.values_list("facility_id", "pk"))
    for row in rows:
        facility = getattr(row["facility"], "pk", row["facility"])
        if facility not in by_facility:
            errors["beneficiaries"] = _(
                "Cơ sở %(id)s không phải cơ sở thụ hưởng của đề án này."
            ) % {"id": facility}
            continue
        if by_facility[facility] in actuals:
            errors["beneficiaries"] = _("Một cơ sở chỉ được nêu một lần.")
        actuals[by_facility[facility]] = (
            row.get("support_vnd") or 0,
            row.get("counterpart_vnd") or 0,
        )
    return actuals


def _indicator_actuals(proposal, data, errors) -> tuple[dict, dict]:
    """The actual of each indicator, as ({outcome row pk: actual}, {catalogue key: actual} for
    indicators achieved without being planned, added with planned empty).

    Rows come by the proposal's own row (`indicator_actuals`, the page's planned rows, "other"
    ones included) or in `indicators` [{"indicator": key, "actual"}] (the API, and the page's
    added rows); a key the proposal planned records that row's actual. An "other" row is named
    in `indicators` by its text: {"indicator": null, "name", "actual"}.
    """
    rows = list(proposal.indicators.all())
    by_row = dict(data.get("indicator_actuals") or {})
    if set(by_row) - {row.pk for row in rows}:
        errors["indicators"] = _("Chỉ tiêu không thuộc đề án này.")
    planned_keys = {row.indicator_id: row.pk for row in rows if row.indicator_id}
    others = {row.name: row.pk for row in rows if not row.indicator_id}
    unplanned, seen = {}, set()
    for item in data.get("indicators") or []:
        key = getattr(item.get("indicator"), "pk", item.get("indicator"))
        actual = item.get("actual")
        if actual is None or actual < 0:
            errors["indicators"] = _("Số thực hiện phải là số nguyên không âm.")
            continue
        if key is None:
            name = (item.get("name") or "").strip()
            if name not in others:
                errors["indicators"] = _(
                    "Đề án không có chỉ tiêu khác “%(name)s”; chỉ tiêu trong danh mục hãy nêu mã."
                ) % {"name": name}
                continue
            target = ("row", others[name])
        elif key in planned_keys:
            target = ("row", planned_keys[key])
        else:
            target = ("key", key)
        if target in seen:
            errors["indicators"] = _("Một chỉ tiêu chỉ được nêu một lần.")
        seen.add(target)
        if target[0] == "row":
            by_row[target[1]] = actual
        else:
            unplanned[key] = actual
    return by_row, unplanned


def _apply_acceptance(proposal, clean, event, user) -> None:
    """The accepted figures, the acceptance record (with its minutes) and the actuals."""
    _record_actuals(proposal, clean, event)
    minutes = None
    if clean.get("minutes") is not None:
        minutes = attach(proposal, clean["minutes"], user, _("Biên bản nghiệm thu"))
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
    OutcomeIndicator.objects.bulk_create(
        OutcomeIndicator(proposal=proposal, indicator_id=key, planned=None, actual=actual)
        for key, actual in clean["unplanned_indicators"].items()
    )


def _clean_settlement(proposal, clean, data, errors) -> None:
    """Settled figures default to the accepted ones; never above approval nor below payments."""
    for name, final in (
        ("support_vnd", proposal.final_support_vnd),
        ("counterpart_vnd", proposal.final_counterpart_vnd),
        ("other_vnd", proposal.final_other_vnd),
    ):
        clean.setdefault(name, final or 0)
    clean.setdefault("decision_number", "")
    clean.setdefault("decision_date", None)
    _within_approved(proposal, clean, errors)
    paid = proposal.payments.approved().total()
    if "support_vnd" not in errors and clean["support_vnd"] < paid:
        errors["support_vnd"] = _(
            "Kinh phí quyết toán thấp hơn số đã thanh toán (%(v)s triệu đồng)."
        ) % {"v": format_trieu(paid)}


def _apply_settlement(proposal, clean, event, user) -> None:
    _record_actuals(proposal, clean, event)
    event.decision_number = clean["decision_number"]
    event.decision_date = clean["decision_date"]
    Settlement.objects.create(
        proposal=proposal,
        decision_number=clean["decision_number"],
        decision_date=clean["decision_date"],
        support_vnd=clean["support_vnd"],
        counterpart_vnd=clean["counterpart_vnd"],
        other_vnd=clean["other_vnd"],
        created_by=user,
    )


def _apply_cancellation(proposal, clean, event, user) -> None:
    # Record what had been paid; requests still pending will never be paid.
    event.support_vnd = proposal.payments.approved().total()
    proposal.payments.filter(state=Payment.Status.REQUESTED).update(
        state=Payment.Status.REFUSED, reason=_("Đề án đã hủy."), decided_at=timezone.now()
    )


# --- The table ----------------------------------------------------------------------------------


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
    check: Callable | None = None
    clean: Callable | None = None
    apply: Callable | None = None
    # The step draws on the allocation: its row is locked (after the proposal's) before `check`.
    draws_on_allocation: bool = False

    def applies_to(self, proposal) -> bool:
        return proposal.state in self.sources and proposal.fund_id in self.funds


SUBMIT = pgettext_lazy("action", "Gửi thẩm định")
WITHDRAW = pgettext_lazy("action", "Rút đề án")
RETURN = pgettext_lazy("action", "Trả lại để sửa")
FORWARD = pgettext_lazy("action", "Thẩm định, trình Bộ")
APPROVE = pgettext_lazy("action", "Phê duyệt")
REJECT = pgettext_lazy("action", "Không phê duyệt")
START = pgettext_lazy("action", "Bắt đầu thực hiện")
ACCEPT = pgettext_lazy("action", "Nghiệm thu")
SETTLE = pgettext_lazy("action", "Quyết toán")
CANCEL = pgettext_lazy("action", "Hủy đề án")
T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T("submit", SUBMIT, (S.DRAFT, S.RETURNED), S.SUBMITTED, Role.CENTRE, check=_check_submittable),
    T("withdraw", WITHDRAW, (S.DRAFT, S.SUBMITTED), S.WITHDRAWN, Role.CENTRE, requires=COMMENT),
    T("return", RETURN, (S.SUBMITTED,), S.RETURNED, Role.DEPARTMENT, requires=COMMENT),
    T("return", RETURN, (S.APPRAISED,), S.RETURNED, Role.MINISTRY, NATIONAL_ONLY, COMMENT),
    T("forward", FORWARD, (S.SUBMITTED,), S.APPRAISED, Role.DEPARTMENT, NATIONAL_ONLY),
    T(
        "approve",
        APPROVE,
        (S.SUBMITTED,),
        S.APPROVED,
        Role.DEPARTMENT,
        LOCAL_FUNDS,
        DECISION,
        check=_check_allocation,
        clean=_clean_approval,
        apply=_apply_approval,
        draws_on_allocation=True,
    ),
    T(
        "approve",
        APPROVE,
        (S.APPRAISED,),
        S.APPROVED,
        Role.MINISTRY,
        NATIONAL_ONLY,
        DECISION,
        check=_check_allocation,
        clean=_clean_approval,
        apply=_apply_approval,
        draws_on_allocation=True,
    ),
    T("reject", REJECT, (S.SUBMITTED,), S.REJECTED, Role.DEPARTMENT, requires=COMMENT),
    T("reject", REJECT, (S.APPRAISED,), S.REJECTED, Role.MINISTRY, NATIONAL_ONLY, COMMENT),
    T("start", START, (S.APPROVED,), S.IN_PROGRESS, Role.CENTRE),
    T(
        "accept",
        ACCEPT,
        (S.IN_PROGRESS,),
        S.ACCEPTED,
        Role.DEPARTMENT,
        requires=ACTUALS,
        optional=ACCEPTANCE_EXTRAS,
        clean=_clean_acceptance,
        apply=_apply_acceptance,
    ),
    T(
        "settle",
        SETTLE,
        (S.ACCEPTED,),
        S.SETTLED,
        Role.DEPARTMENT,
        optional=SETTLEMENT,
        clean=_clean_settlement,
        apply=_apply_settlement,
    ),
    T(
        "cancel",
        CANCEL,
        (S.APPROVED, S.IN_PROGRESS),
        S.CANCELLED,
        Role.DEPARTMENT,
        LOCAL_FUNDS,
        COMMENT,
        apply=_apply_cancellation,
    ),
    T(
        "cancel",
        CANCEL,
        (S.APPROVED, S.IN_PROGRESS),
        S.CANCELLED,
        Role.MINISTRY,
        NATIONAL_ONLY,
        COMMENT,
        apply=_apply_cancellation,
    ),
)
ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}
# Possible, but never what a proposal is waiting for (the 'waiting for me' list).
SIDE_ACTIONS = ("withdraw", "cancel", "reject", "return")

# What a state allows besides transitions, for the writes `permissions.ROLE_CHECKS` names.
STATE_RULES = {
    "edit": (EDITABLE_STATES, gettext_lazy("Đề án ở trạng thái “%(s)s” không được sửa.")),
    "attach": (OPEN_STATES, gettext_lazy("Hồ sơ đề án đã đóng.")),
    "report_progress": (
        REPORTING_STATES,
        gettext_lazy("Chỉ báo cáo tiến độ khi đề án đang thực hiện."),
    ),
    "comment_progress": (UNSETTLED_STATES, gettext_lazy("Đề án đã quyết toán.")),
    "request_payment": (
        PAYABLE_STATES,
        gettext_lazy("Đề án ở trạng thái “%(s)s” không được đề nghị thanh toán."),
    ),
    "decide_payment": (UNSETTLED_STATES, gettext_lazy("Đề án đã quyết toán.")),
}

# The lifecycle's refusals are the domain's (khuyencong.errors); TransitionError catches them all.
TransitionError = DomainError


def path_to(state: str, fund: str) -> list[str]:
    """The shortest run of actions from draft to `state` for a proposal of `fund`, by the table.

    Raises ValueError for a state the fund can never reach (appraised for a local fund).
    """
    paths = {S.DRAFT.value: []}
    queue = deque([S.DRAFT.value])
    while queue:
        here = queue.popleft()
        for t in TRANSITIONS:
            if here in t.sources and fund in t.funds and t.target not in paths:
                paths[str(t.target)] = paths[here] + [t.action]
                queue.append(str(t.target))
    if state not in paths:
        raise ValueError(f"{state} cannot be reached on the {fund} fund")
    return paths[state]


def row_for(state: str, action: str, fund: str) -> Transition:
    """The table's row for `action` from `state` on `fund` (one at most)."""
    return next(
        t for t in TRANSITIONS if t.action == action and state in t.sources and fund in t.funds
    )


def rows_for_role(user, proposal, action) -> list[Transition]:
    """Rows for `action` that the user's roles hold for this proposal's fund, in any state.

    Empty means the role may never do this here (403); non-empty but not applying to the
    current state means the state moved on (409).
    """
    return [
        t
        for t in TRANSITIONS
        if t.action == action
        and proposal.fund_id in t.funds
        and permissions.holds_role(user, t.role, proposal)
    ]


def transitions_for(user, proposal, action=None) -> list[Transition]:
    """Rows of the table the user's roles could perform on this proposal in its state."""
    return [
        t
        for t in TRANSITIONS
        if (action is None or t.action == action)
        and t.applies_to(proposal)
        and permissions.holds_role(user, t.role, proposal)
    ]


def state_allows(proposal, action: str, user=None) -> tuple[bool, str]:
    """(allowed, reason) of the proposal's state alone for `action` (the role aside).

    For a transition, the rows of the user's roles when a user is given, else any row.
    """
    if action in STATE_RULES:
        states, refusal = STATE_RULES[action]
        if proposal.state in states:
            return True, ""
        return False, str(refusal) % {"s": proposal.get_state_display()}
    if action not in ACTIONS:
        return False, _("Thao tác không hợp lệ: %(a)s.") % {"a": action}
    rows = (
        rows_for_role(user, proposal, action)
        if user is not None
        else [t for t in TRANSITIONS if t.action == action]
    )
    if any(t.applies_to(proposal) for t in rows):
        return True, ""
    return False, _("Không thể %(action)s: đề án đang ở trạng thái “%(state)s”.") % {
        "action": str(ACTION_LABELS[action]).lower(),
        "state": proposal.get_state_display(),
    }


def check_preconditions(transition, proposal, amount_vnd=None) -> tuple[bool, str]:
    """(allowed, reason) for the business rules beyond state and role (the row's `check`)."""
    if transition.check is None:
        return True, ""
    return transition.check(proposal, amount_vnd)


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
        if t.action in SIDE_ACTIONS:
            continue
        slugs = permissions.province_slugs_for(user, t.role)
        if slugs is not None and not slugs:
            continue
        clause = Q(state__in=t.sources, fund__in=t.funds)
        if slugs is not None:
            clause &= Q(province__in=slugs)
        condition |= clause
    return Proposal.objects.visible_to(user).filter(condition)


def _checked(validator, name, value, clean, errors) -> None:
    """`clean[name] = value` if the base's field validator accepts it, else its message."""
    try:
        validator(value)
    except ValidationError as error:
        errors[name] = error.messages[0]
    else:
        clean[name] = value


def _clean_payload(transition, proposal, data) -> dict:
    """Validate the fields the transition takes, then its own rules; ValidationError by field."""
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
            _checked(check_vnd, name, value, clean, errors)
        elif name in ("decision_date", "accepted_on"):
            if not isinstance(value, datetime.date):
                errors[name] = _("Ngày không hợp lệ.")
            elif value > timezone.localdate():
                errors[name] = _("Ngày không được ở tương lai.")
            else:
                _checked(validators.validate_date, name, value, clean, errors)
        elif name == "comment":
            if not clean["comment"]:
                errors[name] = _("Hãy ghi rõ lý do.")
        else:
            _checked(validators.validate_single_line, name, str(value).strip(), clean, errors)
    if "comment" not in errors:
        _checked(validators.validate_text, "comment", clean["comment"], clean, errors)
    if transition.clean is not None:
        transition.clean(proposal, clean, data, errors)
    if errors:
        raise ValidationError(errors)
    return clean


def perform(proposal_id: int, action: str, user, data: dict | None = None) -> Proposal:
    """Perform `action` on a proposal as `user`, atomically and serialised.

    Locks the proposal row (and then the allocation, for an approval), re-checks state, role
    and allocation under the lock, writes a ProposalEvent and bumps the version. Raises
    NotPermitted (403), StateConflict (409), ValidationError by field or Invalid (400).
    """
    data = data or {}
    if action not in ACTIONS:
        raise Invalid(_("Thao tác không hợp lệ: %(a)s.") % {"a": action})
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
        allowed, reason = permissions.may_perform(user, proposal, action)
        if not allowed:
            raise NotPermitted(reason)
        allowed, reason = state_allows(proposal, action, user)
        if not allowed:
            raise StateConflict(reason)
        transition = transitions_for(user, proposal, action)[0]
        clean = _clean_payload(transition, proposal, data)
        if transition.draws_on_allocation:
            # Always after the proposal's row (one order everywhere), and no ordering joins.
            Allocation.objects.select_for_update(of=("self",)).filter(
                province_id=proposal.province_id, year=proposal.year, fund_id=proposal.fund_id
            ).order_by("pk").first()
        allowed, reason = check_preconditions(
            transition, proposal, clean.get("approved_support_vnd")
        )
        if not allowed:
            raise Invalid(reason)

        event = ProposalEvent(
            proposal=proposal,
            action=action,
            from_state=proposal.state,
            to_state=transition.target,
            actor=user,
            comment=clean["comment"],
        )
        if transition.apply is not None:
            transition.apply(proposal, clean, event, user)
        proposal.state = transition.target
        proposal.version += 1  # safe: we hold the row lock
        proposal._change_reason = action
        proposal.save()
        budget.refresh_after_transition(proposal, event.from_state)
        event.save()
        transaction.on_commit(lambda: notify.notify(proposal, event))
    return proposal
