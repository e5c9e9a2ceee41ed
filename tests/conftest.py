"""Shared fixtures: the demo cast of users, and the demo data loaded once where a test needs it."""

import pytest

from demo.data import create_demo_accounts, load_demo

PASSWORD = "test-password-123"


@pytest.fixture
def cast(db):
    """The seven demo accounts: Bắc Ninh and Phú Thọ staff, ministry, manager, admin."""
    return create_demo_accounts(PASSWORD)


@pytest.fixture
def demo(db):
    """All demo data (SPEC §8 figures included); returns the users by username."""
    load_demo(PASSWORD)
    return create_demo_accounts(PASSWORD)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached figures of another test's data must not leak
    (its transaction was rolled back, which moves no version on)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
