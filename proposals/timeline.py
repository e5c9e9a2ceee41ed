"""A proposal's timeline: lifecycle events and field-level edits, newest last."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from khuyencong.history import edits
from khuyencong.people import display_name
from proposals.lifecycle import ACTION_LABELS, ACTIONS

HIDDEN_FIELDS = {"version", "state"}


@dataclass
class Entry:
    when: object
    who: str
    kind: str  # "event" or "edit"
    title: str
    comment: str = ""
    event: object = None
    changes: list = field(default_factory=list)  # khuyencong.history.Change


def build(proposal) -> list[Entry]:
    """Two queries: events with their actors, history records with their users."""
    entries = []
    for event in proposal.events.select_related("actor"):
        title = str(ACTION_LABELS.get(event.action, event.action))
        if event.action == "import":
            title = _("Nhập dữ liệu lịch sử")
        entries.append(
            Entry(event.at, display_name(event.actor), "event", title, event.comment, event)
        )
    records = list(
        proposal.history.select_related("history_user").order_by("history_date", "history_id")
    )
    for edit in edits(records[1:], baseline=records[0] if records else None, hidden=HIDDEN_FIELDS):
        if edit.record.history_change_reason in ACTIONS:
            continue  # a transition: already on the timeline as an event
        if edit.changes:
            entries.append(Entry(edit.when, edit.who, "edit", _("Sửa đề án"), changes=edit.changes))
    entries.sort(key=lambda e: e.when)
    if records:
        # Creation always opens the timeline, even when imported rows share its timestamp.
        first = records[0]
        who = (
            display_name(first.history_user) if first.history_user else first.history_change_reason
        )
        entries.insert(0, Entry(first.history_date, who or "—", "edit", _("Tạo đề án")))
    return entries
