"""`manage.py import_province bac-ninh.json`: load a province's exchange document, atomically."""

import sys

from django.core.management.base import BaseCommand, CommandError

from exchange.province import ExchangeError, import_document, load


class Command(BaseCommand):
    help = (
        "Nhập tài liệu trao đổi JSON của một tỉnh (một giao dịch; chạy lại không đổi gì). "
        "Import a province's exchange document; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp JSON, hoặc - để đọc stdin.")

    def handle(self, *args, path, **options):
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as source:
                    text = source.read()
            report = import_document(load(text))
        except (OSError, ExchangeError) as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            "Không có gì thay đổi." if not report.changed else f"Đã ghi {report.changed} bản ghi."
        )
