"""The one way a facility is created or changed: the page, the API, the inline row of a
proposal, the Excel import and the registration conversion all call `save_facility`.

The rules (who, which province, the tax code's one form and uniqueness, the version) are
checked here against the row as it is under lock, so two editors never lose each other's work.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from facilities import permissions
from facilities.forms import FacilityForm
from facilities.models import Facility
from khuyencong.errors import allowed
from khuyencong.history import check_version

FIELDS = FacilityForm._meta.fields


def current_values(facility: Facility) -> dict:
    """A stored facility as FacilityForm data (what a partial change starts from)."""
    data = model_to_dict(facility, fields=FIELDS)
    return {name: "" if value is None else value for name, value in data.items()}


@transaction.atomic
def save_facility(
    user, data: dict, instance: Facility | None = None, expected_version=None, *, checked=None
):
    """Create (`instance` None) or change a facility from `data` (FacilityForm fields).

    Fields missing from `data` keep their stored value. Raises NotPermitted for a role that may
    not, StaleVersion when `expected_version` is given and someone saved since, and
    ValidationError by field (province not offered to the user, a tax code already used...).
    `checked`: for a new facility, the caller's valid FacilityForm of this `data` and `user`
    (an import validates each row before writing it); it is saved instead of validated twice.
    """
    current = None
    if instance is not None and instance.pk:
        # Only the facility's row: never its province's, which every writer shares.
        current = Facility.objects.select_for_update(of=("self",)).get(pk=instance.pk)
        allowed(permissions.may_edit_facility(user, current.province_id))
        check_version(
            current, expected_version, _("Cơ sở đã được người khác sửa trong lúc bạn đang sửa.")
        )
        data = {**current_values(current), **data}
    else:
        allowed(permissions.may_create_facility(user))
    if current is None and checked is not None and checked.is_bound and checked.is_valid():
        form = checked  # nothing to re-read: a new row has no stored state to race with
    else:
        form = FacilityForm(data=data, instance=current, user=user)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    facility = form.save(commit=False)
    if current is not None:
        facility.version = current.version + 1
    try:
        with transaction.atomic():
            facility.save()
    except IntegrityError as error:
        # A concurrent save took the tax code between the check and this write.
        raise ValidationError(
            {"tax_code": [_("Mã số thuế này vừa được đăng ký cho một cơ sở khác.")]}
        ) from error
    return facility
