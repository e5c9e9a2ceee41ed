"""One way a file becomes a proposal's document: checked, named and recorded the same everywhere."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from proposals.attachments import attach
from proposals.models import Attachment
from tests.api_world import client_for
from tests.builders import make_proposal

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_it_checks_the_content_and_records_what_it_found(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal()
    long_name = "a" * 300 + ".png"
    upload = SimpleUploadedFile(long_name, PNG, content_type="application/pdf")
    attachment = attach(proposal, upload, cast["centre.bacninh"], "Ảnh hiện trạng")
    assert attachment.content_type == "image/png"  # sniffed, not what the browser claimed
    assert len(attachment.original_name) <= 255 and attachment.original_name.endswith(".png")
    assert attachment.size == len(PNG) and attachment.uploaded_by == cast["centre.bacninh"]
    assert attachment.description == "Ảnh hiện trạng"


def test_it_refuses_a_file_whose_content_is_not_its_kind(cast):
    proposal = make_proposal()
    fake = SimpleUploadedFile("du-toan.pdf", b"not really a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="không đúng định dạng PDF"):
        attach(proposal, fake, cast["centre.bacninh"])
    assert not Attachment.objects.exists()


def test_the_api_refuses_the_same_file_with_the_same_message(cast):
    proposal = make_proposal()
    fake = SimpleUploadedFile("du-toan.pdf", b"not really a pdf", content_type="application/pdf")
    response = client_for(cast["centre.bacninh"]).post(
        f"/api/v1/proposals/{proposal.pk}/attachments/", {"file": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert "không đúng định dạng PDF" in str(response.json())
    assert not Attachment.objects.exists()
