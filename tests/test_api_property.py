"""Property-based API test: schemathesis derives requests from our own OpenAPI schema and
checks that no endpoint answers 500, whatever the input, as a provincial centre user.

Bounded so CI stays fast: a few examples per operation, no shrinking deadline.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error

from demo.data import create_demo_accounts

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", APP)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests must not close the test's database connection (Django's test client does the
    same): the production WSGI app closes connections it sees inside a transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    users = create_demo_accounts("property-test-1")
    return AuthToken.objects.create(users["dept.bacninh"])[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_endpoint_answers_500(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])
