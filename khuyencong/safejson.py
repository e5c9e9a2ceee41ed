"""JSON from outside is read with two limits the standard library does not set.

A NUL character cannot be stored in PostgreSQL text (it would fail deep in a query), and a
document nested thousands of levels deep makes `json.loads` raise RecursionError. Both are the
sender's mistake: callers turn `UnsafeJson` into a 400 with its Vietnamese message.
"""

import json

from django.utils.translation import gettext as _

# Far deeper than any document the portal exchanges (a province export nests about 5 levels).
MAX_DEPTH = 64


class UnsafeJson(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def too_deep_message() -> str:
    return _("JSON lồng nhau quá sâu.")


def nul_message() -> str:
    return _("Dữ liệu chứa ký tự NUL (\\u0000): không được chấp nhận.")


def check(document) -> None:
    """Raise UnsafeJson if a parsed document nests deeper than MAX_DEPTH or holds a NUL."""
    stack = [(document, 1)]
    while stack:  # no recursion: the document may be as deep as the parser allowed
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise UnsafeJson(nul_message())
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise UnsafeJson(too_deep_message())
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        else:
            stack.extend((item, depth + 1) for item in value)


def loads(text: str):
    """`json.loads` that raises UnsafeJson for the two cases above (JSONDecodeError as usual)."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise UnsafeJson(too_deep_message()) from None
    check(document)
    return document
