"""Errors are JSON, in Vietnamese, shaped `{"field": ["message"]}` or `{"detail": "message"}`."""

import json
import re

import pytest
from rest_framework.test import APIClient

from tests.api_world import client_for
from tests.builders import make_proposal

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(
    r"\b(valid|invalid|required|not|does|exist|expected|ensure|object|must|field|object)\b", re.I
)


def messages(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from messages(value)
    elif isinstance(data, list):
        for value in data:
            yield from messages(value)
    else:
        yield str(data)


def assert_vietnamese(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert isinstance(data, dict) and data
    for message in messages(data):
        assert not ENGLISH.search(message), message


def test_anonymous_callers_are_told_how_to_authenticate(db):
    response = APIClient().get("/api/v1/proposals/")
    assert_vietnamese(response, 403)
    assert "Token" in response.json()["detail"]


def test_a_bad_token_is_explained(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000")
    assert_vietnamese(client.get("/api/v1/proposals/"), 403)


def test_malformed_json_is_explained(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/", '{"code": "X",', content_type="application/json"
    )
    assert_vietnamese(response, 400)
    assert "JSON" in response.json()["detail"]


def test_a_non_json_body_is_explained(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/", "code=X", content_type="text/plain"
    )
    assert_vietnamese(response, 415)


def test_a_json_array_instead_of_an_object_is_explained(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/", json.dumps([1, 2]), content_type="application/json"
    )
    assert_vietnamese(response, 400)


def test_field_errors_name_the_field_in_vietnamese(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/",
        {
            "province": "atlantis",
            "fund": "regional",
            "content": 12,
            "kind": "huge",
            "year": "2026a",
            "start_date": "01/04/2026",
            "title": "x" * 600,
            "unit": "abc",
            "beneficiaries": [{"facility": "abc"}],
            "indicators": "none",
        },
        format="json",
    )
    assert_vietnamese(response, 400)
    data = response.json()
    assert "atlantis" in data["province"][0]
    assert "national, provincial hoặc district" in data["fund"][0]
    assert "từ 1 đến 9" in data["content"][0]
    assert "(id)" in data["unit"][0]
    assert {"code", "unit", "kind", "year", "start_date", "title"} <= set(data)


def test_a_duplicate_code_is_explained(cast):
    make_proposal(code="BN-1")
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/proposals/",
        {"code": "BN-1", "title": "X", "year": 2026, "province": "bac-ninh",
         "implementing_unit": "X", "fund": "provincial", "content": 1, "kind": "single"},
        format="json",
    )  # fmt: skip
    assert_vietnamese(response, 400)
    assert "code" in response.json()


def test_not_found_and_method_not_allowed_are_vietnamese(cast):
    client = client_for(cast["centre.phutho"])
    proposal = make_proposal()
    assert_vietnamese(client.get(f"/api/v1/proposals/{proposal.pk}/"), 404)
    assert_vietnamese(client.delete(f"/api/v1/proposals/{proposal.pk}/"), 405)
    assert_vietnamese(client.get("/api/v1/provinces/atlantis/"), 404)


def test_filter_errors_are_vietnamese(cast):
    client = client_for(cast["manager"])
    assert_vietnamese(client.get("/api/v1/proposals/", {"state": "lost", "year": "x"}), 400)
    assert_vietnamese(client.get("/api/v1/proposals/", {"provice": "bac-ninh"}), 400)
    assert_vietnamese(client.get("/api/v1/allocations/", {"fund": "regional"}), 400)


def test_transition_errors_are_vietnamese(cast):
    proposal = make_proposal(state="submitted")
    client = client_for(cast["dept.bacninh"])
    url = f"/api/v1/proposals/{proposal.pk}/transitions/"
    assert_vietnamese(client.post(url, {"action": "fly"}, format="json"), 400)
    assert_vietnamese(client.post(url, {"action": "approve"}, format="json"), 400)
    assert_vietnamese(client.post(url, {"action": "submit"}, format="json"), 403)
    assert_vietnamese(client.post(url, {"action": "settle"}, format="json"), 409)
