from django.core.management.base import BaseCommand

from proposals.implementation import send_progress_reminders


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc báo cáo tiến độ cho các đề án đang thực hiện chưa có báo cáo tháng này "
        "(sau ngày 25). Chạy hằng ngày bằng cron."
    )

    def handle(self, *args, **options):
        sent = send_progress_reminders()
        self.stdout.write(self.style.SUCCESS(f"Đã gửi {sent} thư nhắc."))
