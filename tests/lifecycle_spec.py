"""SPEC §5 written out by hand, for the tests to take their expected answers from.

Read from the diagram and the bullet list of SPEC §5 with the roles of SPEC §1 (the centre
drafts, submits, withdraws and starts; the department appraises, returns, rejects, approves local
funds, forwards national ones and runs acceptance; the ministry approves, rejects and cancels
national ones), never from `proposals.lifecycle`. A test comparing the table with this module is
what tells a wrong table from a right one.
"""

LOCAL = ("provincial", "district")
NATIONAL = ("national",)
ANY = NATIONAL + LOCAL
STATES = (
    "draft",
    "submitted",
    "returned",
    "appraised",
    "approved",
    "rejected",
    "in_progress",
    "accepted",
    "settled",
    "cancelled",
    "withdrawn",
)
ACTIONS = (
    "submit",
    "return",
    "forward",
    "approve",
    "reject",
    "start",
    "accept",
    "settle",
    "cancel",
    "withdraw",
)
ROLES = ("centre", "department", "ministry", "manager", "admin")

# (from-state, action, role, funds, to-state), one line per arrow of the diagram.
SPEC_ROWS = (
    ("draft", "submit", "centre", ANY, "submitted"),
    # "returned" points back to draft: the centre revises it and submits it again.
    ("returned", "submit", "centre", ANY, "submitted"),
    ("submitted", "return", "department", ANY, "returned"),
    ("submitted", "forward", "department", NATIONAL, "appraised"),
    ("submitted", "approve", "department", LOCAL, "approved"),
    ("submitted", "reject", "department", ANY, "rejected"),
    ("appraised", "approve", "ministry", NATIONAL, "approved"),
    ("appraised", "reject", "ministry", NATIONAL, "rejected"),
    ("approved", "start", "centre", ANY, "in_progress"),
    ("in_progress", "accept", "department", ANY, "accepted"),
    ("accepted", "settle", "department", ANY, "settled"),
    # cancel from approved and from in_progress, by the proposal's approver.
    ("approved", "cancel", "department", LOCAL, "cancelled"),
    ("in_progress", "cancel", "department", LOCAL, "cancelled"),
    ("approved", "cancel", "ministry", NATIONAL, "cancelled"),
    ("in_progress", "cancel", "ministry", NATIONAL, "cancelled"),
    ("draft", "withdraw", "centre", ANY, "withdrawn"),
    ("submitted", "withdraw", "centre", ANY, "withdrawn"),
)
# Not drawn in §5, decided on purpose and kept: the ministry sends an appraised national
# proposal back for revision (with a comment) instead of rejecting it outright.
EXTENSIONS = (("appraised", "return", "ministry", NATIONAL, "returned"),)
ROWS = SPEC_ROWS + EXTENSIONS


def expected_target(state: str, action: str, role: str, fund: str) -> str | None:
    """The state `action` leads to when `role` takes it from `state` on `fund`, or None."""
    return next(
        (
            to
            for source, act, who, funds, to in ROWS
            if (source, act, who) == (state, action, role) and fund in funds
        ),
        None,
    )


def may_ever(action: str, role: str, fund: str) -> bool:
    """Does `role` take `action` on `fund` from some state (else the answer is 403, not 409)?"""
    return any(act == action and who == role and fund in funds for _s, act, who, funds, _t in ROWS)
