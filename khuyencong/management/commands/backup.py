from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuyencong.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm vào một thư mục mới. Back up database and files."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            manifest = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã sao lưu vào {directory}: {', '.join(manifest['sha256'])}.")
