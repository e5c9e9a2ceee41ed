"""Cached totals, pages and summaries (khuyencong.datacache) are reused until the data changes,
and never show a change late: not in the writing process, not in another one."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from khuyencong import datacache
from khuyencong.models import DataVersion
from proposals import lifecycle
from proposals.models import Proposal
from reports.summary import ReportFilters, summarise
from tests.api_world import client_for
from tests.builders import TRIEU, make_allocation, make_proposal

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def totals_line(client) -> str:
    response = client.get("/proposals/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<p class="muted">')
    return html[start : html.index("</p>", start)]


def another_process_commits(**changes):
    """What a write in another server process looks like from here: rows changed without a
    signal in this process, then the committed counter moved on by that process's commit."""
    Proposal.objects.update(**changes)
    DataVersion.objects.filter(pk=datacache.NAME).update(number=F("number") + 1)


def test_a_repeated_list_page_is_served_from_the_cache(cast):
    make_proposal("T-001", support_vnd=500 * TRIEU)
    client = page_client(cast["ministry"])
    client.get("/proposals/")
    with CaptureQueriesContext(connection) as repeated:
        assert "500" in totals_line(client)
    tables = " ".join(q["sql"] for q in repeated.captured_queries)
    assert "proposals_proposal" not in tables  # neither the totals nor the rows were read


def test_a_save_in_this_process_shows_at_once(cast):
    proposal = make_proposal("T-001", support_vnd=500 * TRIEU)
    client = page_client(cast["ministry"])
    assert "1 đề án" in totals_line(client) and "500" in totals_line(client)
    proposal.support_vnd = 700 * TRIEU
    proposal.save()  # inside the test's transaction: nothing committed yet
    assert "700" in totals_line(client)
    make_proposal("T-002", support_vnd=100 * TRIEU)
    assert "2 đề án" in totals_line(client) and "800" in totals_line(client)


def test_a_commit_in_another_process_retires_what_this_process_cached(cast):
    make_proposal("T-001", support_vnd=500 * TRIEU)
    client = page_client(cast["ministry"])
    assert "500" in totals_line(client)
    Proposal.objects.update(support_vnd=900 * TRIEU)  # not committed by anyone yet
    assert "500" in totals_line(client)  # the cached figure, as the version has not moved
    another_process_commits(support_vnd=900 * TRIEU)
    assert "900" in totals_line(client)


def test_the_api_list_shows_a_transition_at_once(cast):
    make_allocation()
    proposal = make_proposal("T-001", state="submitted")
    dept = client_for(cast["dept.bacninh"])
    before = dept.get("/api/v1/proposals/").json()["results"][0]
    assert before["state"] == "submitted" and "approve" in before["actions"]
    lifecycle.perform(
        proposal.pk,
        "approve",
        cast["dept.bacninh"],
        {
            "decision_number": "12/QĐ-SCT",
            "decision_date": datetime.date(2026, 3, 1),
            "approved_support_vnd": 500 * TRIEU,
        },
    )
    after = dept.get("/api/v1/proposals/").json()["results"][0]
    assert after["state"] == "approved" and "approve" not in after["actions"]


def test_cached_pages_are_kept_apart_by_the_viewers_provinces(cast):
    make_proposal("BN-001", province="bac-ninh")
    make_proposal("PT-001", province="phu-tho")
    bac_ninh = client_for(cast["dept.bacninh"]).get("/api/v1/proposals/").json()
    phu_tho = client_for(cast["dept.phutho"]).get("/api/v1/proposals/").json()
    assert [p["code"] for p in bac_ninh["results"]] == ["BN-001"]
    assert [p["code"] for p in phu_tho["results"]] == ["PT-001"]
    assert "BN-001" not in page_client(cast["dept.phutho"]).get("/proposals/").content.decode()
    assert "PT-001" in page_client(cast["ministry"]).get("/proposals/").content.decode()


def test_cached_pages_are_kept_apart_by_the_callers_roles(cast):
    make_allocation()
    make_proposal("T-001", state="submitted")
    centre = client_for(cast["centre.bacninh"]).get("/api/v1/proposals/").json()
    dept = client_for(cast["dept.bacninh"]).get("/api/v1/proposals/").json()
    assert "approve" not in centre["results"][0]["actions"]
    assert "approve" in dept["results"][0]["actions"]


