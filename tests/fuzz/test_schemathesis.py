"""Schemathesis against the OpenAPI schema, in-process through the WSGI app (no network): no
response may be a server error or break the documented response schema.

The callers are side A of the ownership tests (a household with an order and an open request,
a worker on an agency's roster, the agency's owner, a federation officer) and an operator.

Bounded for the suite: every operation signed in as the role it serves, FUZZ_MAX_EXAMPLES
examples each (default 3), no Hypothesis deadline; about a minute. The deep run (`make fuzz`:
FUZZ_EVERY_ROLE=1, FUZZ_MAX_EXAMPLES=60) calls every operation as each of the five roles.
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
from tests.security.world import World

pytestmark = [pytest.mark.security, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))
EVERY_ROLE = os.environ.get("FUZZ_EVERY_ROLE", "") not in ("", "0")


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
# FUZZ_PATH_REGEX narrows a deep run to some paths (e.g. "^/api/v1/(orders|requests)/").
if os.environ.get("FUZZ_PATH_REGEX"):
    schema = schema.include(path_regex=os.environ["FUZZ_PATH_REGEX"])

ROLES = ("household", "worker", "agency", "federation", "operator")


def role_for(path: str) -> str:
    """The role each operation is fuzzed as in the bounded run: the one it is built for, so
    requests get past the permission check into the code that parses and answers (strangers
    are the ownership tests' business). All five roles are used across the schema."""
    if "/appeals/" in path:
        return "operator"
    if "/agencies/" in path:
        return "agency"
    if "/programme/" in path or "/metrics/" in path:
        return "federation"
    if path.startswith(("/api/v1/workers/me", "/api/v1/offers", "/api/v1/roster-invitations")):
        return "worker"
    return "household"


@pytest.fixture
def callers():
    """Side A's parties with their objects (so lists have rows to answer), and an operator."""
    world = World()
    world.order  # noqa: B018 - an order between the household and the worker (via an offer)
    world.open_request  # noqa: B018
    return {
        "household": world.household,
        "worker": world.worker.user,
        "agency": world.agency_owner.user,
        "federation": world.officer,
        "operator": factories.operator_user(),
    }


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


@pytest.mark.parametrize("role", ROLES if EVERY_ROLE else ("served",))
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_responses_match_the_schema(case, role, callers):
    user = callers[role_for(case.path) if role == "served" else role]
    case.call_and_validate(
        headers=bearer(user), checks=[not_a_server_error, response_schema_conformance]
    )


@pytest.mark.skipif(bool(os.environ.get("FUZZ_PATH_REGEX")), reason="a narrowed run")
def test_every_role_is_used():
    paths = [result.ok().path for result in schema.get_all_operations()]
    assert len(paths) > 100
    assert {role_for(path) for path in paths} == set(ROLES)
