"""The API against its own OpenAPI document (schemathesis): generated requests, valid and
invalid, on every operation, with a key holding every scope, over demo-like data. No
answer may be a server error, and every answer (status, content type, body) must be one
the document declares. Bounded: a few dozen examples per operation."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.data import api_data

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_in_test_transaction():
    """Django closes the database connection after each request; the WSGI calls run in the
    test's transaction, so they must not (Django's own test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def key_headers(db, make_key, wsgi_in_test_transaction):
    api_data()
    _, headers = make_key(requests_per_minute=100_000)
    return {"Authorization": headers["HTTP_AUTHORIZATION"]}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_the_api_keeps_its_openapi_contract(case, key_headers):
    case.call_and_validate(headers=key_headers, checks=CHECKS)
