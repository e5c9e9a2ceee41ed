"""DRF's and Django's messages in Vietnamese through locale/vi, on every serializer of the API;
English when the language switch (the cookie) chooses English."""

import inspect

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from exchange import serializers as exchange_serializers
from facilities import serializers as facility_serializers
from facilities.models import Facility
from funding import serializers as funding_serializers
from khuyencong.api import VndField
from proposals import serializers as proposal_serializers
from registrations import serializers as registration_serializers

MODULES = [
    facility_serializers,
    funding_serializers,
    proposal_serializers,
    registration_serializers,
    exchange_serializers,
]


def _integer_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _integer_fields(field, f"{prefix}{name}.")
        elif isinstance(field, serializers.IntegerField) and not field.read_only:
            yield f"{prefix}{name}", field


def _every_integer_field():
    found = []
    for module in MODULES:
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == module.__name__:
                for path, field in _integer_fields(cls(context={"request": None})):
                    found.append(pytest.param(field, id=f"{name}.{path}"))
    return found


INTEGER_FIELDS = _every_integer_field()


def _message(field, value="abc"):
    with pytest.raises(ValidationError) as caught:
        field.run_validation(value)
    return str(caught.value.detail[0])


def test_every_serializer_with_an_integer_field_is_covered():
    assert len(INTEGER_FIELDS) >= 10


@pytest.mark.parametrize("field", INTEGER_FIELDS)
def test_a_non_integer_is_refused_in_vietnamese_and_in_english(field):
    if isinstance(field, VndField):
        vietnamese = "Số tiền phải là số nguyên đồng kiểu số"
        english = "An amount must be a whole number of đồng"
    elif isinstance(field, serializers.BigIntegerField):
        vietnamese, english = "Cần một số nguyên.", "A valid biginteger is required."
    else:
        vietnamese, english = "Cần một số nguyên.", "A valid integer is required."
    with translation.override("vi"):
        assert _message(field).startswith(vietnamese)
    with translation.override("en"):
        assert _message(field).startswith(english)


@pytest.mark.parametrize(
    "message, vietnamese",
    [
        (serializers.CharField().error_messages["required"], "Trường này là bắt buộc."),
        (serializers.CharField().error_messages["null"], "Trường này không được để trống (null)."),
        (serializers.CharField().error_messages["blank"], "Trường này không được bỏ trống."),
        (
            serializers.ChoiceField(choices=["a"]).error_messages["invalid_choice"],
            "“{input}” không phải là lựa chọn hợp lệ.",
        ),
        (
            serializers.DateField().error_messages["invalid"],
            "Ngày không hợp lệ: hãy dùng một trong các định dạng {format}.",
        ),
        (
            serializers.CharField().error_messages["max_length"],
            "Dài quá mức cho phép: tối đa {max_length} ký tự.",
        ),
    ],
)
def test_drf_field_messages_have_our_vietnamese(message, vietnamese):
    with translation.override("vi"):
        assert str(message) == vietnamese


@pytest.fixture
def facility(db):
    return Facility.objects.create(name="Cơ sở A", province_id="bac-ninh", legal_form="sme")


def test_the_facility_api_answers_a_bad_employee_count_in_the_chosen_language(cast, facility):
    client = APIClient()
    client.force_authenticate(cast["centre.bacninh"])
    url = f"/api/v1/facilities/{facility.pk}/"
    # An English browser does not decide; the switch does.
    response = client.patch(url, {"employees": "abc"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["employees"] == ["Cần một số nguyên."]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.patch(url, {"employees": "abc"}, format="json")
    assert response.json()["employees"] == ["A valid integer is required."]
