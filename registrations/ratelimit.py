"""A per-address, per-hour limit on the public pages, kept in Django's cache (no third party).

Fixed one-hour windows: the counter for (scope, address, hour) lives for an hour. With the
default local-memory cache each server process counts on its own; set CACHES to a shared
cache (database, Redis, Memcached) when running several processes and the limit must be exact.
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or, behind N trusted proxies, the address the
    outermost of them saw (X-Forwarded-For read from the right; the left part is forgeable)."""
    proxies = getattr(settings, "REGISTRATION_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ip: str) -> str:
    window = int(time.time() // WINDOW_SECONDS)
    return f"registrations:rate:{scope}:{ip}:{window}"


def is_limited(request, scope: str, limit: int) -> bool:
    """True when this address already used its `limit` for `scope` in the current hour."""
    return cache.get(_key(scope, client_ip(request)), 0) >= limit


def count(request, scope: str) -> None:
    """Record one use of `scope` by this address."""
    key = _key(scope, client_ip(request))
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)


def submission_limit() -> int:
    return settings.REGISTRATION_RATE_LIMIT


def lookup_limit() -> int:
    return settings.REGISTRATION_LOOKUP_RATE_LIMIT
