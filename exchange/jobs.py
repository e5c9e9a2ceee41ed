"""Running imports in the background, with the database as the queue.

Why no Redis, no Celery, no django-tasks: the portal already has one database both processes
reach, a province uploads a handful of files a week, and a job must survive a web worker
restart. So a job is a row: the web request stores the file and answers at once; a worker
(`manage.py run_imports`, one more process next to gunicorn) claims QUEUED and CONFIRMED jobs
with a conditional UPDATE (so two workers never take the same job), heartbeats while it works,
and takes back a job whose heartbeat stopped (its transaction was rolled back with it). On the
development server (DEBUG) the same function also runs in a thread started when the upload
commits, so `make run` needs no second process.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exchange.importing import IMPORTERS, FileError, RowOutcome
from exchange.models import ImportJob, ImportRow, Outcome, Status

log = logging.getLogger(__name__)

# A running job whose worker has not written for this long is taken up again.
STALE_AFTER = datetime.timedelta(minutes=5)
# At most one progress write per this many seconds.
PROGRESS_EVERY = 0.5


def runs_in_thread() -> bool:
    """Run jobs in a thread of the web process (development) besides the worker command."""
    return getattr(settings, "EXCHANGE_IMPORTS_IN_THREAD", settings.DEBUG)


# Readiness (/readyz) fails when a job has waited this long for a worker: none is running.
BACKLOG_LIMIT = datetime.timedelta(minutes=10)


def backlog(now=None) -> str:
    """The import queue for /readyz: how many jobs wait; raises when the oldest waits too long
    or a running job's worker stopped (a worker must be running beside the web servers)."""
    now = now or timezone.now()
    waiting = ImportJob.objects.filter(status__in=(Status.QUEUED, Status.CONFIRMED))
    # A queued job waits since its upload, a confirmed one since its confirmation.
    since = [
        waiting.filter(status=status).order_by(field).values_list(field, flat=True).first()
        for status, field in ((Status.QUEUED, "created_at"), (Status.CONFIRMED, "confirmed_at"))
    ]
    oldest = min((t for t in since if t is not None), default=None)
    stuck = ImportJob.objects.filter(
        status__in=(Status.CHECKING, Status.WRITING), heartbeat_at__lt=now - STALE_AFTER
    ).count()
    if oldest is not None and not runs_in_thread() and now - oldest > BACKLOG_LIMIT:
        raise RuntimeError(f"an import has waited {now - oldest} for a worker")
    if stuck:
        raise RuntimeError(f"{stuck} import(s) stopped without finishing")
    return f"{waiting.count()} waiting"


# Jobs the worker no longer needs: their files may go once the retention period is over.
FINISHED = (Status.DONE, Status.INVALID, Status.FAILED)


def purge_files(now=None) -> int:
    """Empty the uploaded file of every job older than IMPORT_RETENTION_DAYS that is finished,
    or checked and never confirmed (that one becomes FAILED: it can no longer be written).
    The job and its row outcomes stay, as the record of who imported what; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IMPORT_RETENTION_DAYS)
    old = ImportJob.objects.filter(created_at__lt=cutoff).exclude(source=b"")
    with transaction.atomic():
        abandoned = old.filter(status=Status.READY).update(
            status=Status.FAILED,
            source=b"",
            message=_("Tệp đã bị xóa sau thời hạn lưu giữ mà chưa được xác nhận."),
            finished_at=now or timezone.now(),
        )
        finished = old.filter(status__in=FINISHED).update(source=b"")
    return abandoned + finished


def submit(user, kind: str, upload) -> ImportJob:
    """Store an uploaded file as a QUEUED job; the worker checks it."""
    job = ImportJob.objects.create(
        kind=kind, created_by=user, file_name=upload.name[:255], source=upload.read()
    )
    _kick(job.pk)
    return job


def confirm(job: ImportJob) -> bool:
    """READY -> CONFIRMED (the worker writes it). False when the job was not READY any more."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=Status.READY, error_rows=0).update(
        status=Status.CONFIRMED, confirmed_at=timezone.now()
    )
    if claimed:
        job.refresh_from_db()
        _kick(job.pk)
    return bool(claimed)


def _kick(job_id: int) -> None:
    if runs_in_thread():
        transaction.on_commit(lambda: _start_thread(job_id))


