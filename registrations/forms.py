"""Forms of the registration pages: the public one, the status look-up and the centre's steps.

Forms parse what people type; the rules live in workflow.py (and, for the draft proposal, in
proposals/editing.py).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities.models import Facility, normalise_tax_code
from funding.models import ActivityContent, Fund
from khuyencong import validators
from khuyencong.forms import MoneyField
from khuyencong.models import Province
from proposals.attachments import ALLOWED, check_upload, format_decimal_mb
from registrations.codes import normalise_phone
from registrations.models import Registration
from registrations.workflow import MAX_FILES, MAX_TOTAL_BYTES, PUBLIC_CONTENTS

HONEYPOT = "website"
PUBLIC_MONEY_HELP = gettext_lazy(
    "Số ước tính, đơn vị triệu đồng: ví dụ 250 hoặc 1.250,5. Có thể gõ số đồng kèm chữ đ: "
    "250.000.000 đ."
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the cleaned value is a list (empty when none were chosen)."""

    widget = MultipleFileInput

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(sorted(ALLOWED))
        return attrs

    def clean(self, data, initial=None):
        if not data:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        single = super().clean
        return [single(item, initial) for item in (data if isinstance(data, list) else [data])]


class RegistrationForm(forms.ModelForm):
    """What a facility fills in on the public page. `uploads` holds (file, mime) after cleaning."""

    requested_support_vnd = MoneyField(
        label=gettext_lazy("Kinh phí đề nghị hỗ trợ"),
        help_text=PUBLIC_MONEY_HELP,
    )
    counterpart_vnd = MoneyField(
        label=gettext_lazy("Vốn đối ứng cơ sở cam kết"),
        required=False,
        help_text=gettext_lazy(
            "Số tiền cơ sở tự bỏ ra cùng phần hỗ trợ (mua máy, nhà xưởng…). Để trống nếu chưa có."
        ),
    )
    files = MultipleFileField(
        label=gettext_lazy("Chọn tệp"),
        required=False,
        help_text=gettext_lazy(
            "Không bắt buộc. Tối đa 5 tệp PDF, Word, Excel hoặc ảnh PNG/JPG (ví dụ giấy đăng ký "
            "kinh doanh, báo giá máy móc, ảnh nhà xưởng), mỗi tệp tối đa 20 MB."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Tôi cam đoan các thông tin trên là đúng sự thật."),
        error_messages={"required": gettext_lazy("Hãy đánh dấu ô cam đoan để gửi hồ sơ.")},
    )
    # A trap for robots: hidden from people (CSS, aria-hidden, no tab stop); a human leaves it
    # empty. The view answers a filled one with a pretend success and saves nothing.
    website = forms.CharField(
        label=gettext_lazy("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Registration
        fields = [
            "name",
            "legal_form",
            "tax_code",
            "province",
            "address",
            "sector",
            "employees",
            "representative",
            "phone",
            "email",
            "content",
            "need",
            "description",
            "requested_support_vnd",
            "counterpart_vnd",
        ]
        labels = {
            "name": gettext_lazy("Tên cơ sở"),
            "legal_form": gettext_lazy("Loại hình"),
            "tax_code": gettext_lazy("Mã số thuế hoặc số đăng ký kinh doanh"),
            "province": gettext_lazy("Tỉnh, thành phố nơi cơ sở sản xuất"),
            "address": gettext_lazy("Địa chỉ"),
            "sector": gettext_lazy("Ngành nghề sản xuất"),
            "employees": gettext_lazy("Số lao động"),
            "representative": gettext_lazy("Họ tên người liên hệ"),
            "phone": gettext_lazy("Số điện thoại"),
            "email": gettext_lazy("Thư điện tử (email)"),
            "content": gettext_lazy("Nội dung đề nghị hỗ trợ"),
            "need": gettext_lazy("Nhu cầu hỗ trợ (một dòng)"),
            "description": gettext_lazy("Mô tả chi tiết"),
        }
        help_texts = {
            "name": gettext_lazy(
                "Tên đầy đủ như trên giấy đăng ký, ví dụ: Hợp tác xã Mây tre Phú Vinh."
            ),
            "tax_code": gettext_lazy(
                "Để trống nếu cơ sở chưa có. Dùng cùng mã hồ sơ để tra cứu kết quả."
            ),
            "address": gettext_lazy("Thôn/tổ, xã/phường."),
            "sector": gettext_lazy("Ví dụ: mây tre đan, chế biến chè, cơ khí nhỏ."),
            "employees": gettext_lazy("Không bắt buộc."),
            "phone": gettext_lazy(
                "Trung tâm Khuyến công sẽ gọi số này. Dùng cùng mã hồ sơ để tra cứu kết quả."
            ),
            "email": gettext_lazy(
                "Không bắt buộc. Nếu có, mã hồ sơ và mỗi thay đổi sẽ được gửi vào địa chỉ này."
            ),
            "need": gettext_lazy("Ví dụ: Hỗ trợ mua máy sao chè tự động."),
            "description": gettext_lazy(
                "Cơ sở đang sản xuất gì, cần hỗ trợ gì, để làm gì, dự kiến thực hiện khi nào."
            ),
        }
        widgets = {
            "tax_code": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
            "phone": forms.TextInput(
                attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}
            ),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "employees": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "representative": forms.TextInput(attrs={"autocomplete": "name"}),
            "content": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.uploads = []
        province = self.fields["province"]
        province.queryset = Province.objects.current()
        province.empty_label = _("— Chọn tỉnh, thành phố —")
        self.fields["legal_form"].choices = [("", _("— Chọn loại hình —"))] + [
            c for c in self.fields["legal_form"].choices if c[0]
        ]
        content = self.fields["content"]
        content.queryset = ActivityContent.objects.filter(number__in=PUBLIC_CONTENTS)
        content.empty_label = None
        content.label_from_instance = lambda c: c.name

    # The page shows the fields in these groups, in this order.
    def _group(self, names):
        return [self[name] for name in names]

    @property
    def facility_fields(self):
        names = ["name", "legal_form", "tax_code", "province", "address", "sector", "employees"]
        return self._group(names)

    @property
    def contact_fields(self):
        return self._group(["representative", "phone", "email"])

    @property
    def request_fields(self):
        return self._group(["need", "description", "requested_support_vnd", "counterpart_vnd"])

    @property
    def is_robot(self) -> bool:
        """The hidden trap field was filled: a robot, whatever else it sent."""
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_tax_code(self):
        tax_code = normalise_tax_code(self.cleaned_data.get("tax_code"))
        if not tax_code:
            return ""
        if tax_code.isdigit() and len(tax_code) == 13:
            tax_code = f"{tax_code[:10]}-{tax_code[10:]}"
        if not 8 <= len(tax_code) <= 20 or (
            tax_code.replace("-", "").isdigit() and len(tax_code.replace("-", "")) not in (10, 13)
        ):
            raise ValidationError(
                _(
                    "Mã số thuế gồm 10 chữ số (chi nhánh: 13 chữ số, ví dụ 0101234567-001); "
                    "số đăng ký hộ kinh doanh ghi đúng như trên giấy."
                )
            )
        return tax_code

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone"))
        if not (phone.startswith("0") and 10 <= len(phone) <= 11):
            raise ValidationError(_("Số điện thoại chưa đúng, ví dụ 0912 345 678."))
        return phone

    def clean_counterpart_vnd(self):
        return self.cleaned_data.get("counterpart_vnd") or 0

    def clean_requested_support_vnd(self):
        amount = self.cleaned_data.get("requested_support_vnd")
        if amount is not None and amount <= 0:
            raise ValidationError(_("Hãy nhập số tiền đề nghị hỗ trợ lớn hơn 0."))
        return amount

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Tối đa %(n)s tệp; bạn đã chọn %(k)s.") % {"n": MAX_FILES, "k": len(files)}
            )
        errors = []
        for upload in files:
            try:
                self.uploads.append((upload, check_upload(upload)))
            except ValidationError as error:
                errors += [f"{upload.name}: {m}" for m in error.messages]
        if not errors and sum(f.size for f in files) > MAX_TOTAL_BYTES:
            errors.append(
                _("Tổng dung lượng các tệp tối đa %(mb)s MB.")
                % {"mb": format_decimal_mb(MAX_TOTAL_BYTES)}
            )
        if errors:
            self.uploads = []
            raise ValidationError(errors)
        return files


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=20,
        help_text=gettext_lazy(
            "Ví dụ KC-7K3M-9QXA: mã hiện ra khi gửi hồ sơ (và trong thư xác nhận)."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    secret = forms.CharField(
        label=gettext_lazy("Mã số thuế hoặc số điện thoại đã khai"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do không hỗ trợ"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Người đăng ký sẽ đọc lý do này trên trang tra cứu và trong thư."),
        error_messages={"required": gettext_lazy("Hãy nêu lý do không hỗ trợ.")},
    )


class FacilityChoice(forms.ModelChoiceField):
    def label_from_instance(self, facility):
        return f"{facility.name} — {facility.tax_code or _('chưa có MST')} ({facility.province})"


class ConvertForm(forms.Form):
    """The draft proposal made from a registration; starts from `workflow.proposal_defaults`."""

    facility = FacilityChoice(
        label=gettext_lazy("Cơ sở thụ hưởng"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Tạo cơ sở mới từ thông tin trong hồ sơ —"),
    )
    code = forms.CharField(label=gettext_lazy("Mã đề án"), max_length=40)
    title = forms.CharField(label=gettext_lazy("Tên đề án"), max_length=500)
    year = forms.IntegerField(
        label=gettext_lazy("Năm kế hoạch"),
        validators=[validators.validate_year],
        widget=forms.NumberInput(attrs={"min": validators.YEAR_MIN}),
    )
    fund = forms.ModelChoiceField(
        label=gettext_lazy("Nguồn kinh phí"), queryset=Fund.objects.all(), empty_label=None
    )
    content = forms.ModelChoiceField(
        label=gettext_lazy("Nội dung hoạt động"),
        queryset=ActivityContent.objects.all(),
        empty_label=None,
    )
    implementing_unit = forms.CharField(label=gettext_lazy("Đơn vị thực hiện"), max_length=255)
    support_vnd = MoneyField(label=gettext_lazy("Kinh phí khuyến công hỗ trợ"))
    counterpart_vnd = MoneyField(label=gettext_lazy("Vốn đối ứng"), required=False)

    def __init__(self, *args, facilities, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year

    def clean_counterpart_vnd(self):
        return self.cleaned_data.get("counterpart_vnd") or 0

    def proposal_fields(self) -> dict:
        """Keyword arguments for `workflow.convert`."""
        return dict(self.cleaned_data)
