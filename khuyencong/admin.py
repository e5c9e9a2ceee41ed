from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.models import Membership, Province, Unit

admin.site.site_header = "Quản trị cổng khuyến công"
admin.site.site_title = "Khuyến công"
admin.site.index_title = "Dữ liệu và người dùng"


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
