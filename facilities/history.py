"""Field-level edit history (django-simple-history) as a short, readable timeline."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

EMPTY = "—"
KIND_LABELS = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: object
    kind: str
    changes: list[Change] = field(default_factory=list)
    # An edit whose earlier version was never recorded (rows imported in bulk): nothing to diff.
    no_baseline: bool = False

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)


def timeline(history, limit: int = 20) -> list[Entry]:
    """The latest `limit` versions, newest first, each with who changed which field from what.

    `history` is a simple-history manager or queryset (`facility.history`). Uses one query for
    the versions and one per foreign key that changed, whatever the number of versions.
    """
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries, deltas = [], []
    for record, previous in zip(records[:limit], records[1:] + [None], strict=False):
        entry = Entry(when=record.history_date, who=record.history_user, kind=record.history_type)
        if record.history_type == "~":
            if previous is not None:
                deltas.append((entry, record, record.diff_against(previous).changes))
            elif len(records) <= limit:
                entry.no_baseline = True
        entries.append(entry)
    names = _related_names(deltas)
    for entry, record, changes in deltas:
        for change in changes:
            model_field = record._meta.get_field(change.field)
            entry.changes.append(
                Change(
                    label=capfirst(model_field.verbose_name),
                    old=_show(model_field, change.old, names),
                    new=_show(model_field, change.new, names),
                )
            )
    return entries


def _related_names(deltas) -> dict:
    """{(model, pk): str(obj)} for every foreign key value that appears in a change."""
    wanted: dict = {}
    for _entry, record, changes in deltas:
        for change in changes:
            model_field = record._meta.get_field(change.field)
            if isinstance(model_field, models.ForeignKey):
                ids = wanted.setdefault(model_field.related_model, set())
                ids.update(v for v in (change.old, change.new) if v is not None)
    names = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(ids).items():
            names[(model, pk)] = str(obj)
    return names


def _show(model_field, value, names) -> str:
    if value in (None, ""):
        return EMPTY
    if isinstance(model_field, models.ForeignKey):
        return names.get((model_field.related_model, value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(localize(value))
