from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from khuyencong.models import Membership, Province

admin.site.site_header = "Quản trị cổng khuyến công"
admin.site.site_title = "Khuyến công"
admin.site.index_title = "Dữ liệu và người dùng"


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
