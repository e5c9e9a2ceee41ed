from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from khuyencong.admin import VersionedAdmin
from proposals.models import Beneficiary, OutcomeIndicator, Proposal, ProposalEvent


class BeneficiaryInline(admin.TabularInline):
    model = Beneficiary
    extra = 0
    autocomplete_fields = ["facility"]


class OutcomeIndicatorInline(admin.TabularInline):
    model = OutcomeIndicator
    extra = 0
    fields = ["indicator", "name", "unit", "planned", "actual"]


class OutcomeIndicatorAdminForm(forms.ModelForm):
    def clean_indicator(self):
        # The proposal is not a field of this form, so Django leaves its unique rule to the
        # database: asked here, the refusal shows beside the field instead of a 500.
        indicator = self.cleaned_data.get("indicator")
        row = self.instance
        if (
            indicator
            and OutcomeIndicator.objects.filter(proposal_id=row.proposal_id, indicator=indicator)
            .exclude(pk=row.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("Đề án %(code)s đã có chỉ tiêu “%(name)s”.")
                % {"code": row.proposal.code, "name": indicator.label}
            )
        return indicator


@admin.register(OutcomeIndicator)
class OutcomeIndicatorAdmin(admin.ModelAdmin):
    """Outputs of every proposal. Filter "chỉ tiêu đầu ra: trống" lists the "other" rows (free
    text, never summed) so an administrator maps each onto the catalogue from the list."""

    list_display = ["proposal", "name", "unit", "planned", "actual", "indicator"]
    list_editable = ["indicator"]
    list_filter = [("indicator", admin.EmptyFieldListFilter), "indicator"]
    list_select_related = ["proposal", "indicator"]
    search_fields = ["name", "proposal__code", "proposal__title"]
    fields = ["proposal", "indicator", "name", "unit", "planned", "actual"]
    readonly_fields = ["proposal"]
    form = OutcomeIndicatorAdminForm

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=OutcomeIndicatorAdminForm, **kwargs)

    def has_add_permission(self, request):
        return False  # outputs are planned with their proposal and recorded at acceptance


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
    list_filter = ["state", "fund", "content", "kind", "unit__kind", "year", "province"]
    search_fields = ["code", "title", "implementing_unit", "search_text"]
    # Proposal.clean refuses a unit that may not work in the proposal's province, here too.
    autocomplete_fields = ["unit", "partners"]
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
