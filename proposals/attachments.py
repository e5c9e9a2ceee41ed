"""Attachments: the one way a file becomes a proposal's document (`attach`), and its checks:
allowed kinds by content, not only by extension, and a size limit."""

from decimal import Decimal
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from khuyencong.money import format_decimal
from proposals.models import Attachment

# extension -> MIME types the content must sniff as.
ALLOWED = {
    ".pdf": {"application/pdf"},
    ".docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
    },
    ".xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
    },
    ".doc": {"application/x-ole-storage"},
    ".xls": {"application/x-ole-storage"},
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy Word/Excel compound files


def sniff(head: bytes) -> str | None:
    if head.startswith(OLE_MAGIC):
        return "application/x-ole-storage"
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_upload(upload) -> str:
    """Validate an uploaded file; returns its MIME type or raises ValidationError (Vietnamese)."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB); tối đa %(limit)s MB.")
            % {"size": format_decimal_mb(upload.size), "limit": format_decimal_mb(limit)},
            code="too_large",
        )
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _("Chỉ nhận tệp PDF, Word, Excel hoặc ảnh (PNG, JPG)."), code="bad_type"
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    mime = sniff(head)
    if mime not in ALLOWED[extension]:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không đúng định dạng %(ext)s.")
            % {"name": upload.name, "ext": extension.lstrip(".").upper()},
            code="bad_content",
        )
    return mime if mime != "application/zip" else _office_mime(extension)


def attach(proposal, upload, user, description="", *, progress_report=None):
    """Check `upload` (`check_upload`, ValidationError in Vietnamese) and store it as a document
    of `proposal`, uploaded by `user`. Every face that adds a file goes through here."""
    return Attachment.objects.create(
        proposal=proposal,
        progress_report=progress_report,
        file=upload,
        original_name=upload.name[:255],
        content_type=check_upload(upload),
        size=upload.size,
        description=description[:255],
        uploaded_by=user,
    )


def _office_mime(extension):
    return next(m for m in sorted(ALLOWED[extension]) if m != "application/zip")


def format_decimal_mb(size: int) -> str:
    return format_decimal(Decimal(size) / (1024 * 1024), 1)
