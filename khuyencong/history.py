"""Field-level edit history (django-simple-history) in words a person reads.

One diff for every timeline and every "what changed" message: fields by their verbose names,
choices by their labels, foreign keys by their names, money (`*_vnd`) in triệu đồng.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.errors import StaleVersion
from khuyencong.money import format_trieu
from khuyencong.people import display_name

EMPTY = "—"
KIND_LABELS = {"+": gettext_lazy("Tạo mới"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str
    # Who saved the change and when: filled by `changes_since`, which lists them flat.
    who: str = ""
    when: object = None


@dataclass
class Edit:
    """One history record: who saved it when, and which fields it changed."""

    record: object
    changes: list[Change] = field(default_factory=list)
    # An edit whose earlier version was never recorded (rows imported in bulk): nothing to diff.
    no_baseline: bool = False

    @property
    def when(self):
        return self.record.history_date

    @property
    def user(self):
        return self.record.history_user

    @property
    def who(self) -> str:
        return display_name(self.record.history_user)

    @property
    def kind(self) -> str:
        return self.record.history_type

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)


def edits(records, *, hidden=(), baseline=None) -> list[Edit]:
    """Each record of `records` (oldest first) with the fields it changed since the one before.

    `baseline` is the record before the first one, when the caller has it. The first record
    without a baseline is a creation, or an edit of a row whose creation was never recorded.
    One query per foreign-key model that changed, whatever the number of records.
    """
    records = list(records)
    pairs = list(zip([baseline, *records], records, strict=False))
    raw = [
        [c for c in newer.diff_against(older).changes if c.field not in hidden]
        if older is not None
        else []
        for older, newer in pairs
    ]
    names = _related_names(records, raw)
    result = []
    for (older, newer), changes in zip(pairs, raw, strict=True):
        edit = Edit(newer, no_baseline=older is None and newer.history_type == "~")
        for change in changes:
            model_field = newer._meta.get_field(change.field)
            edit.changes.append(
                Change(
                    change.field,
                    capfirst(str(model_field.verbose_name)),
                    show(model_field, change.old, names),
                    show(model_field, change.new, names),
                )
            )
        result.append(edit)
    return result


def _related_names(records, raw) -> dict:
    """{(model, pk): str(obj)} for every foreign key value that appears in a change."""
    wanted: dict = {}
    for record, changes in zip(records, raw, strict=True):
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


def show(model_field, value, names=None) -> str:
    """One value as a person reads it."""
    if value in (None, ""):
        return EMPTY
    if isinstance(model_field, models.ForeignKey):
        return (names or {}).get((model_field.related_model, value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.name.endswith("_vnd"):
        return _("%(amount)s triệu đồng") % {"amount": format_trieu(value)}
    return str(localize(value))


def changes_since(instance, version: int, hidden=("version",)) -> list[Change]:
    """The field changes saved after `version` of `instance`, oldest first, each with who/when.

    For records with a `version` field and simple-history: what a stale editor missed.
    """
    records = list(
        instance.history.filter(version__gte=version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    if not records:
        return []
    changes = []
    for edit in edits(records[1:], baseline=records[0], hidden=set(hidden)):
        for change in edit.changes:
            change.who, change.when = edit.who, edit.when
            changes.append(change)
    return changes


def check_version(current, expected_version, message) -> None:
    """Refuse (StaleVersion, 409) a write based on a version older than the locked `current`.

    No `expected_version` is no check: the caller writes onto the locked row as it is now.
    """
    if expected_version in (None, ""):
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = 0
    if expected != current.version:
        raise StaleVersion(message, current.version, changes_since(current, expected or 1))


def timeline(history, limit: int = 20) -> list[Edit]:
    """The latest `limit` versions, newest first, each with who changed which field from what.

    `history` is a simple-history manager or queryset (`facility.history`). Uses one query for
    the versions and one per foreign key that changed, whatever the number of versions.
    """
    newest_first = history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(newest_first[: limit + 1])[::-1]
    # One record more than shown: the baseline of the oldest shown edit.
    baseline = records.pop(0) if len(records) > limit else None
    return edits(records, baseline=baseline, hidden={"version"})[::-1]
