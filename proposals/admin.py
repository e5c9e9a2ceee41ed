from django.contrib import admin

from khuyencong.admin import VersionedAdmin
from proposals.models import Beneficiary, OutcomeIndicator, Proposal, ProposalEvent


class BeneficiaryInline(admin.TabularInline):
    model = Beneficiary
    extra = 0
    autocomplete_fields = ["facility"]


class OutcomeIndicatorInline(admin.TabularInline):
    model = OutcomeIndicator
    extra = 0


class ProposalEventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "at",
        "action",
        "from_state",
        "to_state",
        "actor",
        "comment",
        "support_vnd",
        "counterpart_vnd",
        "other_vnd",
        "decision_number",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(VersionedAdmin):
    list_display = ["code", "title", "year", "province", "fund", "content", "state", "support_vnd"]
    list_filter = ["state", "fund", "content", "kind", "year", "province"]
    search_fields = ["code", "title", "implementing_unit", "search_text"]
    # Keys, money, decisions and the state move only through the lifecycle and save_proposal,
    # which keep allocations' committed figures and the rules; the admin shows them.
    readonly_fields = [
        "province",
        "year",
        "fund",
        "state",
        "decision_number",
        "decision_date",
        "approved_support_vnd",
        "version",
        "final_support_vnd",
        "final_counterpart_vnd",
        "final_other_vnd",
    ]
    inlines = [BeneficiaryInline, OutcomeIndicatorInline, ProposalEventInline]

    def has_add_permission(self, request):
        return False  # a proposal starts as a centre's draft, on the page or through the API


@admin.register(ProposalEvent)
class ProposalEventAdmin(admin.ModelAdmin):
    """Read-only: events are the proposal's immutable record."""

    list_display = ["proposal", "action", "from_state", "to_state", "actor", "at"]
    list_filter = ["action", "to_state"]
    search_fields = ["proposal__code", "comment"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
