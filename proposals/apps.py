from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Đề án khuyến công")

    def ready(self):
        from django.db.models.signals import post_save

        from funding.models import Allocation
        from khuyencong import datacache
        from proposals import budget

        datacache.watch(self)  # lists' totals and reports read these models
        # Funding knows nothing of proposals: the committed figure is ours to keep.
        post_save.connect(budget.refresh_saved_allocation, sender=Allocation)
