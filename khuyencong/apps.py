from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhuyencongConfig(AppConfig):
    name = "khuyencong"
    verbose_name = _("Người dùng và vai trò")

    def ready(self):
        from khuyencong import tokens

        tokens.connect()
