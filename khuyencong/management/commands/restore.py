from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuyencong.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu vào cơ sở dữ liệu trống. "
        "Restore a backup into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            manifest = restore(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã khôi phục bản sao lưu lúc {manifest['created']} từ {directory}.")
