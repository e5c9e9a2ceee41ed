"""The admin log keeps what a field was and what it became, never a password."""

import json

import pytest
from django.contrib.admin.models import LogEntry

from funding.models import Fund
from tests.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_a_change_is_logged_with_its_old_and_new_values(admin_client):
    fund = Fund.objects.get(key="national")
    old_name = fund.name
    response = admin_client.post(
        "/admin/funding/fund/national/change/",
        {
            "key": "national",
            "name": "Khuyến công quốc gia (sửa)",
            "short_name": fund.short_name,
            "order": fund.order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get(object_id="national")
    (part,) = json.loads(entry.change_message)
    assert part["changed"]["fields"] == ["Tên"]  # what Django logs: the field's label
    assert part["changed"]["values"] == {"name": [old_name, "Khuyến công quốc gia (sửa)"]}
    # The admin's own history page still reads the message.
    assert (
        "Khuyến công quốc gia (sửa)" in admin_client.get("/admin/admin/logentry/").content.decode()
    )


def test_a_password_set_in_the_admin_never_reaches_the_log(admin_client):
    clerk = make_user("dept.x", password="old-Password-1")
    response = admin_client.post(
        f"/admin/auth/user/{clerk.pk}/password/",
        {
            "password1": "new-Password-2!x",
            "password2": "new-Password-2!x",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get(object_id=str(clerk.pk))
    assert "new-Password-2!x" not in entry.change_message
    assert "values" not in entry.change_message


def test_every_registered_admin_logs_values():
    from django.contrib import admin

    from khuyencong.adminsite import ValuesInChangeLog

    assert admin.site.__class__.__name__ == "PortalAdminSite"
    assert all(isinstance(a, ValuesInChangeLog) for a in admin.site._registry.values())
