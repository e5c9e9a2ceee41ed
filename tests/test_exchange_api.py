"""/api/v1/imports/: upload, poll, read outcomes, confirm; the same rules and scope as the pages."""

import pytest
from rest_framework.test import APIClient

from exchange import jobs
from exchange.models import ImportJob
from facilities.models import Facility
from tests.exchange_files import facility_file, facility_row, read_xlsx, upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _post(client, rows, kind="facilities"):
    return client.post(URL, {"kind": kind, "file": upload(facility_file(rows))}, format="multipart")


def test_upload_poll_confirm(cast):
    client = api(cast["centre.bacninh"])
    response = _post(client, [facility_row(1), facility_row(2)])
    assert response.status_code == 202, response.json()
    job_id = response.json()["id"]
    assert response.json()["status"] == "queued"

    jobs.process_all()
    body = client.get(f"{URL}{job_id}/").json()
    assert body["status"] == "ready"
    assert body["counts"] == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    assert body["percent"] == 100 and body["can_confirm"] is True
    rows = client.get(body["rows_url"]).json()
    assert rows["count"] == 2
    assert rows["results"][0] == {
        "sheet": "Cơ sở CNNT",
        "row": 2,
        "key": "2300900001",
        "label": "Cơ sở sản xuất số 1",
        "outcome": "new",
        "errors": [],
        "changes": [],
    }

    response = client.post(f"{URL}{job_id}/confirm/")
    assert response.status_code == 202
    assert response.json()["status"] == "confirmed"
    jobs.process_all()
    assert client.get(f"{URL}{job_id}/").json()["status"] == "done"
    assert Facility.objects.count() == 2


def test_errors_come_with_row_and_column_and_confirm_is_409(cast):
    client = api(cast["centre.bacninh"])
    job_id = _post(client, [facility_row(1), facility_row(2, email="không-phải-email")]).json()[
        "id"
    ]
    jobs.process_all()
    body = client.get(f"{URL}{job_id}/").json()
    assert body["status"] == "invalid"
    (error,) = body["errors"]
    assert error["row"] == 3
    assert error["errors"][0]["column"] == "Thư điện tử"
    assert client.get(f"{URL}{job_id}/rows/", {"outcome": "error"}).json()["count"] == 1
    assert client.post(f"{URL}{job_id}/confirm/").status_code == 409
    assert not Facility.objects.exists()


def test_another_users_import_is_404(cast):
    job_id = _post(api(cast["centre.bacninh"]), [facility_row(1)]).json()["id"]
    for other in ("centre.phutho", "dept.bacninh", "admin"):
        client = api(cast[other])
        assert client.get(f"{URL}{job_id}/").status_code == 404
        assert client.get(f"{URL}{job_id}/rows/").status_code == 404
        assert client.post(f"{URL}{job_id}/confirm/").status_code == 404
        assert client.get(URL).json()["count"] == 0


def test_roles_that_do_not_import_are_403(cast):
    assert _post(api(cast["manager"]), [facility_row(1)]).status_code == 403
    assert _post(api(cast["dept.bacninh"]), [facility_row(1)], kind="proposals").status_code == 403
    assert not ImportJob.objects.exists()


def test_a_file_that_is_not_xlsx_is_400(cast):
    client = api(cast["centre.bacninh"])
    response = client.post(
        URL, {"kind": "facilities", "file": upload(b"a,b\n", name="x.csv")}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_unknown_filter_parameters_are_400(cast):
    client = api(cast["centre.bacninh"])
    assert client.get(URL, {"staus": "ready"}).status_code == 400
    assert client.get(URL, {"status": "ready"}).status_code == 200


def test_template_download(cast):
    client = api(cast["centre.bacninh"])
    response = client.get(f"{URL}template/", {"kind": "proposals"})
    assert response.status_code == 200
    workbook = read_xlsx(b"".join(response.streaming_content))
    assert workbook.sheetnames[:2] == ["Đề án", "Cơ sở thụ hưởng"]
    assert client.get(f"{URL}template/", {"kind": "plans"}).status_code == 400
    assert api(cast["manager"]).get(f"{URL}template/", {"kind": "facilities"}).status_code == 403


def test_anonymous_is_refused(db):
    assert APIClient().get(URL).status_code in (401, 403)


def test_listing_imports_takes_the_same_queries_for_one_or_many(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(cast["centre.bacninh"])
    _post(client, [facility_row(1, email="x")])
    jobs.process_all()
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).json()["count"] == 1
    for n in range(4):
        _post(client, [facility_row(1, email="x"), facility_row(2 + n)])
    jobs.process_all()
    with CaptureQueriesContext(connection) as five:
        body = client.get(URL).json()
    assert body["count"] == 5 and all(len(job["errors"]) == 1 for job in body["results"])
    assert len(five) == len(one)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cast, monkeypatch):
    from exchange import importing

    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 1000)
    client = api(cast["centre.bacninh"])
    job_id = _post(client, [facility_row(n) for n in range(1, 50)]).json()["id"]
    jobs.process_all()
    body = client.get(f"{URL}{job_id}/").json()
    assert body["status"] == "invalid" and "giải nén" in body["message"]
