"""Token auth next to django-axes, the OpenAPI schema, and the offline Swagger UI."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def token_for(client, username, password=PASSWORD):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_a_token_from_username_and_password_opens_the_api(cast):
    client = APIClient()
    response = token_for(client, "dept.bacninh")
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.get("/api/v1/proposals/").status_code == 403
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/proposals/")
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_each_login_issues_its_own_expiring_token(cast):
    client = APIClient()
    first, second = token_for(client, "manager").json(), token_for(client, "manager").json()
    assert first["token"] != second["token"]
    assert first["expiry"] and second["expiry"]


def test_a_wrong_password_gets_400_and_no_token(cast):
    response = token_for(APIClient(), "dept.bacninh", "wrong-password")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_a_bad_token_is_refused(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/proposals/").status_code in (401, 403)


def test_axes_locks_the_token_endpoint_after_repeated_failures(cast):
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        token_for(client, "dept.bacninh", "wrong-password")
    response = token_for(client, "dept.bacninh")
    assert response.status_code == 429
    assert "khóa" in response.json()["detail"]


def test_the_schema_is_served_and_names_the_contract(cast):
    client = APIClient()
    client.force_authenticate(cast["manager"])
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/provinces/",
        "/api/v1/facilities/",
        "/api/v1/proposals/",
        "/api/v1/proposals/{id}/transitions/",
        "/api/v1/allocations/",
        "/api/v1/plans/",
        "/api/v1/funds/",
        "/api/v1/contents/",
    ]:
        assert path in paths


def test_swagger_ui_renders_from_local_static_files(db):
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_every_swagger_ui_asset_it_references_ships_with_the_app(db):
    html = APIClient().get("/api/v1/docs/").content.decode()
    urls = re.findall(r"/static/(drf_spectacular_sidecar/[^\"']+)", html)
    assert urls
    for path in urls:
        assert finders.find(path), path