def _start_thread(job_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    try:
        process(job_id)
    finally:
        connection.close()


def requeue_stale(now=None) -> int:
    """Jobs whose worker died go back to the queue; returns how many."""
    limit = (now or timezone.now()) - STALE_AFTER
    count = 0
    for running, queued in ((Status.CHECKING, Status.QUEUED), (Status.WRITING, Status.CONFIRMED)):
        count += ImportJob.objects.filter(status=running, heartbeat_at__lt=limit).update(
            status=queued
        )
    return count


def _claim(job_id: int) -> ImportJob | None:
    """Take a QUEUED or CONFIRMED job; None when someone else took it first."""
    now = timezone.now()
    for waiting, running in ((Status.QUEUED, Status.CHECKING), (Status.CONFIRMED, Status.WRITING)):
        if ImportJob.objects.filter(pk=job_id, status=waiting).update(
            status=running, heartbeat_at=now, done_rows=0
        ):
            return ImportJob.objects.select_related("created_by").get(pk=job_id)
    return None


def process_next() -> ImportJob | None:
    """Claim and run the oldest waiting job; None when there is none."""
    waiting = ImportJob.objects.filter(status__in=(Status.QUEUED, Status.CONFIRMED))
    for job_id in waiting.order_by("created_at", "id").values_list("pk", flat=True)[:5]:
        job = process(job_id)
        if job is not None:
            return job
    return None


def process_all() -> int:
    """Run every waiting job (tests, `run_imports --once`); returns how many ran."""
    count = 0
    while process_next() is not None:
        count += 1
    return count


def process(job_id: int) -> ImportJob | None:
    job = _claim(job_id)
    if job is None:
        return None
    with translation.override("vi"):
        try:
            if job.status == Status.CHECKING:
                _check(job)
            else:
                _write(job)
        except Exception:
            log.exception("Import %s failed", job.pk)
            _finish(
                job,
                Status.FAILED,
                message="Lỗi hệ thống khi xử lý tệp; không có gì được ghi. "
                f"Hãy báo quản trị (mã lượt nhập {job.pk}).",
            )
    return job


class _Progress:
    """Writes done_rows now and then; from inside the write transaction, on a side connection."""

    def __init__(self, job, *, in_transaction=False):
        self.job = job
        self.in_transaction = in_transaction
        self.last = 0.0

    def __call__(self, done: int) -> None:
        now = timezone.now()
        if now.timestamp() - self.last < PROGRESS_EVERY:
            return
        self.last = now.timestamp()
        done = min(done, self.job.total_rows)
        if not self.in_transaction:
            ImportJob.objects.filter(pk=self.job.pk).update(done_rows=done, heartbeat_at=now)
        elif connection.vendor == "postgresql":
            # The confirm runs in one transaction; a write there would stay invisible until
            # it commits. Another connection (another thread) commits the figure at once.
            # SQLite allows one writer, so there the bar waits for the commit.
            side = threading.Thread(target=_side_write, args=(self.job.pk, done, now))
            side.start()
            side.join()


def _side_write(job_id, done, now):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        ImportJob.objects.filter(pk=job_id).update(done_rows=done, heartbeat_at=now)
    except Exception:  # progress is a courtesy; never fail the import for it
        log.warning("Progress of import %s not written", job_id, exc_info=True)
    finally:
        connection.close()


def _importer(job, expected=None):
    return IMPORTERS[job.kind](job.created_by, expected=expected)


def _check(job: ImportJob) -> None:
    importer = _importer(job)
    try:
        tables = importer.load(bytes(job.source))
    except FileError as error:
        _finish(job, Status.INVALID, message=str(error), outcomes=[])
        return
    job.total_rows = importer.count(tables)
    ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
    outcomes = importer.run(tables, write=False, progress=_Progress(job))
    failed = any(o.failed for o in outcomes)
    _finish(job, Status.INVALID if failed else Status.READY, outcomes=outcomes)


def _write(job: ImportJob) -> None:
    expected = {
        (sheet, row): (outcome, version)
        for sheet, row, outcome, version in job.rows.values_list(
            "sheet", "row", "outcome", "version"
        )
    }
    importer = _importer(job, expected=expected)
    tables = importer.load(bytes(job.source))
    # All or nothing: one transaction; any row error rolls every row back.
    with transaction.atomic():
        progress = _Progress(job, in_transaction=True)
        outcomes = importer.run(tables, write=True, progress=progress)
        failed = any(o.failed for o in outcomes)
        if failed:
            transaction.set_rollback(True)
    if failed:
        _finish(
            job,
            Status.INVALID,
            outcomes=outcomes,
            message="Khi ghi, dữ liệu trong hệ thống đã khác lúc kiểm tra nên không có gì được "
            "ghi. Xem các dòng lỗi, sửa tệp và tải lên lại.",
        )
    else:
        _finish(job, Status.DONE, outcomes=outcomes)


FINISH_FIELDS = [
    "status",
    "message",
    "heartbeat_at",
    "done_rows",
    "total_rows",
    "checked_at",
    "finished_at",
    "new_rows",
    "updated_rows",
    "unchanged_rows",
    "error_rows",
]


def _finish(job, status, *, message="", outcomes: list[RowOutcome] | None = None) -> None:
    now = timezone.now()
    with transaction.atomic():
        if outcomes is not None:
            job.rows.all().delete()
            ImportRow.objects.bulk_create(
                (
                    ImportRow(
                        job=job,
                        sheet=o.sheet,
                        row=o.row,
                        key=o.key[:255],
                        label=o.label[:500],
                        outcome=o.outcome,
                        errors=o.errors,
                        changes=o.changes,
                        version=o.version,
                    )
                    for o in outcomes
                ),
                batch_size=1000,
            )
            counts = {value: 0 for value in Outcome.values}
            for o in outcomes:
                counts[o.outcome] += 1
            job.new_rows = counts[Outcome.NEW]
            job.updated_rows = counts[Outcome.UPDATE]
            job.unchanged_rows = counts[Outcome.UNCHANGED]
            job.error_rows = counts[Outcome.ERROR]
        job.status = status
        job.message = message
        job.heartbeat_at = now
        job.done_rows = job.total_rows
        if status in (Status.READY, Status.INVALID) and job.checked_at is None:
            job.checked_at = now
        if status == Status.DONE:
            job.finished_at = now
        # Not the stored file: it can be megabytes.
        job.save(update_fields=FINISH_FIELDS)
