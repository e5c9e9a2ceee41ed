from django.contrib import admin

from exchange.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: who imported what, and how it ended (the file itself stays out of the page)."""

    list_display = ["file_name", "kind", "status", "created_by", "created_at", "total_rows"]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "created_by__username"]
    exclude = ["source"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ImportJob._meta.fields if f.name != "source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
