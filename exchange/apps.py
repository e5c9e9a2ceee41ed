from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exchange"
    verbose_name = "Nhập, xuất dữ liệu"

    def ready(self):
        from exchange.jobs import backlog
        from khuyencong import health

        health.register("imports", backlog)
