"""One way to write a person's name: family name first, on pages, in the PDF, Excel and the API."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from proposals.models import ProposalEvent
from tests.builders import make_proposal
from tests.reports_support import pdf_text

pytestmark = pytest.mark.django_db

REPORT = "/reports/summary.{}?year_from=2026&year_to=2026&province=bac-ninh"


def test_it_writes_the_family_name_first():
    from khuyencong.people import display_name

    User = get_user_model()
    assert display_name(User(username="mai", first_name="Mai", last_name="Vũ Thị")) == "Vũ Thị Mai"
    # The demo accounts keep the whole name in first_name.
    assert display_name(User(username="lan", first_name="Trần Thị Lan")) == "Trần Thị Lan"
    assert display_name(User(username="an")) == "an"
    assert display_name(None) == "—"


@pytest.fixture
def mai(cast):
    """A Bắc Ninh department officer whose name was entered in two parts."""
    user = cast["dept.bacninh"]
    user.first_name, user.last_name = "Mai", "Vũ Thị"
    user.save()
    return user


def test_pages_pdf_excel_and_api_write_the_same_name(client, mai):
    proposal = make_proposal(state="submitted")
    ProposalEvent.objects.create(
        proposal=proposal, action="submit", from_state="draft", to_state="submitted", actor=mai
    )
    client.force_login(mai)

    home = client.get("/").content.decode()
    assert "Vũ Thị Mai" in home and "Mai Vũ Thị" not in home
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Vũ Thị Mai" in page and "Mai Vũ Thị" not in page

    assert "Vũ Thị Mai" in pdf_text(client.get(REPORT.format("pdf")).content)

    response = client.get(REPORT.format("xlsx"))
    report = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = {row[0]: row[1] for row in report["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Người lập"] == "Vũ Thị Mai"
    response = client.get(reverse("exchange:proposal_export"))
    export = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert export.properties.creator == "Vũ Thị Mai"

    events = client.get(f"/api/v1/proposals/{proposal.pk}/transitions/").json()
    assert [e["actor_name"] for e in events] == ["Vũ Thị Mai"]
