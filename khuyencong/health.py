"""Liveness and readiness for load balancers and orchestrators.

`/healthz` answers as long as the process serves requests. `/readyz` runs every registered
check (the database and file storage here; apps add theirs, e.g. the import backlog, from their
AppConfig.ready(), since the base knows no app) and answers 503 naming the checks that failed.
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# A check returns a short detail for the answer and raises when the dependency is not usable.
Check = Callable[[], str]
_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    _checks[name] = check


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def storage() -> str:
    # Write, read back and delete a tiny file: proves the files the portal keeps can be kept.
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as stored:
            if stored.read() != b"ok":
                raise OSError("storage returned other bytes than were written")
    finally:
        default_storage.delete(name)
    return "ok"


register("database", database)
register("storage", storage)


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    results, ready = {}, True
    for name, check in _checks.items():
        started = time.monotonic()
        try:
            detail = check()
        except Exception as error:  # a readiness probe reports failures, it never raises
            logger.warning("readiness check %s failed: %s", name, error)
            ready = False
            detail = f"{type(error).__name__}: {error}"
            status = "fail"
        else:
            status = "ok"
        results[name] = {
            "status": status,
            "detail": detail,
            "ms": round((time.monotonic() - started) * 1000, 1),
        }
    return JsonResponse(
        {"status": "ok" if ready else "fail", "checks": results}, status=200 if ready else 503
    )
