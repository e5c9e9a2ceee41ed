"""Content-Security-Policy: scripts only from the portal's own files, so none may be inline."""

import re
from pathlib import Path

import pytest

from khuyencong.roles import Role
from tests.builders import make_user

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_pages_send_a_policy_that_allows_only_the_portals_own_scripts(client):
    client.force_login(make_user("centre.x", Role.CENTRE, "bac-ninh"))
    for url in ("/", "/proposals/", "/dang-ky/", "/accounts/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_only_the_api_docs_allow_inline_styles_and_still_no_inline_script(client):
    client.force_login(make_user("ministry.x", Role.MINISTRY))
    policy = client.get("/api/v1/docs/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["script-src"] == "'self'"


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_no_template_has_an_inline_script_or_event_handler(template):
    if template.name.endswith("_pdf.html"):
        pytest.skip("rendered by WeasyPrint into a PDF, never served to a browser")
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "move the script to static/js/"
    assert not INLINE_HANDLER.search(text), "bind the handler from a file in static/js/"
