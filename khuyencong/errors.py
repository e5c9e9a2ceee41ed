"""The domain's refusals, each with its HTTP meaning, shared by every app.

Domain functions raise these; pages map them once (a message and the right status, or the
Vietnamese error page) and the API maps them once (`{"detail": message}` with `status`).
Field-by-field problems stay Django's `ValidationError` (400 by field).
"""

from django.db import OperationalError
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refusal with a message for the user; `status` is what HTTP calls it."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


class Invalid(DomainError):
    """The request makes no sense as a whole (400): a rule beyond single fields."""

    status = 400


class NotPermitted(DomainError):
    """The user's role may not do this (403). Objects outside the user's scope are 404."""

    status = 403


class StateConflict(DomainError):
    """The record moved on under the user, or is busy (409): reload and try again."""

    status = 409


def allowed(verdict: tuple[bool, str]) -> None:
    """Raise NotPermitted with the reason of a `(allowed, reason)` permission verdict."""
    ok, reason = verdict
    if not ok:
        raise NotPermitted(reason)


# PostgreSQL's SQLSTATE for "lock not available": lock_timeout ran out, or NOWAIT met a lock.
_LOCK_NOT_AVAILABLE = "55P03"


def as_busy(error: Exception) -> StateConflict | None:
    """The StateConflict a database error means when a row lock was not had in time, else None.

    Someone else holds the record (a long transition, an import): the user retries; it is
    neither a server error nor a reason to keep a worker waiting.
    """
    if not isinstance(error, OperationalError):
        return None
    cause = error.__cause__
    if (getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)) != _LOCK_NOT_AVAILABLE:
        return None
    return StateConflict(_("Đang có người khác xử lý hồ sơ này, vui lòng thử lại."))


class StaleVersion(StateConflict):
    """Someone saved the record after the editor read it (409).

    `changes` are the fields changed since the editor's version (`khuyencong.history.Change`
    with `who` and `when`), so a page or the API can say what happened instead of overwriting.
    """

    def __init__(self, message, current_version: int, changes: list):
        super().__init__(message)
        self.current_version = current_version
        self.changes = changes