def test_cached_pages_are_kept_apart_by_language(cast):
    make_proposal("T-001")
    client = page_client(cast["ministry"])
    assert "Dự thảo" in client.get("/proposals/").content.decode()
    client.cookies["django_language"] = "en"
    assert "Draft" in client.get("/proposals/").content.decode()


def test_a_summary_is_reused_until_the_data_changes(cast):
    make_proposal("T-001", state="approved", final_support_vnd=500 * TRIEU)
    filters = ReportFilters(year_from=2026, year_to=2026)
    assert summarise(filters, scope=None).totals.support_vnd == 500 * TRIEU
    with CaptureQueriesContext(connection) as again:
        assert summarise(filters, scope=None).totals.support_vnd == 500 * TRIEU
    assert len(again) == 1  # the data version only
    make_proposal("T-002", state="approved", final_support_vnd=100 * TRIEU)
    assert summarise(filters, scope=None).totals.support_vnd == 600 * TRIEU
    another_process_commits(final_support_vnd=50 * TRIEU)
    assert summarise(filters, scope=None).totals.support_vnd == 100 * TRIEU
    assert summarise(filters, scope=None, fresh=True).totals.support_vnd == 100 * TRIEU


def test_a_summary_of_another_scope_is_not_reused(cast):
    make_proposal("BN-001", province="bac-ninh", state="approved", final_support_vnd=5 * TRIEU)
    make_proposal("PT-001", province="phu-tho", state="approved", final_support_vnd=7 * TRIEU)
    filters = ReportFilters()
    assert summarise(filters, scope={"bac-ninh"}).totals.support_vnd == 5 * TRIEU
    assert summarise(filters, scope={"phu-tho"}).totals.support_vnd == 7 * TRIEU
    assert summarise(filters, scope=None).totals.support_vnd == 12 * TRIEU


def counter() -> int:
    return DataVersion.objects.get(pk=datacache.NAME).number


def test_a_transaction_moves_the_counter_once_when_it_commits(
    cast, django_capture_on_commit_callbacks
):
    before = counter()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for i in range(3):
                make_proposal(f"T-00{i}")
            assert counter() == before  # nothing is announced before the commit
    assert counter() == before + 1
    assert len(callbacks) == 1


def test_a_rolled_back_transaction_moves_nothing(cast, django_capture_on_commit_callbacks):
    before = counter()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_proposal("T-001")
            raise RuntimeError
    assert counter() == before


def test_writes_to_unwatched_models_move_nothing(cast, django_capture_on_commit_callbacks):
    before = counter()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cast["ministry"].first_name = "Lan"
        cast["ministry"].save()
    assert callbacks == [] and counter() == before


def headline_support(client, url="/reports/?year_from=2026&year_to=2026") -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    card = html[html.index('data-key="support"') :]
    return card[card.index('class="value">') + 14 : card.index("</span>", card.index("value"))]


def test_the_dashboard_shows_a_new_approval_at_once(cast):
    make_proposal("T-001", state="approved", final_support_vnd=500 * TRIEU)
    manager = page_client(cast["manager"])
    assert headline_support(manager) == "500"
    make_proposal("T-002", state="settled", final_support_vnd=222_300_000)
    assert headline_support(manager) == "722,3"


def test_a_cached_dashboard_never_opens_another_province(cast):
    make_proposal("BN-001", province="bac-ninh", state="approved", final_support_vnd=5 * TRIEU)
    url = "/reports/?province=bac-ninh"
    assert page_client(cast["dept.bacninh"]).get(url).status_code == 200
    assert page_client(cast["manager"]).get(url).status_code == 200
    assert page_client(cast["dept.phutho"]).get(url).status_code == 404


def test_counts_of_unwatched_models_are_never_kept(cast):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    before = datacache.count(users)
    get_user_model().objects.create(username="moi")  # auth is not watched: no version moves
    assert datacache.count(users) == before + 1


def test_the_api_count_follows_a_new_proposal(cast):
    make_proposal("T-001")
    ministry = client_for(cast["ministry"])
    assert ministry.get("/api/v1/proposals/?page_size=1").json()["count"] == 1
    make_proposal("T-002")
    answer = ministry.get("/api/v1/proposals/?page_size=1").json()
    assert answer["count"] == 2 and answer["next"].startswith("http://testserver/")
