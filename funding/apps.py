from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Nguồn kinh phí, kế hoạch và phân bổ")

    def ready(self):
        from khuyencong import datacache

        datacache.watch(self)  # lists' totals and reports read these models
