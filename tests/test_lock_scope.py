"""A transition locks the rows it means and waits a bounded time for them (PostgreSQL only).

Measured before: a transition also locked its province's and its fund's rows, so 20 approvals and
4 allocation edits at once deadlocked, a lock on the `provincial` fund row delayed a Bắc Ninh
"return" by 29 s, and a held proposal lock made a request wait until the worker was killed.
"""

import threading
import time

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from proposals import lifecycle
from proposals.models import Proposal
from tests.builders import TODAY, TRIEU, make_allocation, make_proposal

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and lock timeouts need PostgreSQL (run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUSY = "Đang có người khác xử lý hồ sơ này, vui lòng thử lại."


def in_thread(work):
    """Run `work()` in a thread with its own database connection; returns (thread, result)."""
    result = {}

    def run():
        try:
            result["value"] = work()
        except Exception as error:  # noqa: BLE001 - handed back to the test to assert on
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def hold_lock(sql, params, seconds, locked):
    """Lock rows with `sql` in another connection and keep them for `seconds`."""

    def work():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            locked.set()
            time.sleep(seconds)

    return in_thread(work)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def timed(call):
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def return_body():
    return {"action": "return", "comment": "Bổ sung hồ sơ."}


def test_app_connections_wait_for_a_lock_and_a_statement_a_bounded_time():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute("SHOW statement_timeout")
        statement_timeout = cursor.fetchone()[0]
    assert (lock_timeout, statement_timeout) == ("5s", "30s")


def test_a_lock_held_on_the_fund_row_delays_no_transition(cast):
    proposal = make_proposal(state="submitted")
    locked = threading.Event()
    holder, _held = hold_lock(
        "SELECT key FROM funding_fund WHERE key = %s FOR UPDATE", ["provincial"], 4, locked
    )
    client = client_for(cast["dept.bacninh"])
    url = f"/api/v1/proposals/{proposal.pk}/transitions/"
    warm_up(client, url)
    assert locked.wait(10)
    answer, seconds = timed(lambda: client.post(url, return_body(), format="json"))
    holder.join()
    assert answer.status_code == 200, answer.content
    assert seconds < 2, f"the return waited {seconds:.1f} s for the fund row"


def test_another_provinces_approval_in_flight_delays_no_transition(cast):
    make_allocation("phu-tho")
    theirs = make_proposal(code="PT-1", province="phu-tho", state="submitted")
    ours = make_proposal(code="BN-1", state="submitted")
    locked = threading.Event()

    def approve_and_linger():
        with transaction.atomic():
            lifecycle.perform(
                theirs.pk,
                "approve",
                cast["dept.phutho"],
                {
                    "decision_number": "1/QĐ",
                    "decision_date": TODAY,
                    "approved_support_vnd": theirs.support_vnd,
                },
            )
            locked.set()
            time.sleep(4)  # the approval's transaction stays open, its locks held

    holder, held = in_thread(approve_and_linger)
    client = client_for(cast["dept.bacninh"])
    url = f"/api/v1/proposals/{ours.pk}/transitions/"
    warm_up(client, url)
    assert locked.wait(10), held
    answer, seconds = timed(lambda: client.post(url, return_body(), format="json"))
    holder.join()
    assert "error" not in held, held
    assert answer.status_code == 200, answer.content
    assert seconds < 2, f"Bắc Ninh's return waited {seconds:.1f} s for Phú Thọ's approval"


def warm_up(client, url):
    """One request first, so the timings below measure waiting, not a cold process."""
    assert client.get(url).status_code == 200


def _post_with_short_lock_timeout(user, url, body, api=True):
    def work():
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '500ms'")
        if api:
            client = client_for(user)
            warm_up(client, url)
            return timed(lambda: client.post(url, body, format="json"))
        client = APIClient()
        client.force_login(user)
        warm_up(client, url)
        return timed(lambda: client.post(url, body))

    thread, result = in_thread(work)
    thread.join(30)
    assert "error" not in result, result
    return result["value"]


def test_a_held_proposal_lock_answers_409_within_the_lock_timeout(cast):
    proposal = make_proposal(state="submitted")
    locked = threading.Event()
    holder, _held = hold_lock(
        "SELECT id FROM proposals_proposal WHERE id = %s FOR UPDATE", [proposal.pk], 5, locked
    )
    assert locked.wait(10)
    answer, seconds = _post_with_short_lock_timeout(
        cast["dept.bacninh"], f"/api/v1/proposals/{proposal.pk}/transitions/", return_body()
    )
    holder.join()
    assert answer.status_code == 409, answer.content
    assert answer.json() == {"detail": BUSY}
    assert seconds < 3, f"answered after {seconds:.1f} s"


def test_a_held_proposal_lock_shows_the_busy_page_with_409(cast):
    proposal = make_proposal(state="submitted")
    locked = threading.Event()
    holder, _held = hold_lock(
        "SELECT id FROM proposals_proposal WHERE id = %s FOR UPDATE", [proposal.pk], 5, locked
    )
    assert locked.wait(10)
    answer, seconds = _post_with_short_lock_timeout(
        cast["dept.bacninh"],
        f"/proposals/{proposal.pk}/actions/return/",
        {"comment": "Bổ sung hồ sơ.", "version": proposal.version},
        api=False,
    )
    holder.join()
    assert answer.status_code == 409
    assert BUSY in answer.content.decode()
    assert seconds < 3


def test_twenty_approvals_and_four_allocation_edits_at_once_never_deadlock(cast):
    allocation = make_allocation(amount_vnd=100_000 * TRIEU)
    proposals = [
        make_proposal(code=f"C-{i:02d}", state="submitted", support_vnd=400 * TRIEU)
        for i in range(20)
    ]
    requests = [
        (
            f"/api/v1/proposals/{p.pk}/transitions/",
            {
                "action": "approve",
                "decision_number": f"{p.pk}/QĐ-SCT",
                "decision_date": TODAY.isoformat(),
                "approved_support_vnd": p.support_vnd,
            },
        )
        for p in proposals
    ]
    edits = [
        (f"/api/v1/allocations/{allocation.pk}/", {"note": f"Điều chỉnh lần {i}"}) for i in range(4)
    ]
    for i, edit in enumerate(edits):
        requests.insert(i * 5 + 2, edit)
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def send(i, url, body):
        def work():
            client = client_for(cast["dept.bacninh"])
            barrier.wait(timeout=30)
            if "allocations" in url:
                answers[i] = client.patch(url, body, format="json")
            else:
                answers[i] = client.post(url, body, format="json")

        return in_thread(work)

    threads = [send(i, url, body) for i, (url, body) in enumerate(requests)]
    for thread, result in threads:
        thread.join(120)
        assert "error" not in result, result
    statuses = [a.status_code for a in answers]
    assert 500 not in statuses
    assert not any(b"deadlock" in a.content for a in answers)
    approvals = [a for a in answers if "/transitions/" in a.request["PATH_INFO"]]
    assert [a.status_code for a in approvals] == [200] * 20, [a.content for a in approvals]
    assert Proposal.objects.filter(state="approved").count() == 20
