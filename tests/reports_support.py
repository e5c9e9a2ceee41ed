"""Helpers for the report tests: demo data loaded once per module, and readers for each face.

Import the fixture into a test module to use it there:

    from tests.reports_support import demo_data  # noqa: F401
"""

import io
import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client

from demo.data import create_demo_accounts, load_demo
from tests.builders import make_user

PASSWORD = "test-password-123"


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data and accounts, loaded once for the module inside a transaction that is
    rolled back when the module ends (each test still runs in its own savepoint)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(PASSWORD)
            users = create_demo_accounts(PASSWORD)
            users["manager.bacninh"] = provincial_manager("manager.bacninh", "bac-ninh")
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield users
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def provincial_manager(username: str, province: str):
    """A read-only leader of one province (and, through it, of the provinces it absorbed)."""
    return make_user(username, "manager", province, password=PASSWORD)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client, url) -> tuple[bytes, object]:
    """GET `url`; the body (streamed or not) and the response."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return body, response


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_line(text: str, *needles: str) -> str:
    """The first line of extracted PDF text that contains every needle."""
    for line in text.splitlines():
        if all(needle in line for needle in needles):
            return line
    raise AssertionError(f"no line with {needles!r} in:\n{text}")


class _TableReader(HTMLParser):
    """Collects {table: {row key: [cell texts]}} from data-table / data-key attributes.

    A row is any element with data-key inside an element with data-table; its cells are its
    <td>/<th> children (tables) or <span> children (headline cards).
    """

    CELLS = ("td", "th", "span")

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self._table = self._row = self._row_tag = None
        self._cell: list[str] | None = None
        self._cell_tag, self._cell_depth = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-table"], {})
        if self._table is not None and self._row is None and "data-key" in attrs:
            self._row, self._row_tag = self._table.setdefault(attrs["data-key"], []), tag
        elif self._row is not None and self._cell is None and tag in self.CELLS:
            self._cell, self._cell_tag, self._cell_depth = [], tag, 1
        elif self._cell is not None and tag == self._cell_tag:
            self._cell_depth += 1

    def handle_endtag(self, tag):
        if self._cell is not None and tag == self._cell_tag:
            self._cell_depth -= 1
            if not self._cell_depth:
                self._row.append(_squash("".join(self._cell)))
                self._cell = None
        elif self._row is not None and self._cell is None and tag == self._row_tag:
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_tables(html: str) -> dict[str, dict[str, list[str]]]:
    """Rows of every report table in a page: tables['by_fund']['national'] -> cell texts."""
    reader = _TableReader()
    reader.feed(html)
    return reader.tables
