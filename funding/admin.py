from django.contrib import admin

from funding.models import ActivityContent, Allocation, Fund, Plan, PlanTarget


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "short_name", "order"]
    search_fields = ["key", "name"]


@admin.register(ActivityContent)
class ActivityContentAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "name"]
    search_fields = ["name", "short_name"]


class PlanTargetInline(admin.TabularInline):
    model = PlanTarget
    extra = 1


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["province", "fund", "year_from", "year_to", "target_support_vnd"]
    list_filter = ["fund", "year_from", "province"]
    search_fields = ["province__name", "note"]
    autocomplete_fields = ["province"]
    inlines = [PlanTargetInline]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "fund", "amount_vnd", "decision_number"]
    list_filter = ["fund", "year", "province"]
    search_fields = ["province__name", "decision_number"]
    autocomplete_fields = ["province"]
