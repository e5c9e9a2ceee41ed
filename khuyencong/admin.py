import json

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.models import Membership, Province, Unit


class VersionedAdmin(SimpleHistoryAdmin):
    """The admin of a record with a `version`: a change is written under the row's lock onto
    the row as it is then (only the fields changed), and moves the version on, so an editor who
    opened the record before is told, not overwritten."""

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        many = {field.name for field in obj._meta.many_to_many}
        with transaction.atomic():
            current = type(obj).objects.select_for_update(of=("self",)).get(pk=obj.pk)
            for name in form.changed_data:
                if name not in many:  # the form writes those itself, in save_related
                    setattr(current, name, form.cleaned_data[name])
            current.version += 1
            current.save()
        obj.refresh_from_db()


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "kind",
        "code_until_2025",
        "code_from_2025",
        "valid_to",
        "successor",
    ]
    list_filter = ["kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "code_until_2025", "code_from_2025"]
    autocomplete_fields = ["successor"]


@admin.register(Unit)
class UnitAdmin(VersionedAdmin):
    list_display = ["name", "short_name", "kind", "province", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name", "province__name"]
    autocomplete_fields = ["province"]
    filter_horizontal = ["provinces_served"]
    readonly_fields = ["version"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["province"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "province"]
    list_filter = ["role", "province"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "province__name"]
    autocomplete_fields = ["user", "province"]


@admin.register(LogEntry)
class AdminLogAdmin(admin.ModelAdmin):
    """Who changed what in the admin, with the old and new values (read-only)."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "values"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "user__username"]
    date_hierarchy = "action_time"

    @admin.display(description=_("Thay đổi (cũ → mới)"))
    def values(self, entry):
        try:
            parts = json.loads(entry.change_message or "[]")
        except ValueError:
            return entry.change_message
        changes = [
            f"{name}: {old!r} → {new!r}"
            for part in parts
            if isinstance(part, dict)
            for name, (old, new) in part.get("changed", {}).get("values", {}).items()
        ]
        return "; ".join(changes) or entry.get_change_message()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
