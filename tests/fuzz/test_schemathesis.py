"""Schemathesis against the OpenAPI schema, in-process through the WSGI app (no network): every
operation, signed in as the role it serves (a household, a worker, an agency staff member or a
federation officer); no response may be a server error or break the documented response schema.

Bounded for CI: FUZZ_MAX_EXAMPLES examples per operation (default 3), no Hypothesis deadline;
the whole file takes about a minute. FUZZ_MAX_EXAMPLES=50 for a deeper local run.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from backend.wsgi import application
from tests import factories

pytestmark = [pytest.mark.security, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))


def app(environ, start_response):
    """The WSGI app, minus the end-of-request connection close (as Django's test client does):
    every call runs inside the test's transaction."""
    return application(environ, start_response)


@pytest.fixture(autouse=True, scope="module")
def keep_the_test_connection():
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)

ROLES = {
    "household": lambda: factories.HouseholdFactory().user,
    "worker": lambda: factories.WorkerFactory().user,
    "agency": lambda: factories.AgencyStaffFactory().user,
    "federation": lambda: factories.FederationOfficerFactory().user,
}


def role_for(path: str) -> str:
    """The role each operation is fuzzed as: the one it is built for, so requests get past the
    permission check into the code that parses and answers (strangers are the ownership
    tests' business). All four roles are used across the schema."""
    if "/agencies/" in path or "/appeals/" in path:
        return "agency"
    if "/programme/" in path or "/metrics/" in path:
        return "federation"
    if path.startswith(("/api/v1/workers/me", "/api/v1/offers", "/api/v1/roster-invitations")):
        return "worker"
    return "household"


def bearer_for(path: str) -> dict:
    user = ROLES[role_for(path)]()
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_responses_match_the_schema(case):
    case.call_and_validate(
        headers=bearer_for(case.path), checks=[not_a_server_error, response_schema_conformance]
    )


def test_every_role_is_used():
    paths = [result.ok().path for result in schema.get_all_operations()]
    assert len(paths) > 100
    assert {role_for(path) for path in paths} == set(ROLES)
