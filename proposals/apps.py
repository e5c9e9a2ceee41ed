from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Đề án khuyến công")

    def ready(self):
        from khuyencong import datacache

        datacache.watch(self)  # lists' totals and reports read these models
