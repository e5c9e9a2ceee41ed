"""English catalogue: the switch (cookie) chooses English; else Vietnamese, whatever the browser.

The catalogue tests read the committed locale/en/LC_MESSAGES/django.po itself, not a fresh
makemessages run: strings added since the last `make messages` do not turn this red, but a
committed catalogue with an empty or fuzzy entry, or a django.mo compiled from an older .po, do.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def restore_language():
    """A request with the cookie leaves English active on the thread; later tests expect vi."""
    before = translation.get_language()
    yield
    translation.activate(before)


def english_client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_login_page_in_english_with_the_cookie():
    html = english_client().get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert "Username" in html and "Password" in html
    assert "Đăng nhập" not in html


def test_login_page_vietnamese_without_the_cookie_even_for_an_english_browser():
    html = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Đăng nhập</h1>" in html
    assert "Sign in" not in html


def test_proposal_list_heading_follows_the_switch(cast):
    english = english_client()
    english.force_login(cast["centre.bacninh"])
    html = english.get("/proposals/").content.decode()
    assert "<h1>Proposals</h1>" in html
    assert "Industrial Extension Portal" in html
    assert "Danh sách đề án" not in html

    vietnamese = Client()
    vietnamese.force_login(cast["centre.bacninh"])
    html = vietnamese.get("/proposals/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Danh sách đề án</h1>" in html
    assert "<h1>Proposals</h1>" not in html


def test_switching_language_sets_the_cookie():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Sign in</h1>" in client.get("/accounts/login/").content.decode()


# --- the catalogue ------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr ({n: text}), flags.

    Enough of the format for catalogues written by GNU gettext; obsolete (#~) entries skipped.
    """
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        # An entry ends with its msgstr; anything but a continuation or msgstr[n] opens the next.
        if entry is None or (entry["msgstr"] and not line.startswith(('"', "msgstr"))):
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, key = {"flags": set(), "msgstr": {}}, None
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += _unquote(line)
            else:
                entry[key[0]] += _unquote(line)
        else:
            word, _space, rest = line.partition(" ")
            plural = re.fullmatch(r"msgstr\[(\d+)\]", word)
            if word == "msgstr" or plural:
                key = ("msgstr", int(plural.group(1)) if plural else 0)
                entry["msgstr"][key[1]] = _unquote(rest)
            else:
                key = (word, None)
                entry[word] = _unquote(rest)
    if entry is not None and "msgid" in entry:
        entries.append(entry)
    return entries


def catalogue():
    entries = parse_po(PO)
    header = [e for e in entries if e["msgid"] == ""]
    assert len(header) == 1, "the catalogue has one header"
    return header[0], [e for e in entries if e["msgid"] != ""]


def test_the_parser_reads_plurals_and_continuations():
    header, entries = catalogue()
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert any(e.get("msgid_plural") for e in entries)
    assert any("\n" in e["msgid"] for e in entries)  # the notification e-mails


def test_committed_catalogue_is_complete_and_not_fuzzy():
    header, entries = catalogue()
    assert "fuzzy" not in header["flags"]
    assert "Language: en" in header["msgstr"][0]
    assert len(entries) > 500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    assert not fuzzy, f"fuzzy entries, check and unflag them: {fuzzy[:5]}"
    assert not empty, f"untranslated entries, run `make messages` and translate: {empty[:5]}"


def _placeholders(text):
    return sorted(re.findall(r"%\(\w+\)s|%%|\{\w*\}|<[^>]+>", text))


def test_translations_keep_placeholders_and_markup():
    _header, entries = catalogue()
    broken = [
        e["msgid"]
        for e in entries
        for text in e["msgstr"].values()
        if _placeholders(text) != _placeholders(e["msgid"])
    ]
    assert not broken, broken[:5]


def test_compiled_catalogue_matches_the_po():
    """django.mo is committed (`make run` needs no gettext); it must be compiled from this .po."""
    assert MO.exists(), "run `make messages` (compilemessages) and commit django.mo"
    _header, entries = catalogue()
    stale = []
    with translation.override("en"):
        for e in entries:
            if e.get("msgid_plural"):
                got = [translation.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
                want = [e["msgstr"][0], e["msgstr"][1]]
            elif "msgctxt" in e:
                got, want = translation.pgettext(e["msgctxt"], e["msgid"]), e["msgstr"][0]
            else:
                got, want = translation.gettext(e["msgid"]), e["msgstr"][0]
            if got != want:
                stale.append(e["msgid"])
    assert not stale, f"django.mo is older than django.po; run `make messages`: {stale[:5]}"
