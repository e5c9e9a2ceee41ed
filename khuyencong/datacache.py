"""Figures computed from the data, cached until that data changes.

A list's totals over 100 000 proposals or a national ten-year summary costs tens to hundreds of
milliseconds of SQL, and the same figures are asked for again and again between two edits.
`cached()` keeps them in Django's cache under a key that carries the data's version:

- a row in the database (`DataVersion`), moved on when a transaction that wrote watched data
  commits, so a change made in one server process retires the cached figures of every process,
  with the default per-process cache and no cache server;
- a counter in this process, moved on by the write itself, before its commit: the writing
  process never serves what it just changed (tests run inside a transaction that never commits).

Apps whose data the figures read call `watch()` from their AppConfig.ready(): every save and
delete of their models then counts as a change. Writes that send no signal (`bulk_create`,
`QuerySet.update()`, raw SQL) call `changed()` themselves unless a save in the same transaction
already did. Pages cache their finished HTML or JSON keyed by the viewer's roles and provinces
and the URL (`access.viewer_key`). A key also expires after `TIMEOUT` seconds, so a write that
slipped past both costs minutes of staleness, not days.
"""

import hashlib
import threading
from functools import cached_property

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, signals
from django.utils import translation

NAME = "data"
TIMEOUT = 600

_lock = threading.Lock()
_local = {"generation": 0}
# The committed counter is read once per request (a page may ask several cached figures).
_request = threading.local()


def version() -> str:
    """The data's version as a cache key part: the committed counter and this process's own."""
    from khuyencong.models import DataVersion

    committed = getattr(_request, "committed", None)
    if committed is None:
        found = DataVersion.objects.filter(pk=NAME).values_list("number", flat=True).first()
        committed = found or 0
        if getattr(_request, "active", False):
            _request.committed = committed
    return f"{committed}.{_local['generation']}"


def _request_started(**kwargs):
    _request.active, _request.committed = True, None


def _request_finished(**kwargs):
    _request.active, _request.committed = False, None


request_started.connect(_request_started, dispatch_uid="datacache-request-started")
request_finished.connect(_request_finished, dispatch_uid="datacache-request-finished")


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Watched data was written: retire cached figures now here, everywhere once committed."""
    with _lock:
        _local["generation"] += 1
    connection = connections[using]
    # One bump per transaction, however many rows it writes.
    if connection.in_atomic_block and any(
        func is _bump for _sids, func, _robust in connection.run_on_commit
    ):
        return
    # robust: the data is committed by now; a failed bump must not turn that into an error.
    transaction.on_commit(_bump, using=using, robust=True)


def _bump() -> None:
    from khuyencong.models import DataVersion

    with _lock:
        _local["generation"] += 1
    _request.committed = None
    if not DataVersion.objects.filter(pk=NAME).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=NAME, defaults={"number": 1})


def cached(namespace: str, parts, compute, timeout: int = TIMEOUT):
    """`compute()`, or its value cached for `parts` (anything with a stable repr), at this
    version of the data and in the active language.

    The value is pickled by the cache backend: return plain data, not querysets.
    """
    # The language too: cached figures and fragments carry translated labels.
    parts = (parts, translation.get_language())
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"datacache:{namespace}:{version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def is_watched(model) -> bool:
    return model._meta.app_label in _watched


def for_queryset(namespace: str, queryset, compute, *extra):
    """`compute()` for this queryset, cached until the data changes.

    Keyed by the queryset's SQL and parameters (scope and filters included) and `extra`;
    computed directly when its models are not watched or it can match nothing.
    """
    if not is_watched(queryset.model):
        return compute()
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return compute()
    return cached(namespace, (queryset.db, sql, params, *extra), compute)


def count(queryset) -> int:
    """`queryset.count()`, cached until the data changes."""
    return for_queryset("count", queryset, queryset.count)


class CachedCountPaginator(Paginator):
    """A Paginator that counts watched rows once per version of the data, not on every page."""

    @cached_property
    def count(self):
        if hasattr(self.object_list, "query"):
            return count(self.object_list)
        return super().count


def _on_write(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    changed(using)


_watched: set[str] = set()


def watch(app_config) -> None:
    """Count every save and delete of this app's models as a change of the data."""
    _watched.add(app_config.label)
    for model in app_config.get_models():
        for name, signal in (("save", signals.post_save), ("delete", signals.post_delete)):
            signal.connect(_on_write, sender=model, dispatch_uid=f"datacache:{name}:{model}")
