from django.contrib import admin

from registrations.models import Registration, RegistrationEvent, RegistrationFile


class RegistrationFileInline(admin.TabularInline):
    model = RegistrationFile
    extra = 0
    can_delete = False
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class RegistrationEventInline(admin.TabularInline):
    model = RegistrationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """For administrators; the centre works on the registration pages, which write events."""

    list_display = ["code", "name", "province", "status", "submitted_at", "submitted_from"]
    list_filter = ["status", "province", "content"]
    search_fields = ["code", "name", "tax_code", "phone", "search_text"]
    readonly_fields = [
        "code",
        "status",
        "facility",
        "proposal",
        "decline_reason",
        "submitted_at",
        "updated_at",
        "submitted_from",
    ]
    inlines = [RegistrationFileInline, RegistrationEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
