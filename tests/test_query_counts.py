"""Pages and API lists cost the same number of queries for 5 rows as for 50 (SPEC §10).

`make bench-smoke` checks the same on generated data at 200 and 2 000 proposals; these keep the
default suite guarding it.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.generate import generate
from facilities import views as facility_views
from facilities.models import Facility
from proposals import views as proposal_views
from proposals.models import (
    Beneficiary,
    OutcomeIndicator,
    Payment,
    ProgressReport,
    Proposal,
    ProposalEvent,
)
from tests.builders import TRIEU, make_allocation, make_proposal

pytestmark = pytest.mark.django_db

LIST_USERS = ("ministry", "dept.bacninh", "centre.bacninh")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client, url) -> int:
    client.get(url)  # warm the session and per-process caches
    cache.clear()  # count what computing costs, not a cached copy
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def list_counts(clients, n) -> dict:
    generate(n, seed=3, clear_first=True, log=lambda _message: None)
    assert Proposal.objects.count() == n
    # Half of them in Bắc Ninh, so the provincial users see rows too (3 then 25).
    half = Proposal.objects.order_by("pk").values("pk")[: (n + 1) // 2]
    Proposal.objects.filter(pk__in=half).update(province_id="bac-ninh")
    return {
        (username, url): queries(client, url)
        for username, client in clients.items()
        for url in ("/proposals/", "/api/v1/proposals/?page_size=100")
    }


def test_the_list_page_and_the_api_list_cost_the_same_for_5_and_50_rows(cast, monkeypatch):
    monkeypatch.setattr(proposal_views, "PAGE_SIZE", 100)
    clients = {username: client_for(cast[username]) for username in LIST_USERS}
    five = list_counts(clients, 5)
    fifty = list_counts(clients, 50)
    assert five == fifty
    # Computed (nothing cached): 8 as before, plus the read of the data version that every
    # cached figure's key carries (khuyencong.datacache), plus the activity types offered by
    # the filter; a repeated page costs 4 (below).
    assert five[("ministry", "/proposals/")] <= 10
    # The API's rows also name their partner units: one prefetch, whatever the number of rows.
    assert five[("ministry", "/api/v1/proposals/?page_size=100")] <= 10


def test_a_repeated_list_page_reads_only_the_session_the_user_and_the_data_version(cast):
    generate(50, seed=3, clear_first=True, log=lambda _message: None)
    for username in LIST_USERS:
        client = client_for(cast[username])
        for url in ("/proposals/", "/api/v1/proposals/?page_size=100"):
            computed = queries(client, url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            # session, user, memberships, data version: the rest comes from the cache
            assert len(captured) == 4 < computed, (username, url)


def rich_proposal(code, n, users) -> Proposal:
    """An approved, started proposal with `n` beneficiaries, events, indicators, payments and
    monthly reports."""
    support = n * 10 * TRIEU
    proposal = make_proposal(
        code,
        year=2025,
        state="in_progress",
        support_vnd=support,
        counterpart_vnd=support,
        approved_support_vnd=support,
        final_support_vnd=support,
        final_counterpart_vnd=support,
        final_other_vnd=0,
        decision_number="1/QĐ-SCT",
        decision_date=datetime.date(2025, 3, 1),
    )
    facilities = Facility.objects.bulk_create(
        Facility(name=f"Cơ sở {code} {i}", legal_form="household", province_id="bac-ninh")
        for i in range(n)
    )
    Beneficiary.objects.bulk_create(
        Beneficiary(
            proposal=proposal, facility=f, support_vnd=10 * TRIEU, counterpart_vnd=10 * TRIEU
        )
        for f in facilities
    )
    centre, dept = users["centre.bacninh"], users["dept.bacninh"]
    ProposalEvent.objects.bulk_create(
        ProposalEvent(
            proposal=proposal,
            action="submit" if i % 2 == 0 else "return",
            from_state="draft" if i % 2 == 0 else "submitted",
            to_state="submitted" if i % 2 == 0 else "returned",
            actor=centre if i % 2 == 0 else dept,
            comment=f"Lần {i}",
        )
        for i in range(n)
    )
    OutcomeIndicator.objects.bulk_create(
        OutcomeIndicator(proposal=proposal, name=f"Chỉ tiêu {i}", unit="máy", planned=i + 1)
        for i in range(n)
    )
    Payment.objects.bulk_create(
        Payment(
            proposal=proposal,
            kind="advance",
            amount_vnd=TRIEU,
            state="approved",
            requested_by=centre,
            decided_by=dept,
        )
        for _i in range(n)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            proposal=proposal,
            month=datetime.date(2020 + i // 12, 1 + i % 12, 1),
            percent_complete=min(100, i * 2),
            narrative="Đang lắp đặt máy móc.",
            created_by=centre,
        )
        for i in range(n)
    )
    return proposal


def test_the_detail_page_costs_the_same_for_5_and_50_rows_of_everything(cast):
    make_allocation("bac-ninh", 2025, "provincial")
    small = rich_proposal("QC-5", 5, cast)
    large = rich_proposal("QC-50", 50, cast)
    for username in ("ministry", "dept.bacninh", "centre.bacninh"):
        client = client_for(cast[username])
        assert queries(client, f"/proposals/{small.pk}/") == queries(
            client, f"/proposals/{large.pk}/"
        ), username


def facility_counts(clients, n) -> dict:
    Facility.objects.filter(tax_code__startswith="QCF").delete()
    proposal = make_proposal(f"QCF-{n}", year=2024)
    facilities = Facility.objects.bulk_create(
        Facility(
            name=f"Cơ sở {i:03d}",
            tax_code=f"QCF{n:03d}{i:04d}",
            legal_form="sme",
            province_id="bac-ninh" if i % 2 else "bac-giang",
        )
        for i in range(n)
    )
    Beneficiary.objects.bulk_create(Beneficiary(proposal=proposal, facility=f) for f in facilities)
    assert Facility.objects.count() == n
    return {
        (username, url): queries(client, url)
        for username, client in clients.items()
        for url in ("/facilities/", "/api/v1/facilities/?page_size=100")
    }


def test_the_facility_list_costs_the_same_for_5_and_50_rows(cast, monkeypatch):
    monkeypatch.setattr(facility_views, "PAGE_SIZE", 100)
    clients = {username: client_for(cast[username]) for username in LIST_USERS}
    five = facility_counts(clients, 5)
    Beneficiary.objects.all().delete()
    fifty = facility_counts(clients, 50)
    assert five == fifty
