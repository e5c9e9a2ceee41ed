"""A proposal's timeline: lifecycle events and field-level edits, newest last."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from proposals.lifecycle import ACTION_LABELS, ACTIONS
from proposals.models import Proposal, State

HIDDEN_FIELDS = {"version", "state"}


@dataclass
class Entry:
    when: object
    who: str
    kind: str  # "event" or "edit"
    title: str
    comment: str = ""
    event: object = None
    changes: list = field(default_factory=list)  # (label, old, new)


def _name(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.username


def _label(name):
    return str(Proposal._meta.get_field(name).verbose_name).capitalize()


def _display(record, name):
    value = getattr(record, name)
    if name == "state":
        return State(value).label
    return "—" if value in (None, "") else str(value)


def build(proposal) -> list[Entry]:
    """Two queries: events with their actors, history records with their users."""
    entries = []
    for event in proposal.events.select_related("actor"):
        title = str(ACTION_LABELS.get(event.action, event.action))
        if event.action == "import":
            title = _("Nhập dữ liệu lịch sử")
        entries.append(Entry(event.at, _name(event.actor), "event", title, event.comment, event))
    records = list(
        proposal.history.select_related("history_user").order_by("history_date", "history_id")
    )
    for older, newer in zip(records, records[1:], strict=False):
        if newer.history_change_reason in ACTIONS:
            continue  # a transition: already on the timeline as an event
        delta = newer.diff_against(older)
        changes = [
            (_label(c.field), _display(older, c.field), _display(newer, c.field))
            for c in delta.changes
            if c.field not in HIDDEN_FIELDS
        ]
        if changes:
            entries.append(
                Entry(
                    newer.history_date,
                    _name(newer.history_user),
                    "edit",
                    _("Sửa đề án"),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when)
    if records:
        # Creation always opens the timeline, even when imported rows share its timestamp.
        first = records[0]
        who = _name(first.history_user) if first.history_user else first.history_change_reason
        entries.insert(0, Entry(first.history_date, who or "—", "edit", _("Tạo đề án")))
    return entries
