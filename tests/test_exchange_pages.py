"""The import pages: upload, preview with progress, confirm; someone else's import is 404."""

import pytest
from django.urls import reverse

from exchange import jobs
from exchange.models import ImportJob, Status
from facilities.models import Facility
from tests.exchange_files import facility_file, facility_row, upload

pytestmark = pytest.mark.django_db


def _upload(client, kind="facilities", data=None):
    data = data or facility_file([facility_row(1), facility_row(2)])
    return client.post(reverse("exchange:upload"), {"kind": kind, "file": upload(data)})


def test_upload_shows_progress_then_the_preview_then_writes_on_confirm(client, cast):
    client.force_login(cast["centre.bacninh"])
    response = _upload(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()

    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "<progress" in html and "import-progress.js" in html
    assert 'http-equiv="refresh"' in html  # without JavaScript the page refreshes itself
    status = client.get(reverse("exchange:job_status", args=[job.pk])).json()
    assert status["status"] == "queued" and status["running"] is True

    jobs.process_all()
    html = client.get(job.get_absolute_url()).content.decode()
    assert "<progress" not in html
    assert "Xác nhận, ghi 2 dòng" in html
    assert "Cơ sở sản xuất số 1" in html

    response = client.post(reverse("exchange:confirm", args=[job.pk]))
    assert response.status_code == 302
    jobs.process_all()
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert Facility.objects.count() == 2
    assert "Đã nhập xong" in client.get(job.get_absolute_url()).content.decode()


def test_preview_lists_errors_first_with_column_and_message(client, cast):
    client.force_login(cast["centre.bacninh"])
    _upload(client, data=facility_file([facility_row(1), facility_row(2, employees="nhiều")]))
    jobs.process_all()
    job = ImportJob.objects.get()
    response = client.get(job.get_absolute_url())
    assert response.context["outcome"] == "error"
    html = response.content.decode()
    assert "Số lao động:" in html and "“nhiều”" in html
    assert "không dòng nào được ghi" in html
    assert "Xác nhận, ghi" not in html
    # The other rows are one tab away.
    assert len(client.get(job.get_absolute_url() + "?outcome=").context["page"]) == 2


def test_another_users_import_is_not_found(client, cast):
    client.force_login(cast["centre.bacninh"])
    _upload(client)
    job = ImportJob.objects.get()
    for other in ("centre.phutho", "dept.bacninh", "ministry"):
        client.force_login(cast[other])
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(reverse("exchange:job_status", args=[job.pk])).status_code == 404
        assert client.post(reverse("exchange:confirm", args=[job.pk])).status_code == 404


def test_who_may_upload_what(client, cast):
    client.force_login(cast["manager"])
    assert _upload(client).status_code == 403
    client.force_login(cast["dept.bacninh"])
    assert _upload(client).status_code == 302
    # The department enters facilities; proposals are the centre's.
    response = _upload(client, kind="proposals")
    assert response.status_code == 400
    assert ImportJob.objects.count() == 1


def test_only_xlsx_files_are_taken(client, cast):
    client.force_login(cast["centre.bacninh"])
    response = client.post(
        reverse("exchange:upload"),
        {"kind": "facilities", "file": upload(b"name,tax\nA,1\n", name="co-so.csv")},
    )
    assert response.status_code == 400
    assert ".xlsx" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_menu_offers_imports_to_centre_and_department_only(client, cast):
    for username, shown in (("centre.bacninh", True), ("dept.phutho", True), ("manager", False)):
        client.force_login(cast[username])
        html = client.get(reverse("exchange:index")).content.decode()
        assert ("Nhập dữ liệu</a>" in html) is shown, username


def test_a_confirmed_job_cannot_be_confirmed_twice(client, cast):
    client.force_login(cast["centre.bacninh"])
    _upload(client)
    jobs.process_all()
    job = ImportJob.objects.get()
    client.post(reverse("exchange:confirm", args=[job.pk]))
    client.post(reverse("exchange:confirm", args=[job.pk]))
    jobs.process_all()
    assert Facility.objects.count() == 2
    job.refresh_from_db()
    assert job.status == Status.DONE


def test_a_job_whose_worker_died_is_taken_up_again(cast):
    import datetime

    from django.utils import timezone

    job = jobs.submit(
        cast["centre.bacninh"], "facilities", upload(facility_file([facility_row(1)]))
    )
    old = timezone.now() - datetime.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING, heartbeat_at=old)
    assert jobs.process_all() == 0  # a running job is not taken twice
    assert jobs.requeue_stale() == 1
    assert jobs.process_all() == 1
    job.refresh_from_db()
    assert job.status == Status.READY
