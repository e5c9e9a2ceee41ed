from django.core.management.base import BaseCommand

from demo.data import ACCOUNTS, demo_password, load_demo


class Command(BaseCommand):
    help = "Tạo (hoặc làm mới) tài khoản và dữ liệu mẫu. Chạy lại nhiều lần vẫn cho cùng dữ liệu."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Dữ liệu mẫu: {users} tài khoản, {facilities} cơ sở, {proposals} đề án, "
                "{beneficiaries} lượt cơ sở thụ hưởng.".format(**counts)
            )
        )
        names = ", ".join(username for username, *_rest in ACCOUNTS)
        self.stdout.write(f"Tài khoản: {names} — mật khẩu: {demo_password()}")
