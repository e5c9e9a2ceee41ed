from django.core.management.base import BaseCommand, CommandError

from bench.generate import AlreadyGenerated, clear, generate


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu quy mô toàn quốc để đo hiệu năng (bulk insert, xác định theo seed). "
        "Generate national-scale data for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--clear", action="store_true", help="Xóa dữ liệu đã sinh trước đó rồi sinh lại."
        )
        parser.add_argument("--clear-only", action="store_true", help="Chỉ xóa dữ liệu đã sinh.")

    def handle(self, *args, **options):
        if options["clear_only"]:
            clear(log=self.stdout.write)
            return
        if options["proposals"] < 1:
            raise CommandError("--proposals must be at least 1.")
        try:
            result = generate(
                options["proposals"],
                options["seed"],
                clear_first=options["clear"],
                log=self.stdout.write,
            )
        except AlreadyGenerated as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(result.describe()))
