"""The upload form of the import pages (the API parses the same two fields)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from exchange.models import Kind

MAX_UPLOAD_BYTES = getattr(settings, "EXCHANGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


def check_workbook_upload(upload) -> None:
    """An .xlsx file (a zip) of reasonable size; its rows are the worker's business."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("Tệp lớn hơn %(mb)s MB; hãy chia thành nhiều tệp.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    head = upload.read(4)
    upload.seek(0)
    if not upload.name.lower().endswith(".xlsx") or head != b"PK\x03\x04":
        raise forms.ValidationError(
            _("Chỉ nhận tệp Excel .xlsx (Excel 2007 trở lên). Hãy dùng mẫu tải từ trang này.")
        )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=Kind.choices)
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, v) for k, v in Kind.choices if k in kinds]
        self.fields["file"].widget.attrs["accept"] = (
            ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_workbook_upload(upload)
        return upload
