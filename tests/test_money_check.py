"""One check and one message for an amount given as a number, whatever face it came through."""

import pytest
from django.core.exceptions import ValidationError

from exchange.cells import CellError, read_cell
from exchange.sheets import PROPOSALS
from khuyencong.forms import MoneyField
from khuyencong.money import MAX_VND, check_vnd, vnd_message
from proposals import implementation
from tests.api_world import client_for
from tests.builders import TRIEU, make_allocation, make_proposal

pytestmark = pytest.mark.django_db

BAD = [-1, MAX_VND + 1, 1.5, 600_000_000.0, "600000000", True, None]


@pytest.mark.parametrize("value", BAD)
def test_the_check_refuses_what_is_not_integer_dong(value):
    with pytest.raises(ValidationError) as caught:
        check_vnd(value)
    assert caught.value.messages == [vnd_message()]


def test_the_check_takes_integer_dong():
    assert check_vnd(600_000_000) == 600_000_000
    assert check_vnd(0) == 0 and check_vnd(MAX_VND) == MAX_VND


@pytest.mark.parametrize("value", [-1, MAX_VND + 1])
def test_every_face_gives_the_same_message(cast, value):
    message = vnd_message()
    # The API.
    centre = client_for(cast["centre.bacninh"])
    body = {
        "code": "BN-2026-009",
        "title": "Máy móc",
        "year": 2026,
        "province": "bac-ninh",
        "implementing_unit": "TTKC",
        "fund": "provincial",
        "content": 3,
        "kind": "single",
        "support_vnd": value,
        "counterpart_vnd": 0,
    }
    response = centre.post("/api/v1/proposals/", body, format="json")
    assert response.status_code == 400 and response.json()["support_vnd"] == [message]
    # A form given a number by code (an import, a test, a view).
    with pytest.raises(ValidationError) as caught:
        MoneyField().clean(value)
    assert caught.value.messages == [message]
    # A spreadsheet's number cell.
    with pytest.raises(CellError) as cell:
        read_cell(value, PROPOSALS.column("support_vnd"), {})
    assert str(cell.value) == message
    # A payment request.
    proposal = make_proposal(state="in_progress", approved_support_vnd=900 * TRIEU)
    with pytest.raises(ValidationError) as caught:
        implementation.request_payment(proposal.pk, cast["centre.bacninh"], "advance", value)
    assert caught.value.messages == [message]
    # A transition's amounts (the API hands the JSON to the lifecycle as it came).
    make_allocation(amount_vnd=2_000 * TRIEU)
    submitted = make_proposal(code="BN-2026-010", state="submitted", support_vnd=900 * TRIEU)
    department = client_for(cast["dept.bacninh"])
    response = department.post(
        f"/api/v1/proposals/{submitted.pk}/transitions/",
        {
            "action": "approve",
            "decision_number": "12/QĐ-SCT",
            "decision_date": "2026-03-01",
            "approved_support_vnd": value,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["approved_support_vnd"] == [message]
