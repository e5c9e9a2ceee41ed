"""Editing a proposal: saving with optimistic concurrency (who may: `proposals.permissions`).

Pages and the API both save through `save_proposal`, so the rules (editable state, province of
the year, beneficiary sums, stale versions) live here once.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _

from facilities.writing import save_facility
from khuyencong import access, history
from khuyencong.errors import allowed
from khuyencong.models import Unit
from khuyencong.roles import Role
from proposals import permissions
from proposals.models import Beneficiary, OutcomeIndicator, Proposal, check_beneficiary_sums


@dataclass
class Change:
    field: str
    old: str
    new: str
    who: str
    when: object


class StaleEdit(Exception):
    """Someone saved the proposal after the editor loaded it; `changes` says what they changed."""

    def __init__(self, current_version: int, changes: list[Change]):
        super().__init__(_("Đề án đã được người khác sửa trong lúc bạn đang sửa."))
        self.current_version = current_version
        self.changes = changes


def changes_since(proposal, version: int) -> list[Change]:
    """Field changes recorded after `version`, from the field-level history."""
    return [
        Change(c.label, c.old, c.new, c.who, c.when)
        for c in history.changes_since(proposal, version)
    ]


def default_unit(user, province) -> Unit | None:
    """The implementing unit of a proposal that names none (SPEC §9): the caller's own unit
    (a centre user's provincial centre) when it may work in `province`, else the active
    provincial centre there (Bắc Ninh's for a Bắc Giang proposal entered after the merger)."""
    working = Unit.objects.active().working_in(province)
    own = [m.province_id for m in access.memberships(user) if m.role == Role.CENTRE]
    return (
        working.filter(kind=Unit.Kind.CENTRE, province_id__in=own).first()
        or working.filter(kind=Unit.Kind.CENTRE).first()
    )


def _check_partners(proposal, partners) -> list:
    errors = []
    if proposal.unit_id and any(unit.pk == proposal.unit_id for unit in partners):
        errors.append(_("Đơn vị chủ trì không đồng thời là đơn vị phối hợp."))
    kept = set(proposal.partners.values_list("pk", flat=True)) if proposal.pk else set()
    for unit in partners:
        if not unit.active and unit.pk not in kept:
            errors.append(_("Đơn vị “%(unit)s” không còn hoạt động.") % {"unit": unit})
    return errors


def _validate(proposal, beneficiaries, indicators, partners):
    errors = {}
    if partners is not None:
        if found := _check_partners(proposal, partners):
            errors["partners"] = found
    try:
        proposal.full_clean(exclude=["created_by"], validate_unique=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    facilities = [b.facility_id for b in beneficiaries if b.facility_id]
    if len(facilities) != len(set(facilities)):
        errors.setdefault("beneficiaries", []).append(_("Một cơ sở chỉ được nêu một lần."))
    _validate_indicators(indicators, errors)
    try:
        check_beneficiary_sums(proposal, beneficiaries)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _validate_indicators(indicators, errors) -> None:
    """Each row names a catalogue indicator or, as "other", its own text; a catalogue indicator
    is planned once per proposal (reports add them up)."""
    keys = [row.indicator_id for row in indicators if row.indicator_id]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        indicator = next(row.indicator for row in indicators if row.indicator_id == key)
        errors.setdefault("indicators", []).append(
            _("Chỉ tiêu “%(name)s” được nêu hai lần.") % {"name": indicator.label}
        )
    for row in indicators:
        if row.indicator_id:
            row.name, row.unit = "", ""  # a catalogue row's name and unit are the catalogue's
        try:
            row.full_clean(exclude=["proposal", "indicator"], validate_constraints=False)
        except ValidationError as error:
            label = row.label or _("Chỉ tiêu khác")
            for field, messages in error.message_dict.items():
                name = row._meta.get_field(field).verbose_name if field != "__all__" else ""
                for message in messages:
                    text = f"{label} – {name}: {message}" if name else f"{label}: {message}"
                    errors.setdefault("indicators", []).append(text)
        if not row.indicator_id and not row.name.strip():
            errors.setdefault("indicators", []).append(
                _("Hãy chọn chỉ tiêu trong danh mục hoặc ghi tên chỉ tiêu khác.")
            )
        elif row.planned is None:
            # Only acceptance records an indicator that was never planned.
            errors.setdefault("indicators", []).append(
                _("Hãy nhập số kế hoạch của chỉ tiêu “%(name)s”.") % {"name": row.label}
            )


def _save_new_facilities(user, beneficiaries):
    """Facilities described inline on the form are entered with the proposal, or not at all,
    through the one facility write path (province, tax code and its uniqueness, who may)."""
    for row in beneficiaries:
        facility = row.facility
        if facility.pk is None:
            data = {
                "name": facility.name,
                "legal_form": facility.legal_form,
                "tax_code": facility.tax_code or "",
                "province": facility.province_id,
                "area_class": facility.area_class,
            }
            try:
                row.facility = save_facility(user, data)
            except ValidationError as error:
                # format_html keeps the link to a visible twin that the facility rule gives.
                messages = [format_html("{}: {}", facility.name, m) for m in error.messages]
                raise ValidationError({"beneficiaries": messages}) from error


@transaction.atomic
def save_proposal(
    proposal: Proposal,
    user,
    beneficiaries: list[Beneficiary] | None = None,
    indicators: list[OutcomeIndicator] | None = None,
    expected_version: int | None = None,
    partners: list[Unit] | None = None,
) -> Proposal:
    """Validate and save a new or edited proposal with its beneficiaries, indicators and
    partner units; a proposal naming no implementing unit gets `default_unit`.

    `beneficiaries` / `indicators` / `partners` of None leave the existing rows alone; a list
    replaces them.
    An edit whose `expected_version` is not the stored one raises StaleEdit; nothing partial
    is ever saved.
    """
    if proposal.pk:
        current = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        permissions.require(user, current, "edit")
        if expected_version is None or int(expected_version) != current.version:
            raise StaleEdit(current.version, changes_since(current, int(expected_version or 1)))
        proposal.state = current.state
        proposal.version = current.version + 1
    else:
        allowed(permissions.may_create(user))
        proposal.created_by = user
    # On create and on edit alike: a proposal stays within the centre's own provinces.
    slugs = permissions.creatable_province_slugs(user)
    if slugs is not None and proposal.province_id not in slugs:
        raise ValidationError({"province": _("Bạn không được lập đề án cho tỉnh này.")})
    if beneficiaries is None and proposal.pk:
        beneficiaries = list(proposal.beneficiaries.all())
        replace_beneficiaries = False
    else:
        beneficiaries = beneficiaries or []
        replace_beneficiaries = True
    if proposal.unit_id is None and proposal.province_id:
        proposal.unit = default_unit(user, proposal.province)
    _validate(proposal, beneficiaries, indicators or [], partners)
    _save_new_facilities(user, beneficiaries)
    proposal.save()
    if replace_beneficiaries:
        proposal.beneficiaries.all().delete()
        for row in beneficiaries:
            row.pk = None
            row.proposal = proposal
        Beneficiary.objects.bulk_create(beneficiaries)
    if indicators is not None:
        proposal.indicators.all().delete()
        for row in indicators:
            row.pk = None
            row.proposal = proposal
        OutcomeIndicator.objects.bulk_create(indicators)
    if partners is not None:
        proposal.partners.set(partners)
    return proposal
