"""A proposal's outputs (SPEC §3.2, §9): planned from the catalogue on the page and the API,
their actuals (and unplanned ones) recorded by the acceptance, page and API alike."""

import pytest
from django.test import Client
from django.urls import reverse

from proposals.models import OutcomeIndicator, Proposal
from tests.api_world import client_for as api_client_for
from tests.builders import TRIEU, add_beneficiary, make_facility, make_proposal
from tests.test_proposal_pages import form_data

pytestmark = pytest.mark.django_db


def page_client(user):
    client = Client()
    client.force_login(user)
    return client


def planned_rows(**rows):
    data = {"ind-TOTAL_FORMS": str(len(rows)), "ind-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows.values()):
        row = {"indicator": "", "name": "", "unit": "", "planned": "", **row}
        data.update({f"ind-{n}-{k}": v for k, v in row.items()})
    return data


def outputs(proposal):
    return sorted(
        (i.indicator_id or i.name, i.unit, i.planned, i.actual) for i in proposal.indicators.all()
    )


# --- planning on the page --------------------------------------------------------------------


def test_the_form_offers_catalogue_indicators_with_their_unit(cast):
    html = page_client(cast["centre.bacninh"]).get(reverse("proposals:create")).content.decode()
    assert '<option value="trainees">Lao động được đào tạo nghề (người)</option>' in html
    assert '<option value="demo_models">Mô hình trình diễn kỹ thuật (mô hình)</option>' in html


def test_a_centre_plans_catalogue_indicators_and_an_other_one(cast):
    rows = planned_rows(
        a={"indicator": "trainees", "planned": "35"},
        b={"indicator": "courses", "planned": "2", "unit": "typed but ignored"},
        c={"name": "Công suất mô hình", "unit": "tấn/năm", "planned": "60.000"},
    )
    response = page_client(cast["centre.bacninh"]).post(
        reverse("proposals:create"), form_data(**rows)
    )
    assert response.status_code == 302, response.context["indicators"].errors
    proposal = Proposal.objects.get(code="BN-2026-DP-100")
    assert outputs(proposal) == [
        ("Công suất mô hình", "tấn/năm", 60_000, None),
        ("courses", "", 2, None),
        ("trainees", "", 35, None),
    ]


def test_the_same_indicator_twice_is_refused_and_nothing_is_saved(cast):
    rows = planned_rows(
        a={"indicator": "trainees", "planned": "35"}, b={"indicator": "trainees", "planned": "5"}
    )
    response = page_client(cast["centre.bacninh"]).post(
        reverse("proposals:create"), form_data(**rows)
    )
    assert response.status_code == 200
    assert response.context["indicators"].domain_errors == [
        "Chỉ tiêu “Lao động được đào tạo nghề” được nêu hai lần."
    ]
    assert "được nêu hai lần" in response.content.decode()
    assert not Proposal.objects.filter(code="BN-2026-DP-100").exists()


@pytest.mark.parametrize(
    "row, field, message",
    [
        ({"indicator": "trainees"}, "planned", "Hãy nhập số kế hoạch."),
        ({"indicator": "nope", "planned": "3"}, "indicator", "Chỉ tiêu không có trong danh mục."),
        (
            {"indicator": "trainees", "name": "Học viên", "planned": "3"},
            "name",
            "Chọn chỉ tiêu trong danh mục hoặc ghi chỉ tiêu khác, không cả hai.",
        ),
        ({"unit": "người", "planned": "3"}, "name", "Hãy ghi tên chỉ tiêu khác."),
        ({"indicator": "trainees", "planned": "-1"}, "planned", "lớn hơn hoặc bằng 0"),
    ],
)
def test_a_bad_indicator_row_is_refused_next_to_its_field(cast, row, field, message):
    response = page_client(cast["centre.bacninh"]).post(
        reverse("proposals:create"), form_data(**planned_rows(a=row))
    )
    assert response.status_code == 200
    errors = response.context["indicators"].forms[0].errors[field]
    assert any(message.lower() in e.lower() for e in errors), errors
    assert not Proposal.objects.filter(code="BN-2026-DP-100").exists()


def test_the_detail_page_shows_label_unit_planned_and_actual(cast):
    proposal = make_proposal(code="BN-2026-DP-300", state="accepted", activity_id="machinery")
    proposal.indicators.create(indicator_id="machinery_facilities", planned=3, actual=2)
    proposal.indicators.create(name="Công suất", unit="tấn/năm", planned=60_000)
    html = page_client(cast["manager"]).get(proposal.get_absolute_url()).content.decode()
    assert (
        "<td>Cơ sở được hỗ trợ máy móc thiết bị</td><td>cơ sở</td>"
        '<td class="num">3</td><td class="num">2</td>'
    ) in html
    assert '<td>tấn/năm</td><td class="num">60.000</td><td class="num">—</td>' in html


# --- planning through the API ----------------------------------------------------------------


def api_body(**overrides):
    data = {
        "code": "BN-2026-DP-301",
        "title": "Đào tạo nghề mây tre đan",
        "year": 2026,
        "province": "bac-ninh",
        "implementing_unit": "Trung tâm Khuyến công Bắc Ninh",
        "fund": "provincial",
        "content": 1,
        "activity": "vocational_training",
        "kind": "single",
        "support_vnd": 300 * TRIEU,
    }
    data.update(overrides)
    return data


def test_the_api_plans_indicators_by_key_and_reads_the_catalogues_name_and_unit(cast):
    api = api_client_for(cast["centre.bacninh"])
    body = api_body(
        indicators=[
            {"indicator": "trainees", "planned": 35, "actual": 99},
            {"indicator": None, "name": "Sản phẩm mẫu", "unit": "mẫu", "planned": 4},
        ]
    )
    response = api.post("/api/v1/proposals/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["indicators"] == [
        {
            "indicator": "trainees",
            "name": "Lao động được đào tạo nghề",
            "unit": "người",
            "planned": 35,
            "actual": None,
        },
        {"indicator": None, "name": "Sản phẩm mẫu", "unit": "mẫu", "planned": 4, "actual": None},
    ]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"indicator": "trainee", "planned": 3}], "Không có chỉ tiêu “trainee”"),
        (
            [{"indicator": "trainees", "planned": 3}, {"indicator": "trainees", "planned": 4}],
            "được nêu hai lần",
        ),
        ([{"indicator": "trainees"}], "Hãy nhập số kế hoạch"),
        ([{"indicator": None, "planned": 3}], "ghi tên chỉ tiêu khác"),
    ],
)
def test_the_api_refuses_bad_indicators_naming_the_field(cast, rows, message):
    api = api_client_for(cast["centre.bacninh"])
    response = api.post("/api/v1/proposals/", api_body(indicators=rows), format="json")
    assert response.status_code == 400
    assert message in str(response.json()["indicators"])
    assert not Proposal.objects.filter(code="BN-2026-DP-301").exists()


