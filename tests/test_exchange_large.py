"""A large facility file goes through the worker in the background, with progress.

The suite imports 1 000 rows to stay fast (the pages' form and model validation run for every
row, twice). Its cost is pinned in queries per row, which no machine's load changes; the time
of a 10 000-row import is measured separately with the command in docs/exchange.md.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from exchange import jobs
from exchange.models import ImportJob, Status
from facilities.models import Facility
from tests.exchange_files import facility_file, facility_row, upload

pytestmark = pytest.mark.django_db
ROWS = 1_000


class QueryCounter:
    """Counts every statement (Django's query log keeps only the last 9 000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def test_a_1000_row_file_is_checked_and_written_by_the_worker(cast, settings):
    settings.DEBUG = False  # as the worker runs in production: no SQL log kept per query
    user = cast["centre.bacninh"]
    data = facility_file([facility_row(n) for n in range(1, ROWS + 1)])
    job = jobs.submit(user, "facilities", upload(data, "lon.xlsx"))
    checking, writing = QueryCounter(), QueryCounter()
    with connection.execute_wrapper(checking):
        call_command("run_imports", "--once")
    job.refresh_from_db()
    assert job.status == Status.READY
    assert (job.total_rows, job.done_rows, job.new_rows) == (ROWS, ROWS, ROWS)
    assert not Facility.objects.exists()

    jobs.confirm(job)
    with connection.execute_wrapper(writing):
        call_command("run_imports", "--once")
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert Facility.objects.count() == ROWS
    assert ImportJob.objects.get().rows.count() == ROWS
    # Measured 8 037 statements to check and 15 035 to write on SQLite (8 028 and 15 026 on
    # PostgreSQL), 2 December 2026: about 8 and 15 a row. One more per row in either phase is
    # a regression to look at, not noise.
    assert checking.count <= 8_100
    assert writing.count <= 15_100


def test_progress_is_written_as_the_worker_goes(cast, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    seen = []
    original = jobs._Progress.__call__

    def spy(self, done):
        original(self, done)
        seen.append(ImportJob.objects.get(pk=self.job.pk).done_rows)

    monkeypatch.setattr(jobs._Progress, "__call__", spy)
    rows = [facility_row(n) for n in range(1, 601)]
    job = jobs.submit(cast["centre.bacninh"], "facilities", upload(facility_file(rows)))
    jobs.process_all()
    # One write per chunk of rows, visible to the status page while the check runs.
    assert seen[:3] == [250, 500, 600]
    job.refresh_from_db()
    assert job.percent == 100
