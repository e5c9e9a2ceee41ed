"""`make bench`: the portal on a national data set, measured against what the work costs at least.

    DATABASE_URL=postgres://… python -m bench.run [--proposals 100000] [--seed 1] [--runs 7]

On the database in DATABASE_URL (created if missing on PostgreSQL): migrate, generate the data
once (skipped when the same seed and size are there), then measure, each figure the median of
several runs next to a baseline measured in the same run, interleaved so that a busy machine
slows both alike:

- the national ten-year summary (reports.summary) against hand-written GROUP BY SQL;
- the proposal list page and the API list at 25 and 100 rows: queries and server time (test
  Client, in-process) against a bare view (bench.views: one raw query, a minimal template);
- the Excel workbook of every counted proposal: time and peak memory of its own process;
- the PDF of the national summary;
- a load run: gunicorn with two workers on loopback, wrk for a fixed time per URL.

Prints a Markdown table with PASS/FAIL per goal; with --strict, exits 1 when a goal fails.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

PASSWORD = "bench-demo-password"
YEARS = (2016, 2025)
SUMMARY_QUERY = f"year_from={YEARS[0]}&year_to={YEARS[1]}"

# Goals (SPEC §10 and issue #8).
SUMMARY_RATIO = 1.5
MAX_QUERIES = 8
PAGE_RATIO = 3.0
EXCEL_MB = 300
PDF_SECONDS = 3.0
LOAD_RATIO = 0.5


@dataclass
class Row:
    measure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "**FAIL**")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median)")
    parser.add_argument("--heavy-runs", type=int, default=3, help="runs for Excel and PDF")
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load run")
    parser.add_argument("--out", help="also write the Markdown report to this file")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a goal is not met"
    )
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("WARNING: DATABASE_URL is not PostgreSQL; these figures do not count.")
    else:
        _create_database(os.environ["DATABASE_URL"])
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
    from django.core.management import call_command

    from bench.generate import existing, generate
    from demo.data import create_demo_accounts

    call_command("migrate", verbosity=0, interactive=False)
    started = time.monotonic()
    found = existing()  # other generated data is replaced; the same seed and size are kept
    replace = found is not None and found != (args.proposals, args.seed)[::-1]
    result = generate(args.proposals, args.seed, clear_first=replace, log=_quiet_log)
    print(result.describe())
    users = create_demo_accounts(PASSWORD)

    load_at_start = os.getloadavg()[0]
    rows = []
    sections = [
        ("summary", lambda: summary_rows(args.runs)),
        ("pages", lambda: page_rows(users, args.runs)),
        ("excel", lambda: excel_rows(args.heavy_runs)),
        ("pdf", lambda: pdf_rows(users, args.heavy_runs)),
    ]
    if not args.no_load:
        sections.append(("load", lambda: load_rows(users, args.load_seconds, args.connections)))
    for name, measure in sections:
        print(f"measuring {name}…", flush=True)
        rows += measure()

    report = render(rows, args, time.monotonic() - started, load_at_start)
    print()
    print(report)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(report)
    met = all(row.ok is not False for row in rows)
    return 0 if met or not args.strict else 1


def _quiet_log(message: str) -> None:
    if not message.lstrip()[:1].isdigit():  # progress lines only every chunk
        print(message)


def _create_database(url: str) -> None:
    """CREATE DATABASE when it is missing (connecting to the server's `postgres` database)."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


# --- Timing ------------------------------------------------------------------------------------


def _seconds(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def paired(runs: int, subject, baseline) -> tuple[float, float]:
    """Medians of `runs` alternating runs of each, after one warm-up run of each."""
    subject()
    baseline()
    a, b = [], []
    for _i in range(runs):
        a.append(_seconds(subject))
        b.append(_seconds(baseline))
    return statistics.median(a), statistics.median(b)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "—"


# --- The national summary ----------------------------------------------------------------------


def summary_rows(runs: int) -> list[Row]:
    from bench.baseline import run_summary_sql
    from reports.summary import ReportFilters, summarise

    filters = ReportFilters(year_from=YEARS[0], year_to=YEARS[1])
    orm, sql = paired(
        runs,
        lambda: summarise(filters, scope=None, fresh=True),
        lambda: run_summary_sql(*YEARS),
    )
    summary = summarise(filters, scope=None)
    base = run_summary_sql(*YEARS)
    agrees = (
        summary.totals.proposals == base["proposals"]
        and summary.totals.support_vnd == base["support_vnd"]
        and summary.facilities == base["facilities"]
    )
    label = (
        f"National summary {YEARS[0]}–{YEARS[1]} (reports.summary; "
        f"{summary.totals.proposals:,} counted proposals)"
    )
    rows = [
        Row(
            label,
            ms(orm),
            f"{ms(sql)} hand-written SQL",
            ratio(orm, sql),
            f"≤ {SUMMARY_RATIO}×",
            orm <= SUMMARY_RATIO * sql,
        )
    ]
    if not agrees:
        rows.append(
            Row("Summary totals equal the hand-written SQL's", "no", ok=False, goal="equal")
        )
    return rows


# --- Pages in-process --------------------------------------------------------------------------


@contextmanager
def list_page_size(n: int):
    """The list page shows proposals.views.PAGE_SIZE rows; measure it at other sizes too."""
    from proposals import views

    saved = views.PAGE_SIZE
    views.PAGE_SIZE = n
    try:
        yield
    finally:
        views.PAGE_SIZE = saved


def _client(user=None):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def fetch(client, url: str) -> int:
    """GET `url` through the whole stack; returns the body size (streams are consumed)."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def count_queries(client, url: str, *, cold: bool = True) -> int:
    """Queries of one request; `cold` empties the cache first (what computing the page costs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        (_cold_fetch if cold else fetch)(client, url)
    return len(captured.captured_queries)


def page_rows(users, runs: int) -> list[Row]:
    bare = _client()
    rows = []
    cases = [
        ("Proposal list page", "/proposals/", "/bench/bare/?per_page={n}", "ministry"),
        (
            "API proposal list",
            "/api/v1/proposals/?page_size={n}",
            "/bench/bare/?format=json&per_page={n}",
            "ministry",
        ),
        ("Proposal list page", "/proposals/", "/bench/bare/?per_page={n}", "dept.bacninh"),
        (
            "API proposal list",
            "/api/v1/proposals/?page_size={n}",
            "/bench/bare/?format=json&per_page={n}",
            "dept.bacninh",
        ),
    ]
    for label, url, bare_url, username in cases:
        client = _client(users[username])
        counts, cold_counts = {}, {}
        for n in (25, 100):
            with list_page_size(n):
                page_url, base_url = url.format(n=n), bare_url.format(n=n)
                fetch(client, page_url)  # the session and per-process maps, as in any request
                cold_counts[n] = count_queries(client, page_url)
                counts[n] = count_queries(client, page_url, cold=False)
                # Repeated: what most requests cost (the data did not change in between).
                t, b = paired(
                    runs,
                    lambda c=client, u=page_url: fetch(c, u),
                    lambda u=base_url: fetch(bare, u),
                )
                # Computed: the first request after a change (nothing cached).
                cold, cold_base = paired(
                    runs,
                    lambda c=client, u=page_url: _cold_fetch(c, u),
                    lambda u=base_url: fetch(bare, u),
                )
            rows.append(
                Row(
                    f"{label}, {n} rows ({username}): server time",
                    ms(t),
                    f"{ms(b)} bare view",
                    ratio(t, b),
                    f"≤ {PAGE_RATIO:g}×",
                    t <= PAGE_RATIO * b,
                )
            )
            rows.append(
                Row(
                    f"{label}, {n} rows ({username}): server time, first after a change",
                    ms(cold),
                    f"{ms(cold_base)} bare view",
                    ratio(cold, cold_base),
                )
            )
        constant = counts[25] == counts[100] and cold_counts[25] == cold_counts[100]
        rows.append(
            Row(
                f"{label} ({username}): queries at 25 / 100 rows "
                f"(first after a change: {cold_counts[25]} / {cold_counts[100]})",
                f"{counts[25]} / {counts[100]}",
                "1 bare view",
                "",
                f"constant, ≤ {MAX_QUERIES}",
                constant and max(counts.values()) <= MAX_QUERIES,
            )
        )
    rows += _other_pages(users, runs)
    return rows


def _other_pages(users, runs: int) -> list[Row]:
    """Detail page and dashboard: queries and time, for the record (no ratio goal)."""
    from proposals.models import Kind, Proposal, State

    richest = (
        Proposal.objects.filter(state=State.SETTLED, kind=Kind.GROUP)
        .order_by("-year", "code")
        .values_list("pk", flat=True)
        .first()
    )
    manager = _client(users["manager"])
    ministry = _client(users["ministry"])
    cases = [
        (
            f"Proposal detail page (settled group proposal #{richest})",
            ministry,
            f"/proposals/{richest}/",
        ),
        (f"Dashboard page, national {YEARS[0]}–{YEARS[1]}", manager, f"/reports/?{SUMMARY_QUERY}"),
        ("Facility list page (ministry)", ministry, "/facilities/"),
    ]
    rows = []
    for label, client, url in cases:
        fetch(client, url)
        cold_queries = count_queries(client, url)
        queries = count_queries(client, url, cold=False)
        times = [_seconds(lambda c=client, u=url: fetch(c, u)) for _i in range(runs)]
        cold = [_seconds(lambda c=client, u=url: _cold_fetch(c, u)) for _i in range(runs)]
        rows.append(
            Row(
                f"{label}: queries, time (first after a change)",
                f"{queries}, {ms(statistics.median(times))} "
                f"({cold_queries}, {ms(statistics.median(cold))})",
            )
        )
    return rows


def _cold_fetch(client, url: str) -> int:
    """A request that finds nothing cached, as the first one after a change of the data."""
    from django.core.cache import cache

    cache.clear()
    return fetch(client, url)


# --- Excel and PDF -----------------------------------------------------------------------------


def excel_rows(runs: int) -> list[Row]:
    """The two workbooks that stream the most rows, each in its own process (ru_maxrss)."""
    from proposals.models import Proposal
    from reports.excel import _PROPOSAL_FIELDS
    from reports.summary import ReportFilters, summarise

    summary = summarise(ReportFilters(), scope=None)

    def read_counted():
        query = summary.counted_proposals().order_by("year", "province__name", "code")
        for _row in query.values_list(*_PROPOSAL_FIELDS).iterator(chunk_size=2000):
            pass

    def read_all():
        query = Proposal.objects.select_related("province", "fund").order_by("-year", "code")
        for _row in query.values_list(*_PROPOSAL_FIELDS).iterator(chunk_size=2000):
            pass

    cases = [
        (
            f"Excel list export /proposals/export.xlsx, every proposal "
            f"({Proposal.objects.count():,} rows, ministry)",
            "/proposals/export.xlsx",
            "ministry",
            read_all,
        ),
        (
            f"Excel report workbook, every counted proposal ({summary.totals.proposals:,} rows)",
            "/reports/summary.xlsx",
            "manager",
            read_counted,
        ),
    ]
    rows = []
    for label, url, username, read_rows in cases:
        results = [_probe(url, username) for _i in range(runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        peak = max(r["peak_mb"] for r in results)
        idle = statistics.median(r["idle_mb"] for r in results)
        size = results[-1]["bytes"]
        read = statistics.median(_seconds(read_rows) for _i in range(runs))
        rows += [
            Row(
                f"{label}, {size / 1e6:.1f} MB: time",
                ms(seconds),
                f"{ms(read)} reading the rows",
                ratio(seconds, read),
            ),
            Row(
                f"{label}: peak memory of the process",
                f"{peak:.0f} MB",
                f"{idle:.0f} MB before the request",
                "",
                f"≤ {EXCEL_MB} MB",
                peak <= EXCEL_MB,
            ),
        ]
    return rows


def _probe(url: str, username: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.probe", url, username],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    if result["status"] != 200:
        raise RuntimeError(f"{url} answered {result['status']}")
    return result


def pdf_rows(users, runs: int) -> list[Row]:
    """The national PDF (the goal), and a province's with its absorbed province rolled up."""
    rows = []
    cases = [
        ("national summary", "manager", SUMMARY_QUERY),
        ("Bắc Ninh summary (Bắc Giang rolled up)", "dept.bacninh", f"{SUMMARY_QUERY}&rollup=1"),
    ]
    for label, username, query in cases:
        client = _client(users[username])
        pdf, page = paired(
            runs,
            lambda c=client, q=query: fetch(c, f"/reports/summary.pdf?{q}"),
            lambda c=client, q=query: fetch(c, f"/reports/?{q}"),
        )
        # CPU time of this process too: on a shared machine wall time also counts the others.
        cpu = statistics.median(
            _cpu_seconds(lambda c=client, q=query: fetch(c, f"/reports/summary.pdf?{q}"))
            for _i in range(runs)
        )
        rows.append(
            Row(
                f"PDF of the {label} {YEARS[0]}–{YEARS[1]}",
                f"{ms(pdf)} (CPU {ms(cpu)})",
                f"{ms(page)} dashboard page",
                ratio(pdf, page),
                f"≤ {PDF_SECONDS:g} s",
                pdf <= PDF_SECONDS,
            )
        )
    return rows


def _cpu_seconds(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


# --- Load --------------------------------------------------------------------------------------


def _cookie(user) -> str:
    from django.conf import settings

    client = _client(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def load_rows(users, seconds: int, connections: int) -> list[Row]:
    from django.db import connections as db_connections

    from bench import load

    wrk = load.ensure_wrk()
    targets = [
        ("bare view (baseline)", "/bench/bare/", None),
        (
            f"dashboard, national {YEARS[0]}–{YEARS[1]} (manager)",
            f"/reports/?{SUMMARY_QUERY}",
            "manager",
        ),
        ("dashboard, Bắc Ninh (dept.bacninh)", "/reports/", "dept.bacninh"),
        ("proposal list page (ministry)", "/proposals/", "ministry"),
        ("API proposal list (ministry)", "/api/v1/proposals/", "ministry"),
    ]
    cookies = {name: _cookie(users[name]) for _l, _u, name in targets if name}
    db_connections.close_all()  # the server's workers get the database to themselves
    results = []
    with load.gunicorn(workers=2) as base:
        for label, path, name in targets:
            cookie = cookies.get(name, "")
            status = load.check(base + path, cookie)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} before the load run")
            print(f"  load: {label} for {seconds} s…", flush=True)
            results.append((label, load.run(base + path, cookie, seconds, connections, wrk)))
    bare = results[0][1]
    tool = f"{bare.tool}, {connections} connections, {seconds} s each"
    rows = [
        Row(
            f"Load ({tool}): {results[0][0]}",
            f"{bare.throughput:.1f} req/s, {bare.errors} errors",
            "",
            "",
            "0 errors",
            bare.errors == 0,
        )
    ]
    for label, result in results[1:]:
        rows.append(
            Row(
                f"Load: {label}",
                f"{result.throughput:.1f} req/s, {result.latency_ms:.0f} ms avg, "
                f"{result.errors} errors",
                f"{bare.throughput:.1f} req/s bare",
                f"{result.throughput / bare.throughput:.2f}",
                f"≥ {LOAD_RATIO}, 0 errors",
                result.throughput >= LOAD_RATIO * bare.throughput and result.errors == 0,
            )
        )
    return rows


# --- Report ------------------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as info:
            memory = int(info.readline().split()[1]) / 1024 / 1024
    except OSError:
        memory = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = connection.vendor
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory:.1f} GiB RAM, {database}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the end"
    )


def render(rows: list[Row], args, elapsed: float, load_at_start: float) -> str:
    failed = sum(1 for row in rows if row.ok is False)
    lines = [
        f"## make bench — {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()} ({load_at_start:.1f} at the start).",
        f"Data: {args.proposals:,} generated proposals (seed {args.seed}); "
        f"medians of {args.runs} runs ({args.heavy_runs} for Excel and PDF); "
        f"{elapsed:.0f} s in all.",
        "",
        "| Measure | Value | Baseline (same run) | Ratio | Goal | Result |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.measure} | {row.value} | {row.baseline} | {row.ratio} | {row.goal} "
            f"| {row.verdict} |"
        )
    lines += ["", f"{failed} goal(s) failed." if failed else "All goals met."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
