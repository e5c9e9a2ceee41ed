"""The domain's refusals, each with its HTTP meaning, shared by every app.

Domain functions raise these; pages map them once (a message and the right status, or the
Vietnamese error page) and the API maps them once (`{"detail": message}` with `status`).
Field-by-field problems stay Django's `ValidationError` (400 by field).
"""


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
