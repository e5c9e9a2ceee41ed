"""Requests sent at the same instant from separate threads and connections (PostgreSQL races)."""

import threading

from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient


def race(username, requests):
    """Send `requests` [(method, url, body)] at once as `username`, one thread and connection
    each, released together by a barrier; the answers in the same order."""
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def run(i, method, url, body):
        try:
            client = APIClient()
            client.force_authenticate(User.objects.get(username=username))
            barrier.wait(timeout=30)
            answers[i] = getattr(client, method)(url, body, format="json")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(answer is not None for answer in answers), "a request did not finish"
    return answers
