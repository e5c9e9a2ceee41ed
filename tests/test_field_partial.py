"""One field partial: aria-describedby points at help texts and errors that exist, and no
error list sits inside a paragraph (the browser would close the <p> and shift the grid)."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from proposals.models import Proposal
from tests.builders import centre_of, make_proposal

pytestmark = pytest.mark.django_db

# Elements a <p> may not contain: the parser closes the <p> before them.
BLOCKS = {"ul", "ol", "div", "p", "table", "section", "form", "fieldset", "h2", "h3"}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.described, self.blocks_in_p = set(), [], []
        self.open_p = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.append((attrs.get("name"), attrs["aria-describedby"].split()))
        if tag in BLOCKS and self.open_p:
            self.blocks_in_p.append(tag)
        if tag == "p":
            self.open_p += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.open_p:
            self.open_p -= 1


def check(html: str):
    checker = _Checker()
    checker.feed(html)
    broken = [
        (name, ref) for name, refs in checker.described for ref in refs if ref not in checker.ids
    ]
    assert checker.described, "no field described anything"
    assert broken == []
    assert checker.blocks_in_p == []
    return checker


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_proposal_form_with_errors_describes_its_fields_with_real_ids(cast):
    response = client_for(cast["centre.bacninh"]).post(reverse("proposals:create"), {})
    html = response.content.decode()
    assert 'class="errorlist"' in html
    checker = check(html)
    # The money fields have help text and an error: both are named.
    refs = dict(checker.described)["support_vnd"]
    assert "id_support_vnd_helptext" in refs and "id_support_vnd_error" in refs


def test_a_transition_form_with_an_error_describes_it(cast):
    proposal = make_proposal(state="submitted")
    url = reverse("proposals:transition", args=[proposal.pk, "return"])
    response = client_for(cast["dept.bacninh"]).post(url, {"comment": "", "version": "1"})
    check(response.content.decode())


def test_the_facility_form_with_errors_describes_its_fields(cast):
    response = client_for(cast["centre.bacninh"]).post(
        reverse("facilities:create"), {"employees": "abc"}
    )
    check(response.content.decode())


def test_the_public_registration_form_with_errors_describes_its_fields():
    response = Client().post(reverse("registrations:register"), {"requested_support_vnd": "-5"})
    check(response.content.decode())


def test_the_proposal_list_and_the_facility_list_page_with_the_same_pager(cast, settings):
    from facilities.models import Facility
    from facilities.views import PAGE_SIZE as FACILITY_PAGE
    from proposals.views import PAGE_SIZE as PROPOSAL_PAGE

    Proposal.objects.bulk_create(
        Proposal(
            code=f"BN-{n:03d}",
            title="Máy móc",
            year=2026,
            province_id="bac-ninh",
            unit=centre_of("bac-ninh"),
            implementing_unit="TTKC",
            fund_id="provincial",
            content_id=3,
            kind="single",
        )
        for n in range(PROPOSAL_PAGE + 1)
    )
    Facility.objects.bulk_create(
        Facility(name=f"Cơ sở {n}", province_id="bac-ninh", legal_form="sme")
        for n in range(FACILITY_PAGE + 1)
    )
    client = client_for(cast["centre.bacninh"])
    for url in (reverse("proposals:list"), reverse("facilities:list")):
        html = client.get(url, {"page": 2}).content.decode()
        pager = html[
            html.index('<nav class="pager"') : html.index(
                "</nav>", html.index('<nav class="pager"')
            )
        ]
        assert 'aria-label="Phân trang"' in pager
        assert "Trang trước" in pager and "Trang 2 / 2" in pager
    # The links keep the filters.
    html = client.get(reverse("proposals:list"), {"year": 2026}).content.decode()
    assert 'href="?year=2026&amp;page=2"' in html


def test_the_login_form_and_the_list_filters_use_the_partial_too(cast):
    html = Client().post("/accounts/login/", {"username": "x"}).content.decode()
    check(html)
    html = client_for(cast["centre.bacninh"]).get("/proposals/", {"year": "abc"}).content.decode()
    assert 'class="errorlist"' in html
    check(html)


def test_the_actuals_in_the_acceptance_table_point_at_real_help_texts(cast):
    from facilities.models import Facility

    proposal = make_proposal(state="in_progress", approved_support_vnd=500_000_000)
    facility = Facility.objects.create(name="Cơ sở A", province_id="bac-ninh", legal_form="sme")
    proposal.beneficiaries.create(facility=facility, support_vnd=500_000_000)
    proposal.indicators.create(name="Máy", unit="chiếc", planned=2)
    url = reverse("proposals:transition", args=[proposal.pk, "accept"])
    response = client_for(cast["dept.bacninh"]).get(url)
    assert response.status_code == 200
    checker = check(response.content.decode())
    assert any(name.startswith("ben_") for name, _refs in checker.described)
