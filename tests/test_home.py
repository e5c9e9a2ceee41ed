"""The home page greets the user and counts what waits for them."""

import pytest
from django.test import Client

from tests.builders import make_proposal

pytestmark = pytest.mark.django_db


def test_home_counts_what_waits_for_the_department(cast):
    for n, state in enumerate(["submitted", "submitted", "draft"]):
        make_proposal(f"H-{n}", state=state)
    client = Client()
    client.force_login(cast["dept.bacninh"])
    response = client.get("/")
    assert response.context["queue_count"] == 2
    assert "Sở Công Thương" in response.content.decode()
    assert "Bắc Giang" in response.content.decode()  # the province it absorbed


def test_home_requires_login():
    assert Client().get("/").status_code == 302
