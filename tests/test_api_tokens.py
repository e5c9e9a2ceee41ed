"""API tokens: stored as digests, expiring, revoked by the caller, the page and a new password."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from khuyencong.roles import Role
from tests.builders import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Khuyencong-1"


@pytest.fixture
def clerk():
    return make_user("dept.x", Role.DEPARTMENT, "bac-ninh", password=PASSWORD)


def _token(username="dept.x", password=PASSWORD):
    answer = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def _refused(response):
    # Session authentication comes first, so DRF answers a refused token 403, not 401.
    return response.status_code == 403 and "token không hợp lệ" in response.json()["detail"]


def _client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_kept_only_as_a_digest_and_expires_in_thirty_days(clerk):
    answer = _token()
    stored = AuthToken.objects.get(user=clerk)
    assert answer["token"] not in (stored.digest, stored.token_key)
    assert stored.token_key == answer["token"][:15]
    left = stored.expiry - timezone.now()
    assert datetime.timedelta(days=29, hours=23) < left <= datetime.timedelta(days=30)


def test_an_expired_token_is_refused(clerk):
    token = _token()["token"]
    AuthToken.objects.filter(user=clerk).update(expiry=timezone.now() - datetime.timedelta(1))
    assert _refused(_client(token).get("/api/v1/provinces/"))


def test_delete_revokes_the_token_it_is_called_with_and_only_that_one(clerk):
    kept, revoked = _token()["token"], _token()["token"]
    assert _client(revoked).delete("/api/v1/auth/token/").status_code == 204
    assert _refused(_client(revoked).get("/api/v1/provinces/"))
    assert _client(kept).get("/api/v1/provinces/").status_code == 200


def test_delete_without_a_token_is_a_clear_400(clerk):
    client = APIClient()
    client.force_login(clerk)
    answer = client.delete("/api/v1/auth/token/")
    assert answer.status_code == 400
    assert "không gửi token" in answer.json()["detail"]


def test_a_password_change_revokes_every_token(clerk):
    tokens = [_token()["token"], _token()["token"]]
    clerk.set_password("a-New-password-2")
    clerk.save()
    for token in tokens:
        assert _refused(_client(token).get("/api/v1/provinces/"))
    assert AuthToken.objects.filter(user=clerk).count() == 0


def test_a_login_keeps_the_tokens_and_reads_no_old_password(clerk):
    token = _token()["token"]
    clerk.last_login = timezone.now()
    with CaptureQueriesContext(connection) as saved:
        clerk.save(update_fields=["last_login"])  # what every login does
    assert [q["sql"].split()[0] for q in saved.captured_queries] == ["UPDATE"]
    assert _client(token).get("/api/v1/provinces/").status_code == 200


def test_a_password_saved_with_update_fields_still_revokes(clerk):
    token = _token()["token"]
    clerk.set_password("a-New-password-3")
    clerk.save(update_fields=["password"])
    assert _refused(_client(token).get("/api/v1/provinces/"))


def test_other_saves_of_the_user_keep_the_tokens(clerk):
    token = _token()["token"]
    clerk.email = "dept.x@example.gov.vn"
    clerk.save()
    assert _client(token).get("/api/v1/provinces/").status_code == 200


def test_the_caller_lists_and_revokes_its_own_tokens_only(clerk):
    mine = _token()["token"]
    make_user("dept.y", Role.DEPARTMENT, "bac-ninh", password=PASSWORD)
    theirs = _token("dept.y")["token"]
    rows = _client(mine).get("/api/v1/auth/tokens/").json()
    assert [(row["key"], row["current"]) for row in rows] == [(mine[:15], True)]
    # Another user's token is not found, and stays alive.
    assert _client(mine).delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 404
    assert _client(theirs).get("/api/v1/provinces/").status_code == 200
    assert _client(theirs).delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 204
    assert _refused(_client(theirs).get("/api/v1/provinces/"))


def test_the_tokens_page_shows_and_revokes(client, clerk):
    token = _token()["token"]
    client.force_login(clerk)
    page = client.get("/accounts/tokens/")
    assert token[:15] in page.content.decode()
    assert token not in page.content.decode()  # the whole token is never shown again
    response = client.post("/accounts/tokens/", {"key": token[:15]})
    assert response.status_code == 302
    assert _refused(_client(token).get("/api/v1/provinces/"))
    assert client.post("/accounts/tokens/", {"key": token[:15]}).status_code == 404
