"""Retention: expired sessions and the files of old imports go; run it daily (cron)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from exchange import jobs


class Command(BaseCommand):
    help = (
        "Xóa phiên đăng nhập hết hạn và tệp nhập đã quá hạn lưu giữ. "
        "Delete expired sessions and import files past IMPORT_RETENTION_DAYS."
    )

    def handle(self, *args, **options):
        call_command("clearsessions")
        emptied = jobs.purge_files()
        self.stdout.write(f"Đã xóa tệp của {emptied} lượt nhập quá hạn lưu giữ.")
