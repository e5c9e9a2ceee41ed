"""A large facility file goes through the worker in the background, with progress.

The suite imports 1 000 rows to stay fast (about 8 ms a row and phase: the pages' form
and model validation run for every row, twice); docs/exchange.md has the 10 000-row measurement,
made separately with the command written there.
"""

import time

import pytest
from django.core.management import call_command

from exchange import jobs
from exchange.models import ImportJob, Status
from facilities.models import Facility
from tests.exchange_files import facility_file, facility_row, upload

pytestmark = pytest.mark.django_db
ROWS = 1_000


def test_a_1000_row_file_is_checked_and_written_by_the_worker(cast, settings):
    settings.DEBUG = False  # as the worker runs in production: no SQL log kept per query
    user = cast["centre.bacninh"]
    data = facility_file([facility_row(n) for n in range(1, ROWS + 1)])
    job = jobs.submit(user, "facilities", upload(data, "lon.xlsx"))
    started = time.monotonic()
    call_command("run_imports", "--once")
    job.refresh_from_db()
    assert job.status == Status.READY
    assert (job.total_rows, job.done_rows, job.new_rows) == (ROWS, ROWS, ROWS)
    assert not Facility.objects.exists()

    jobs.confirm(job)
    call_command("run_imports", "--once")
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert Facility.objects.count() == ROWS
    assert time.monotonic() - started < 60
    assert ImportJob.objects.get().rows.count() == ROWS


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
