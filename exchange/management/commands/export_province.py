"""`manage.py export_province bac-ninh > bac-ninh.json`: a province's whole data set."""

from django.core.management.base import BaseCommand, CommandError

from exchange.province import iter_document
from khuyencong.models import Province


class Command(BaseCommand):
    help = (
        "Xuất toàn bộ dữ liệu của một tỉnh (kể cả tỉnh cũ đã sáp nhập vào) thành một tài liệu "
        "JSON. Export a province's data set as one JSON document."
    )

    def add_arguments(self, parser):
        parser.add_argument("province", help="Mã định danh tỉnh, ví dụ bac-ninh.")
        parser.add_argument("--output", "-o", help="Ghi ra tệp thay vì stdout.")

    def handle(self, *args, province, output=None, **options):
        found = Province.objects.filter(slug=province).first()
        if found is None:
            raise CommandError(f"Không có tỉnh “{province}”.")
        if output:
            with open(output, "w", encoding="utf-8") as out:
                for chunk in iter_document(found):
                    out.write(chunk)
        else:
            for chunk in iter_document(found):
                self.stdout.write(chunk, ending="")
