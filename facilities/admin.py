from django.contrib import admin

from facilities.models import Facility
from khuyencong.admin import VersionedAdmin


@admin.register(Facility)
class FacilityAdmin(VersionedAdmin):
    list_display = ["name", "legal_form", "tax_code", "province", "area_class", "employees"]
    list_filter = ["legal_form", "area_class", "province"]
    search_fields = ["name", "tax_code", "address", "search_text"]
    autocomplete_fields = ["province"]
    readonly_fields = ["version"]
