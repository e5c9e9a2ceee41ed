from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from facilities.models import Facility, Province


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


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "legal_form", "tax_code", "province", "area_class", "employees"]
    list_filter = ["legal_form", "area_class", "province"]
    search_fields = ["name", "tax_code", "address", "search_text"]
    autocomplete_fields = ["province"]
