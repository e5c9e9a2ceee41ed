"""An unexpected error under /api/ answers JSON 500 in Vietnamese, and is still logged."""

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken(monkeypatch):
    """Every facility query fails as a lost database would."""
    from django.db import OperationalError

    from facilities.models import Facility

    def explode(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(type(Facility.objects.all()), "visible_to", explode)


def test_an_unhandled_error_on_the_api_answers_json_500(cast, broken, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(cast["dept.bacninh"])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/facilities/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Lỗi máy chủ: yêu cầu chưa được thực hiện. Hãy thử lại sau."
    }
    assert any("Internal Server Error" in r.getMessage() for r in caplog.records)


def test_an_unhandled_error_on_a_page_still_answers_the_html_page(cast, broken):
    client = Client(raise_request_exception=False)
    client.force_login(cast["dept.bacninh"])
    response = client.get("/facilities/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_connections_are_health_checked_and_mail_has_a_timeout(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.EMAIL_TIMEOUT == 10