# --- acceptance --------------------------------------------------------------------------------


@pytest.fixture
def under_way(db):
    """An in-progress machinery proposal with two facilities and three planned outputs."""
    proposal = make_proposal(
        code="BN-2026-DP-310",
        state="in_progress",
        activity_id="machinery",
        approved_support_vnd=500 * TRIEU,
    )
    first, second = make_facility(name="Cơ sở A"), make_facility(name="Cơ sở B")
    add_beneficiary(proposal, first, 300 * TRIEU, 600 * TRIEU)
    add_beneficiary(proposal, second, 200 * TRIEU, 400 * TRIEU)
    proposal.indicators.create(indicator_id="machinery_facilities", planned=2)
    proposal.indicators.create(indicator_id="machines", planned=5)
    proposal.indicators.create(name="Công suất", unit="tấn/năm", planned=1_000)
    proposal.facilities = (first, second)
    return proposal


def accept_body(**extra):
    data = {
        "action": "accept",
        "support_vnd": 450 * TRIEU,
        "counterpart_vnd": 1_000 * TRIEU,
        "other_vnd": 0,
    }
    data.update(extra)
    return data


def test_the_api_accept_records_actuals_and_an_unplanned_indicator(cast, under_way):
    first, second = under_way.facilities
    api = api_client_for(cast["dept.bacninh"])
    body = accept_body(
        indicators=[
            {"indicator": "machinery_facilities", "actual": 2},
            {"indicator": "machines", "actual": 6},
            {"indicator": None, "name": "Công suất", "actual": 1_200},
            {"indicator": "jobs_created", "actual": 15},
        ],
        beneficiaries=[
            {"facility": first.pk, "support_vnd": 270 * TRIEU, "counterpart_vnd": 600 * TRIEU},
            {"facility": second.pk, "support_vnd": 180 * TRIEU, "counterpart_vnd": 400 * TRIEU},
        ],
    )
    response = api.post(f"/api/v1/proposals/{under_way.pk}/transitions/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"
    assert outputs(under_way) == [
        ("Công suất", "tấn/năm", 1_000, 1_200),
        ("jobs_created", "", None, 15),
        ("machinery_facilities", "", 2, 2),
        ("machines", "", 5, 6),
    ]
    actuals = sorted(
        under_way.beneficiaries.values_list("actual_support_vnd", "actual_counterpart_vnd")
    )
    assert actuals == [(180 * TRIEU, 400 * TRIEU), (270 * TRIEU, 600 * TRIEU)]


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"indicators": [{"indicator": "machine", "actual": 2}]}, "indicators", "machine"),
        (
            {"indicators": [{"indicator": None, "name": "Sản lượng", "actual": 2}]},
            "indicators",
            "không có chỉ tiêu khác “Sản lượng”",
        ),
        (
            {
                "indicators": [
                    {"indicator": "jobs_created", "actual": 2},
                    {"indicator": "jobs_created", "actual": 3},
                ]
            },
            "indicators",
            "chỉ được nêu một lần",
        ),
        ({"indicators": [{"indicator": "machines", "actual": -1}]}, "indicators", "0"),
        (
            {"beneficiaries": [{"facility": 999_999, "support_vnd": 450 * TRIEU}]},
            "beneficiaries",
            "không phải cơ sở thụ hưởng",
        ),
    ],
)
def test_the_api_accept_refuses_bad_actuals_and_saves_nothing(
    cast, under_way, extra, field, message
):
    api = api_client_for(cast["dept.bacninh"])
    url = f"/api/v1/proposals/{under_way.pk}/transitions/"
    response = api.post(url, accept_body(**extra), format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    under_way.refresh_from_db()
    assert under_way.state == "in_progress"
    assert under_way.indicators.count() == 3
    assert not under_way.indicators.exclude(actual=None).exists()


def test_another_provinces_department_cannot_accept_it(cast, under_way):
    api = api_client_for(cast["dept.phutho"])
    url = f"/api/v1/proposals/{under_way.pk}/transitions/"
    response = api.post(url, accept_body(), format="json")
    assert response.status_code == 404


def accept_page_data(under_way, **extra):
    data = {
        "version": str(under_way.version),
        "accepted_on": "",
        "support_vnd": "450",
        "counterpart_vnd": "1.000",
        "other_vnd": "0",
        "council": "Bà Trần Thị Lan, Phó Giám đốc Sở, Chủ tịch hội đồng",
    }
    data.update(extra)
    return data


def test_the_acceptance_page_records_actuals_and_adds_an_unplanned_indicator(cast, under_way):
    rows = {i.indicator_id or i.name: i.pk for i in under_way.indicators.all()}
    client = page_client(cast["dept.bacninh"])
    url = reverse("proposals:transition", args=[under_way.pk, "accept"])
    page = client.get(url).content.decode()
    assert "Cơ sở được hỗ trợ máy móc thiết bị" in page and "tấn/năm" in page
    assert '<option value="jobs_created">Việc làm mới tạo ra (người)</option>' in page
    # A planned indicator is not offered again among the unplanned ones.
    assert '<option value="machines">' not in page
    data = accept_page_data(
        under_way,
        **{
            f"ind_{rows['machinery_facilities']}": "2",
            f"ind_{rows['machines']}": "6",
            f"ind_{rows['Công suất']}": "1.200",
            "new_0_indicator": "jobs_created",
            "new_0_actual": "15",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert outputs(under_way) == [
        ("Công suất", "tấn/năm", 1_000, 1_200),
        ("jobs_created", "", None, 15),
        ("machinery_facilities", "", 2, 2),
        ("machines", "", 5, 6),
    ]


def test_the_acceptance_page_asks_the_actual_of_an_added_indicator(cast, under_way):
    client = page_client(cast["dept.bacninh"])
    url = reverse("proposals:transition", args=[under_way.pk, "accept"])
    response = client.post(url, accept_page_data(under_way, new_0_indicator="jobs_created"))
    assert response.status_code == 200
    assert response.context["form"].errors["new_0_actual"] == ["Hãy nhập số thực hiện."]
    under_way.refresh_from_db()
    assert under_way.state == "in_progress"
    assert OutcomeIndicator.objects.filter(proposal=under_way).count() == 3
