from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from facilities.models import Facility


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "legal_form", "tax_code", "province", "area_class", "employees"]
    list_filter = ["legal_form", "area_class", "province"]
    search_fields = ["name", "tax_code", "address", "search_text"]
    autocomplete_fields = ["province"]
