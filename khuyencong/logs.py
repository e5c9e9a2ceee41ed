"""Who asked what, on every log line: a request id and the user's id, set per request.

`RequestContext` (khuyencong.middleware) fills the context; `RequestFilter` copies it onto each
record, so JSON logs (LOG_FORMAT=json) let an operator follow one request or one user.
"""

import contextvars
import logging
import re

from django.utils.functional import empty

# The id of the request being served in this thread (or task), and the request itself.
request_id = contextvars.ContextVar("request_id", default="")
current_request = contextvars.ContextVar("current_request", default=None)

# An id handed in by the proxy is kept only when it is short and plain (it ends up in logs).
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def user_id(request) -> int | None:
    """The user's id if authentication has already run; never triggers it (no query in logs)."""
    user = request.__dict__.get("user") if request is not None else None
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # SimpleLazyObject: look only if evaluated
    if wrapped is None or wrapped is empty:
        return None
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None


class RequestFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        record.user_id = user_id(current_request.get())
        return True
