from django.contrib import admin

from funding.models import (
    ActivityContent,
    ActivityType,
    Allocation,
    Fund,
    OutputIndicator,
    Plan,
    PlanTarget,
)
from khuyencong.admin import VersionedAdmin


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "short_name", "order"]
    search_fields = ["key", "name"]


@admin.register(ActivityContent)
class ActivityContentAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "name"]
    search_fields = ["name", "short_name"]


class CatalogueAdmin(admin.ModelAdmin):
    """Admins add rows and edit names; a key is a contract with other programs (SPEC §3.1),
    so it is typed once, on creation, and read-only after."""

    search_fields = ["key", "name", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj is not None else []


@admin.register(ActivityType)
class ActivityTypeAdmin(CatalogueAdmin):
    list_display = ["key", "content", "name", "name_en", "order"]
    list_filter = ["content"]


@admin.register(OutputIndicator)
class OutputIndicatorAdmin(CatalogueAdmin):
    list_display = ["key", "name", "unit", "content", "name_en", "order"]
    list_filter = ["content"]


class PlanTargetInline(admin.TabularInline):
    model = PlanTarget
    extra = 1


class MoneyReadOnlyAdmin(VersionedAdmin):
    """Money, its key and its decision are entered on the pages (funding.writing), where the
    rules hold; here they are shown only. Notes stay editable, and move the version on."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(MoneyReadOnlyAdmin):
    list_display = ["province", "fund", "year_from", "year_to", "target_support_vnd"]
    list_filter = ["fund", "year_from", "province"]
    search_fields = ["province__name", "note"]
    readonly_fields = [
        "province",
        "fund",
        "year_from",
        "year_to",
        "target_support_vnd",
        "version",
    ]
    inlines = [PlanTargetInline]


@admin.register(Allocation)
class AllocationAdmin(MoneyReadOnlyAdmin):
    list_display = ["province", "year", "fund", "amount_vnd", "committed_vnd", "decision_number"]
    list_filter = ["fund", "year", "province"]
    search_fields = ["province__name", "decision_number"]
    readonly_fields = [
        "province",
        "year",
        "fund",
        "amount_vnd",
        "committed_vnd",
        "decision_number",
        "version",
    ]
