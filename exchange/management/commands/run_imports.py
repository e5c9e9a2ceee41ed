"""The import worker: checks uploaded files and writes confirmed ones, one job at a time.

Run it beside the web server (`make worker`; in production, one more process next to gunicorn).
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from exchange import jobs


class Command(BaseCommand):
    help = (
        "Xử lý các lượt nhập Excel đang chờ (kiểm tra, ghi). Process waiting spreadsheet imports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Process what is waiting, then exit."
        )
        parser.add_argument(
            "--sleep", type=float, default=1.0, help="Seconds between polls when idle."
        )

    def handle(self, *args, once=False, sleep=1.0, **options):
        while True:
            if not connection.in_atomic_block:  # a test calls this inside its transaction
                # A long-lived worker drops a broken or expired connection, as requests do.
                close_old_connections()
            requeued = jobs.requeue_stale()
            if requeued:
                self.stderr.write(f"{requeued} lượt nhập bị dừng giữa chừng được xếp lại hàng.")
            job = jobs.process_next()
            if job is not None:
                self.stdout.write(
                    f"Lượt nhập {job.pk} ({job.file_name}): {job.get_status_display()}, "
                    f"{job.total_rows} dòng."
                )
                continue
            if once:
                return
            time.sleep(sleep)
