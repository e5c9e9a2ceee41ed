"""Retention: `manage.py cleanup` drops expired sessions and the files of old imports."""

import datetime
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from exchange.models import ImportJob, Status
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def _job(status, days_old, uploader):
    job = ImportJob.objects.create(
        kind="facilities", status=status, created_by=uploader, source=b"PK\x03\x04 excel bytes"
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return job


def _cleanup():
    out = StringIO()
    call_command("cleanup", stdout=out)
    return out.getvalue()


def test_old_finished_imports_lose_their_file_and_keep_their_record(settings):
    settings.IMPORT_RETENTION_DAYS = 90
    uploader = make_user("dept.x")
    done = _job(Status.DONE, 91, uploader)
    invalid = _job(Status.INVALID, 200, uploader)
    recent = _job(Status.DONE, 89, uploader)
    waiting = _job(Status.QUEUED, 120, uploader)  # the worker still needs it
    abandoned = _job(Status.READY, 95, uploader)
    assert "3 lượt nhập" in _cleanup()
    sources = {j.pk: bytes(j.source) for j in ImportJob.objects.all()}
    assert sources[done.pk] == b"" and sources[invalid.pk] == b""
    assert sources[recent.pk] and sources[waiting.pk]
    abandoned.refresh_from_db()
    assert abandoned.status == Status.FAILED and bytes(abandoned.source) == b""
    assert "thời hạn lưu giữ" in abandoned.message
    assert ImportJob.objects.count() == 5  # who imported what stays on record
    assert "0 lượt nhập" in _cleanup()  # a second run has nothing left to do


def test_expired_sessions_go_and_live_ones_stay(client):
    client.force_login(make_user("centre.x"))
    Session.objects.create(
        session_key="x" * 32,
        session_data="e30:1",
        expire_date=timezone.now() - datetime.timedelta(days=1),
    )
    _cleanup()
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]
