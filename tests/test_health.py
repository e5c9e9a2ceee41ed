"""/healthz and /readyz: what a load balancer asks before sending users to a server."""

import datetime
import json

import pytest
from django.utils import timezone

from exchange.models import ImportJob, Status
from khuyencong import health
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database_the_storage_and_the_import_queue(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert {name: c["status"] for name, c in checks.items()} == {
        "database": "ok",
        "storage": "ok",
        "imports": "ok",
    }
    assert checks["imports"]["detail"] == "0 waiting"
    # The storage check leaves nothing behind.
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_readyz_fails_when_the_storage_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "media"
    blocked.write_text("a file where the folder should be")
    settings.MEDIA_ROOT = blocked
    response = client.get("/readyz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "fail"
    assert data["checks"]["storage"]["status"] == "fail"
    assert data["checks"]["database"]["status"] == "ok"


def _job(status, **times):
    uploader = make_user(f"uploader{ImportJob.objects.count()}")
    job = ImportJob.objects.create(
        kind="facilities", status=status, created_by=uploader, source=b"x"
    )
    ImportJob.objects.filter(pk=job.pk).update(**times)
    return job


def test_readyz_fails_when_an_import_has_waited_ten_minutes_for_a_worker(client, settings):
    settings.EXCHANGE_IMPORTS_IN_THREAD = False
    _job(Status.QUEUED, created_at=timezone.now() - datetime.timedelta(minutes=11))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "waited" in response.json()["checks"]["imports"]["detail"]


def test_a_recent_upload_or_a_confirmation_within_the_limit_is_no_backlog(client, settings):
    settings.EXCHANGE_IMPORTS_IN_THREAD = False
    _job(Status.QUEUED, created_at=timezone.now() - datetime.timedelta(minutes=2))
    # Uploaded long ago, confirmed a minute ago: it waits since the confirmation.
    _job(
        Status.CONFIRMED,
        created_at=timezone.now() - datetime.timedelta(days=3),
        confirmed_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["imports"]["detail"] == "2 waiting"


def test_readyz_fails_when_a_running_import_stopped_heartbeating(client):
    _job(Status.WRITING, heartbeat_at=timezone.now() - datetime.timedelta(minutes=6))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "stopped" in response.json()["checks"]["imports"]["detail"]


def test_a_failing_check_is_reported_not_raised(client, monkeypatch):
    def broken():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health._checks, "mail", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    mail = json.loads(response.content)["checks"]["mail"]
    assert (mail["status"], mail["detail"]) == ("fail", "ConnectionError: connection refused")
