from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Tỉnh và cơ sở CNNT")

    def ready(self):
        from khuyencong import datacache

        datacache.watch(self)  # lists' totals and reports read these models
