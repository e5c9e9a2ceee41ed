from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhuyencongConfig(AppConfig):
    name = "khuyencong"
    verbose_name = _("Người dùng và vai trò")

    def ready(self):
        from django.db.models.signals import post_migrate

        from khuyencong import append_only, tokens

        tokens.connect()
        # Once per `migrate`, after every app's tables exist (sender: this app only).
        post_migrate.connect(append_only.install, sender=self, dispatch_uid="append_only")
