"""Who may do what, asked directly (proposals/registrations `permissions.py`), and the answers
pages give when the answer is no: the Vietnamese 403, 404 and 409 pages in the site's layout."""

import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from khuyencong.errors import NotPermitted, StateConflict
from proposals import permissions
from registrations import permissions as registration_permissions
from registrations.models import Registration
from tests.builders import make_proposal

pytestmark = pytest.mark.django_db

NO = False
YES = True


# --- proposals.permissions: the role alone ---------------------------------------------------

# (check, who) -> allowed, for a Bắc Ninh proposal. Written from SPEC §1, not from the code.
ROLE_MATRIX = {
    "edit": {"centre.bacninh": YES, "dept.bacninh": NO, "centre.phutho": NO, "ministry": NO},
    "attach": {"centre.bacninh": YES, "dept.bacninh": YES, "centre.phutho": NO, "manager": NO},
    "report_progress": {"centre.bacninh": YES, "dept.bacninh": NO, "ministry": NO},
    "comment_progress": {"centre.bacninh": NO, "dept.bacninh": YES, "dept.phutho": NO},
    "request_payment": {"centre.bacninh": YES, "dept.bacninh": NO, "manager": NO},
    "decide_payment": {"centre.bacninh": NO, "dept.bacninh": YES, "dept.phutho": NO},
}


@pytest.mark.parametrize("action", ROLE_MATRIX)
def test_each_write_is_allowed_to_the_roles_spec_names_and_refused_with_a_reason(cast, action):
    proposal = make_proposal()
    for username, expected in ROLE_MATRIX[action].items():
        allowed, reason = permissions.may(cast[username], proposal, action)
        assert allowed is expected, (action, username)
        assert (reason == "") is expected
        if not expected:
            assert reason.startswith("Chỉ "), reason


def test_only_a_centre_creates_and_only_for_its_provinces(cast):
    assert permissions.may_create(cast["centre.bacninh"]) == (True, "")
    assert permissions.may_create(cast["dept.bacninh"]) == (
        False,
        "Chỉ Trung tâm Khuyến công được lập đề án.",
    )
    assert permissions.creatable_province_slugs(cast["centre.bacninh"]) == {
        "bac-ninh",
        "bac-giang",
    }


@pytest.mark.parametrize(
    "username, fund, allowed",
    [
        ("dept.bacninh", "provincial", YES),  # the department approves local funds
        ("dept.bacninh", "national", NO),  # ... but not the national fund
        ("ministry", "national", YES),
        ("ministry", "provincial", NO),
        ("centre.bacninh", "provincial", NO),
        ("dept.phutho", "provincial", NO),
        ("manager", "provincial", NO),
    ],
)
def test_who_may_approve_follows_the_fund(cast, username, fund, allowed):
    proposal = make_proposal(fund=fund, state="submitted")
    verdict = permissions.may_perform(cast[username], proposal, "approve")
    assert verdict == (
        (True, "") if allowed else (False, "Vai trò của bạn không được thực hiện thao tác này.")
    )


def test_the_getter_answers_404_out_of_sight_403_for_the_role_409_for_the_state(cast):
    ours = make_proposal(state="submitted")
    theirs = make_proposal(code="PT-1", province="phu-tho")
    with pytest.raises(Http404):
        permissions.get_proposal_for(cast["centre.bacninh"], theirs.pk, "edit")
    with pytest.raises(NotPermitted, match="Chỉ Trung tâm Khuyến công của tỉnh được sửa"):
        permissions.get_proposal_for(cast["dept.bacninh"], ours.pk, "edit")
    with pytest.raises(StateConflict, match="“Đã gửi” không được sửa"):
        permissions.get_proposal_for(cast["centre.bacninh"], ours.pk, "edit")
    with pytest.raises(StateConflict, match="Không thể phê duyệt"):
        permissions.get_proposal_for(
            cast["ministry"],
            make_proposal(code="N", fund="national", state="submitted").pk,
            "approve",
        )
    found = permissions.get_proposal_for(cast["dept.bacninh"], ours.pk, "approve")
    assert found == ours


# --- registrations.permissions -----------------------------------------------------------------


def test_the_centre_handles_a_registration_and_the_department_only_reads_it(cast):
    registration = Registration(province_id="bac-ninh")
    assert registration_permissions.may_handle(cast["centre.bacninh"], registration) == (True, "")
    allowed, reason = registration_permissions.may_handle(cast["dept.bacninh"], registration)
    assert (allowed, reason) == (
        False,
        "Chỉ Trung tâm Khuyến công của tỉnh được xử lý hồ sơ đăng ký.",
    )
    assert registration_permissions.may_read(cast["dept.bacninh"])[0] is True
    assert registration_permissions.may_read(cast["ministry"])[0] is False
    assert registration_permissions.staff_province_slugs(cast["ministry"]) == set()


# --- the pages' answers ------------------------------------------------------------------------


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_provinces_proposal_is_the_vietnamese_404_in_the_sites_layout(cast, settings):
    settings.DEBUG = False
    theirs = make_proposal(code="PT-1", province="phu-tho")
    page = login(cast["centre.bacninh"]).get(reverse("proposals:detail", args=[theirs.pk]))
    html = page.content.decode()
    assert page.status_code == 404
    assert "Không có trang hoặc hồ sơ này, hoặc bạn không có quyền xem." in html
    assert 'class="topbar"' in html and "Về trang chủ" in html  # base.html, with a way out
    assert "PT-1" not in html and "Proposal" not in html


def test_editing_a_submitted_proposal_shows_the_reason_with_409(cast, settings):
    settings.DEBUG = False
    proposal = make_proposal(state="submitted")
    client = login(cast["centre.bacninh"])
    back = "http://testserver" + proposal.get_absolute_url()
    page = client.get(reverse("proposals:edit", args=[proposal.pk]), HTTP_REFERER=back)
    html = page.content.decode()
    assert page.status_code == 409
    assert "Đề án ở trạng thái “Đã gửi” không được sửa." in html
    assert f'href="{back}"' in html and 'class="topbar"' in html


def test_a_role_that_may_not_act_sees_the_reason_with_403(cast, settings):
    settings.DEBUG = False
    proposal = make_proposal(state="submitted")
    page = login(cast["centre.bacninh"]).get(
        reverse("proposals:transition", args=[proposal.pk, "approve"])
    )
    assert page.status_code == 403
    assert "Vai trò của bạn không được thực hiện thao tác này." in page.content.decode()


def test_the_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Lỗi máy chủ" in html and 'class="topbar"' in html


def test_reports_cover_the_provinces_the_user_sees(cast):
    from reports.permissions import summary_scope

    assert summary_scope(cast["dept.bacninh"]) == {"bac-ninh", "bac-giang"}
    assert summary_scope(cast["manager"]) is None


def test_only_a_lock_not_had_in_time_answers_busy():
    from django.db import OperationalError

    from khuyencong.errors import as_busy

    class PostgresError(Exception):
        def __init__(self, sqlstate):
            self.sqlstate = sqlstate

    def raised(sqlstate):
        error = OperationalError("…")
        error.__cause__ = PostgresError(sqlstate)
        return error

    busy = as_busy(raised("55P03"))  # lock_not_available
    assert isinstance(busy, StateConflict) and busy.status == 409
    assert busy.message == "Đang có người khác xử lý hồ sơ này, vui lòng thử lại."
    assert as_busy(raised("57014")) is None  # a statement cancelled by its timeout stays a 500
    assert as_busy(ValueError("55P03")) is None
