"""Bad input is refused with a Vietnamese 400 (or 413), never a 500, and nothing is stored.

NUL characters in parameters and JSON, JSON nested too deep, bodies larger than the limit.
"""

import io

import pytest
from django.test import Client

from facilities.models import Facility
from registrations.models import Registration
from tests.api_world import client_for

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "ký tự NUL"


def facility_body(**overrides):
    data = {
        "name": "Hợp tác xã Gốm Phù Lãng",
        "legal_form": "cooperative",
        "tax_code": "2300123456",
        "province": "bac-ninh",
        "address": "Xã Phù Lãng, Bắc Ninh",
        "sector": "Gốm mỹ nghệ",
        "employees": 45,
        "area_class": "normal",
    }
    data.update(overrides)
    return data


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_it_refuses_a_nul_character_in_a_json_string_field(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", facility_body(province="bac\u0000ninh"), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert NUL_MESSAGE in response.json()["detail"]
    assert not Facility.objects.exists()


def test_it_refuses_a_nul_character_in_a_json_key(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", {**facility_body(), "na\u0000me": "x"}, format="json"
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.json()["detail"]
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/facilities/search.json?q=%00",
        "/exchange/provinces/?province=%00",
        "/facilities/?q=%00",
        "/proposals/?q=%00",
        "/registrations/?q=%00",
    ],
)
def test_it_refuses_a_nul_character_in_a_page_parameter(cast, url):
    response = logged_in(cast["dept.bacninh"]).get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/api/v1/facilities/?q=%00", "/api/v1/proposals/?q=%00", "/api/v1/facilities/?%00=1"]
)
def test_it_refuses_a_nul_character_in_an_api_parameter_as_json(cast, url):
    client = Client(raise_request_exception=False)
    client.force_login(cast["dept.bacninh"])
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert NUL_MESSAGE in response.json()["detail"]


def test_it_refuses_a_nul_character_in_a_posted_form(cast):
    response = logged_in(cast["centre.bacninh"]).post(
        "/facilities/new/",
        {"name": "Cơ sở\u0000", "legal_form": "sme", "province": "bac-ninh"},
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Facility.objects.exists()


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_it_refuses_json_nested_too_deep(cast, opening):
    client = Client(raise_request_exception=False)
    client.force_login(cast["centre.bacninh"])
    response = client.post(
        "/api/v1/facilities/", opening * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON lồng nhau quá sâu."
    assert not Facility.objects.exists()


def test_json_nested_a_little_is_still_read(cast):
    response = client_for(cast["centre.bacninh"]).post(
        "/api/v1/facilities/", facility_body(), format="json"
    )
    assert response.status_code == 201, response.content


class CountingPayload(io.BytesIO):
    """A request body that remembers how much of it was read."""

    def __init__(self, size):
        super().__init__(b"x" * size)
        self.read_bytes = 0

    def read(self, size=-1, /):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1, /):
        data = super().readline(size)
        self.read_bytes += len(data)
        return data


def huge_post(client, path, size, content_length=None):
    payload = CountingPayload(size)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy",
        "wsgi.input": payload,
    }
    if content_length is not None:
        environ["CONTENT_LENGTH"] = str(content_length)
    return client.request(**environ), payload


@pytest.mark.parametrize("path", ["/dang-ky/", "/api/v1/facilities/"])
def test_a_body_above_the_limit_is_refused_before_it_is_read(db, settings, path):
    settings.MAX_REQUEST_BYTES = 1000
    response, payload = huge_post(Client(), path, 5000, content_length=5000)
    assert response.status_code == 413
    text = response.json()["detail"] if path.startswith("/api/") else response.content.decode()
    assert "quá lớn" in text
    assert payload.read_bytes == 0
    assert not Registration.objects.exists()


def test_a_413_on_the_api_is_json(db, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response, _payload = huge_post(Client(), "/api/v1/facilities/", 5000, content_length=5000)
    assert response["Content-Type"] == "application/json"
    assert "quá lớn" in response.json()["detail"]


def test_a_body_whose_length_lies_is_read_no_further_than_the_limit(db, settings):
    settings.MAX_REQUEST_BYTES = 1000
    # The announced length is under the limit; the body goes on far beyond it.
    response, payload = huge_post(Client(), "/dang-ky/", 50_000, content_length=900)
    assert payload.read_bytes <= 1000
    assert response.status_code != 500
    assert not Registration.objects.exists()


def test_a_body_without_a_length_is_not_read(db, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response, payload = huge_post(Client(), "/dang-ky/", 50_000)
    assert payload.read_bytes == 0
    assert response.status_code != 500
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"format": "x\\u0000"}', "ký tự NUL"),
        ("[" * 100_000, "JSON lồng nhau quá sâu."),
        ("[" * 70 + "]" * 70, "JSON lồng nhau quá sâu."),
    ],
)
def test_a_province_exchange_file_with_nul_or_deep_nesting_is_refused(text, message):
    from exchange.province import ExchangeError, load

    with pytest.raises(ExchangeError, match=message):
        load(text)
