"""`make bench-smoke`: the CI-sized benchmark. Fails when a page's query count grows with data.

    python -m bench.smoke [--small 200] [--large 2000]

In a throwaway test database (SQLite in memory by default; `test_<name>` on the PostgreSQL of
DATABASE_URL), generate the small data set, count the queries of every list, detail page and
report a user opens, then generate the large one and count again. Any count that differs
between the two sizes, or between 25 and 100 rows on a page, fails (exit status 1).
"""

import argparse
import os
import sys
import time
import warnings
from contextlib import nullcontext

PASSWORD = "bench-smoke-password"


def cases(users, richest: int):
    """(label, username, url, list page size or None)."""
    from bench.run import YEARS

    years = f"year_from={YEARS[0]}&year_to={YEARS[1]}"
    rows = []
    for username in ("ministry", "dept.bacninh", "centre.bacninh"):
        for n in (25, 100):
            rows.append((f"proposal list page, {n} rows", username, "/proposals/", n))
            api = f"/api/v1/proposals/?page_size={n}"
            rows.append((f"API proposal list, {n} rows", username, api, None))
    rows += [
        ("proposal detail page (richest proposal)", "ministry", f"/proposals/{richest}/", None),
        ("proposal detail page (richest proposal)", "dept.bacninh", f"/proposals/{richest}/", None),
        (f"dashboard {YEARS[0]}–{YEARS[1]}", "manager", f"/reports/?{years}", None),
        ("dashboard, all years", "dept.bacninh", "/reports/", None),
        ("API report summary", "manager", f"/api/v1/reports/summary/?{years}", None),
        ("facility list page", "ministry", "/facilities/", None),
        ("facility list page", "dept.bacninh", "/facilities/", None),
        ("API facility list, 100 rows", "ministry", "/api/v1/facilities/?page_size=100", None),
    ]
    return rows


def richest_proposal(province_slugs) -> int:
    """The visible proposal with the most beneficiaries and events: the detail page's worst."""
    from django.db.models import Count

    from proposals.models import Proposal

    return (
        Proposal.objects.filter(province__in=province_slugs)
        .annotate(b=Count("beneficiaries", distinct=True), e=Count("events", distinct=True))
        .order_by("-b", "-e", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def measure(users) -> dict[tuple[str, str], int]:
    from bench.run import _client, count_queries, fetch, list_page_size
    from khuyencong.access import visible_province_slugs

    richest = richest_proposal(visible_province_slugs(users["dept.bacninh"]))
    clients = {}
    counts = {}
    for label, username, url, page_size in cases(users, richest):
        client = clients.setdefault(username, _client(users[username]))
        with list_page_size(page_size) if page_size else nullcontext():
            fetch(client, url)  # warm: sessions, caches
            counts[(label, username)] = count_queries(client, url)
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from bench.generate import generate
    from demo.data import create_demo_accounts

    started = time.monotonic()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        users = create_demo_accounts(PASSWORD)
        results = {}
        for size in (args.small, args.large):
            generate(size, args.seed, clear_first=True, log=lambda _m: None)
            results[size] = measure(users)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    small, large = results[args.small], results[args.large]
    failures = []
    lines = [
        f"Queries per request at {args.small} and {args.large} proposals "
        f"({connection.vendor}, {time.monotonic() - started:.0f} s):",
        "",
        f"| Page | User | {args.small} | {args.large} | |",
        "|---|---|---|---|---|",
    ]
    for key in small:
        label, username = key
        grew = small[key] != large[key]
        if grew:
            failures.append(f"{label} ({username}): {small[key]} → {large[key]} queries")
        verdict = "**GREW**" if grew else "ok"
        lines.append(f"| {label} | {username} | {small[key]} | {large[key]} | {verdict} |")
    # The same list must cost the same at 25 and 100 rows.
    for (label, username), n in large.items():
        if ", 25 rows" in label:
            other = large[(label.replace(", 25 rows", ", 100 rows"), username)]
            if other != n:
                failures.append(f"{label} ({username}): {n} queries, {other} at 100 rows")
    print("\n".join(lines))
    print()
    if failures:
        print("FAIL: query counts grow with the data:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("PASS: every query count is the same at both sizes and page sizes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
