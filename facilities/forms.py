"""The facility form: parsing and the facility rules (saved only through facilities.writing)."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility, normalise_tax_code
from facilities.permissions import provinces_for_new_facilities
from khuyencong.models import Province


class FacilityForm(forms.ModelForm):
    """A facility; `user` limits the provinces offered and decides whether a duplicate is linked.

    New facilities go to today's provinces of the user only (absorbed ones take no new ones).
    """

    # The version the editor read: a save over a newer one is refused (facilities.writing).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        provinces = provinces_for_new_facilities(user)
        if self.instance.pk:
            # A facility recorded under an absorbed province keeps it unless someone moves it.
            provinces = provinces | Province.objects.filter(slug=self.instance.province_id)
        self.fields["province"].queryset = provinces.distinct()
        self.fields["province"].empty_label = None if provinces.count() == 1 else "—"
        self.fields["tax_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["employees"].widget.attrs.update({"inputmode": "numeric", "min": 0})

    def clean(self):
        cleaned = super().clean()
        if "province" in self._errors:
            # Name the province refused, rather than "not one of the choices".
            slug = self.data.get(self.add_prefix("province"))
            province = Province.objects.filter(slug=str(slug or "")).first()
            if province is not None:
                self._errors["province"] = self.error_class([self._province_refusal(province)])
        return cleaned

    @staticmethod
    def _province_refusal(province) -> str:
        if province.valid_to:
            return _(
                "%(province)s đã sáp nhập vào %(successor)s; cơ sở mới hãy nhập cho %(successor)s."
            ) % {"province": province.name, "successor": province.today().name}
        return _("Bạn không được nhập cơ sở cho %(province)s.") % {"province": province.name}

    def clean_tax_code(self):
        tax_code = normalise_tax_code(self.cleaned_data.get("tax_code"))
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
