"""Who may do what with a proposal (SPEC §1), in one place.

Plain functions returning `(allowed, reason)`; they answer for the user's roles only. *When* a
proposal's state allows something is the lifecycle's (`lifecycle.state_allows`), and the
transitions' roles are its table's. `get_proposal_for` joins the three for every write: 404 when
the proposal is out of the user's sight, NotPermitted (403) when the role may not, StateConflict
(409) when only the state stands in the way. Pages and the API never check a role themselves.
"""

from django.utils.translation import gettext as _

from khuyencong import access
from khuyencong.access import get_visible_or_404
from khuyencong.errors import NotPermitted, StateConflict
from khuyencong.roles import Role
from proposals.models import Proposal

Verdict = tuple[bool, str]
YES: Verdict = (True, "")


def holds_role(user, role: str, proposal) -> bool:
    """Does the user hold `role` for the proposal's province (national roles hold it for all)?"""
    return access.has_role(user, role, proposal.province_id)


def province_slugs_for(user, role: str) -> frozenset[str] | None:
    """Provinces where the user holds `role`; None means every province."""
    return access.province_slugs_for_role(user, role)


def _verdict(held: bool, refusal: str) -> Verdict:
    return YES if held else (False, refusal)


def may_create(user) -> Verdict:
    """A centre drafts proposals (for the provinces it serves)."""
    return _verdict(
        access.has_role(user, Role.CENTRE), _("Chỉ Trung tâm Khuyến công được lập đề án.")
    )


def creatable_province_slugs(user) -> frozenset[str] | None:
    """Provinces the user may draft proposals for; None means every province."""
    return province_slugs_for(user, Role.CENTRE)


def may_edit(user, proposal) -> Verdict:
    return _verdict(
        holds_role(user, Role.CENTRE, proposal),
        _("Chỉ Trung tâm Khuyến công của tỉnh được sửa đề án."),
    )


def may_attach(user, proposal) -> Verdict:
    return _verdict(
        holds_role(user, Role.CENTRE, proposal) or holds_role(user, Role.DEPARTMENT, proposal),
        _("Chỉ Trung tâm Khuyến công và Sở Công Thương của tỉnh được đính kèm tài liệu."),
    )


def may_report_progress(user, proposal) -> Verdict:
    return _verdict(
        holds_role(user, Role.CENTRE, proposal),
        _("Chỉ Trung tâm Khuyến công của tỉnh báo cáo tiến độ."),
    )


def may_comment_progress(user, proposal) -> Verdict:
    return _verdict(
        holds_role(user, Role.DEPARTMENT, proposal), _("Chỉ Sở Công Thương của tỉnh cho ý kiến.")
    )


def may_request_payment(user, proposal) -> Verdict:
    return _verdict(
        holds_role(user, Role.CENTRE, proposal),
        _("Chỉ Trung tâm Khuyến công của tỉnh đề nghị thanh toán."),
    )


def may_decide_payment(user, proposal) -> Verdict:
    return _verdict(
        holds_role(user, Role.DEPARTMENT, proposal),
        _("Chỉ Sở Công Thương của tỉnh duyệt thanh toán."),
    )


def may_perform(user, proposal, action: str) -> Verdict:
    """A transition: does some row of the lifecycle table for this fund name one of our roles?"""
    from proposals import lifecycle  # the lifecycle asks this module who holds a role

    return _verdict(
        bool(lifecycle.rows_for_role(user, proposal, action)),
        _("Vai trò của bạn không được thực hiện thao tác này."),
    )


# The writes besides transitions, by the name pages, the API and `state_allows` know them by.
ROLE_CHECKS = {
    "edit": may_edit,
    "attach": may_attach,
    "report_progress": may_report_progress,
    "comment_progress": may_comment_progress,
    "request_payment": may_request_payment,
    "decide_payment": may_decide_payment,
}


def may(user, proposal, action: str) -> Verdict:
    """The role's verdict for `action`: a write of ROLE_CHECKS or a lifecycle action."""
    check = ROLE_CHECKS.get(action)
    return check(user, proposal) if check else may_perform(user, proposal, action)


def can(user, proposal, action: str) -> Verdict:
    """Role and state together: what a page shows beside a disabled button."""
    from proposals import lifecycle

    verdict = may(user, proposal, action)
    return lifecycle.state_allows(proposal, action, user) if verdict[0] else verdict


def require(user, proposal, action: str) -> None:
    """Raise NotPermitted when the role may not do `action`, StateConflict when the state forbids.

    Domain functions call it again on the row they locked: the state may have moved meanwhile.
    """
    from proposals import lifecycle  # the lifecycle asks this module who holds a role

    allowed, reason = may(user, proposal, action)
    if not allowed:
        raise NotPermitted(reason)
    allowed, reason = lifecycle.state_allows(proposal, action, user)
    if not allowed:
        raise StateConflict(reason)


def get_proposal_for(user, pk, action: str, queryset=None) -> Proposal:
    """The proposal `pk` for a write of `action` by `user`, or the refusal.

    404 when the user may not see it; NotPermitted when the role may not do `action` here;
    StateConflict when the role may but the proposal's state does not allow it now.
    """
    if queryset is None:
        queryset = Proposal.objects.select_related("province", "fund")
    proposal = get_visible_or_404(queryset, user, pk=pk)
    require(user, proposal, action)
    return proposal
