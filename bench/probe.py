"""Run one heavy request in a fresh process and report its time and the process's peak memory.

    python -m bench.probe /reports/summary.xlsx manager

Prints one JSON line: seconds, bytes, peak and idle resident memory (MB). bench.run starts it
as a subprocess so that ru_maxrss belongs to this export alone.
"""

import json
import os
import resource
import sys
import time


def _rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_mb() -> float:
    """Resident memory now (VmRSS), to tell the export's own peak from start-up's."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(url: str, username: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get("/bench/bare/")  # load the URLconf, templates and the connection first
    idle = _current_mb()
    started = time.perf_counter()
    response = client.get(url)
    size = 0
    if getattr(response, "streaming", False):
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    seconds = time.perf_counter() - started
    return {
        "status": response.status_code,
        "seconds": seconds,
        "bytes": size,
        "idle_mb": idle,
        "peak_mb": _rss_mb(),
        "after_mb": _current_mb(),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
