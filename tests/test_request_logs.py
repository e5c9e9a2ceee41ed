"""Every log line says which request and which user; signed-in answers are never stored."""

import json
import logging

import pytest
from django.utils.module_loading import import_string

from khuyencong.logs import RequestFilter
from khuyencong.roles import Role
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def _access_lines(caplog):
    return [r for r in caplog.records if r.name == "khuyencong.access"]


def test_each_request_gets_an_id_on_the_answer_and_in_the_access_line(client, caplog):
    caplog.set_level(logging.INFO, logger="khuyencong.access")
    first = client.get("/healthz")
    second = client.get("/healthz")
    ids = [first["X-Request-ID"], second["X-Request-ID"]]
    assert len(ids[0]) == 32 and ids[0] != ids[1]
    lines = _access_lines(caplog)
    assert [line.status for line in lines] == [200, 200]
    assert [line.path for line in lines] == ["/healthz", "/healthz"]
    assert [line.request_id for line in lines] == ids


def test_the_proxys_request_id_is_kept_when_plain_and_replaced_when_not(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.12")["X-Request-ID"] == "lb-7f3a.12"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")["X-Request-ID"]
    assert "\n" not in forged and len(forged) == 32


def test_the_access_line_names_the_signed_in_user(client, caplog):
    user = make_user("centre.x", Role.CENTRE, "bac-ninh", password="pw-123456789")
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="khuyencong.access")
    client.get("/proposals/")
    (line,) = _access_lines(caplog)
    assert line.user_id == user.pk
    assert line.status == 200


def test_the_api_access_line_names_a_token_user(client, caplog):
    make_user("ministry.x", Role.MINISTRY, password="pw-123456789")
    token = client.post(
        "/api/v1/auth/token/",
        {"username": "ministry.x", "password": "pw-123456789"},
        content_type="application/json",
    ).json()["token"]
    caplog.set_level(logging.INFO, logger="khuyencong.access")
    client.get("/api/v1/provinces/", HTTP_AUTHORIZATION=f"Token {token}")
    (line,) = [r for r in _access_lines(caplog) if r.path == "/api/v1/provinces/"]
    assert line.user_id is not None and line.status == 200


def test_json_lines_carry_the_request_and_the_user(settings):
    # The production formatter, built from the settings exactly as dictConfig builds it.
    config = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(config.pop("()"))(**config)
    record = logging.LogRecord("khuyencong.test", logging.WARNING, __file__, 1, "hỏng", (), None)
    RequestFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["message"] == "hỏng" and line["level"] == "WARNING"
    assert line["request_id"] == "" and line["user_id"] is None
    assert line["logger"] == "khuyencong.test" and "time" in line


def test_signed_in_answers_are_not_stored(client):
    client.force_login(make_user("dept.x", Role.DEPARTMENT, "bac-ninh"))
    for url in ("/proposals/", "/api/v1/provinces/", "/proposals/export.xlsx"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
