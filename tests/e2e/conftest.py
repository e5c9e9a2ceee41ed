"""The browser harness: Playwright (sync API) drives Debian's Chromium against the live server.

Journeys get a fresh `page` (own context, Vietnamese locale) and the `login` helper:

    pytestmark = pytest.mark.e2e

    def test_it_shows_the_home_page(page, live_server, login):
        login(page, live_server, "centre.bacninh", "secret")

Never run `playwright install`: the browser is the machine's /usr/bin/chromium.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would then refuse ORM calls
# from the test body ("SynchronousOnlyOperation"), though they are in fact synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.getenv("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000


def _in_ci() -> bool:
    return os.getenv("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run; each test gets its own context through `page`."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: apt-get install chromium (Debian's package)"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an asyncio loop running in this thread, and Django then
    # looks its connections up in a per-context store instead of the thread-local one. Hand
    # it the same connection objects, or tests get fresh ones that lack the test database's
    # serialized state (and, on in-memory SQLite, the live server's shared connection).
    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in before.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _reference_data_survives(django_db_serialized_rollback):
    """Live-server tests run outside a wrapping transaction and end with a flush, which would
    also wipe the provinces and activity contents that migrations load; serialized rollback
    puts them back before each browser test."""


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab with its own cookies, in Vietnamese, failing fast when stuck."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def log_in(page, live_server, username, password):
    """Sign in through the real login form and wait for the page it leads to."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    return page


@pytest.fixture
def login():
    """`login(page, live_server, username, password)` signs in through the login form."""
    return log_in
