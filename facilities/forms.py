"""Who may enter facilities, and the form they enter them with."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from khuyencong.access import has_role, province_slugs_for_role
from khuyencong.models import Province
from khuyencong.roles import Role

EDITOR_ROLES = (Role.CENTRE, Role.DEPARTMENT)


def may_edit_facility(user, province_slug: str) -> bool:
    """The extension centre or the department of the facility's province may enter and edit it."""
    return any(has_role(user, role, province_slug) for role in EDITOR_ROLES)


def provinces_for_new_facilities(user):
    """Today's provinces where the user may enter facilities (absorbed ones take no new ones)."""
    slugs: set[str] = set()
    for role in EDITOR_ROLES:
        found = province_slugs_for_role(user, role)
        if found is None:
            return Province.objects.current()
        slugs |= found
    return Province.objects.current().filter(slug__in=slugs)


class FacilityForm(forms.ModelForm):
    """A facility; `user` limits the provinces offered and decides whether a duplicate is linked."""

    class Meta:
        model = Facility
        fields = [
            "name",
            "legal_form",
            "tax_code",
            "province",
            "address",
            "sector",
            "employees",
            "area_class",
            "representative",
            "phone",
            "email",
        ]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})}

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        provinces = provinces_for_new_facilities(user)
        if self.instance.pk:
            # A facility recorded under an absorbed province keeps it unless someone moves it.
            provinces = provinces | Province.objects.filter(slug=self.instance.province_id)
        self.fields["province"].queryset = provinces.distinct()
        self.fields["province"].empty_label = None if provinces.count() == 1 else "—"
        self.fields["tax_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["employees"].widget.attrs.update({"inputmode": "numeric", "min": 0})

    def clean_tax_code(self):
        tax_code = (self.cleaned_data.get("tax_code") or "").strip().replace(" ", "")
        if not tax_code:
            return None
        existing = Facility.objects.filter(tax_code=tax_code).exclude(pk=self.instance.pk).first()
        if existing is None:
            return tax_code
        if Facility.objects.visible_to(self.user).filter(pk=existing.pk).exists():
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Mã số thuế %(code)s đã được dùng cho cơ sở") % {"code": tax_code},
                    existing.get_absolute_url(),
                    existing.name,
                ),
                code="duplicate",
            )
        raise forms.ValidationError(
            _(
                "Mã số thuế %(code)s đã được đăng ký cho một cơ sở mà bạn không có quyền xem. "
                "Hãy kiểm tra lại hoặc liên hệ Cục Khuyến công."
            )
            % {"code": tax_code},
            code="duplicate",
        )
