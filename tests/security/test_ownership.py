"""Every object endpoint in the OpenAPI schema against the role table (tests/security/
access_table.py): callers the table does not allow get 401/403/404 and change nothing; callers
it allows get past the permission check (so the refusals are about the caller, not about a
missing object)."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.conftest import client_for
from tests.security.access_table import ACCESS, BODIES
from tests.security.schema_tools import PARAMETER, api_schema, object_operations, request_body
from tests.security.world import World, differences, state, strangers

pytestmark = [pytest.mark.django_db, pytest.mark.security]

ROLES = {"anonymous", "household", "worker", "agency", "federation", "operator"}
REFUSED = {401, 403, 404}


def _schema_operations() -> list[tuple[str, str]]:
    # The schema is read outside any test database access: spectacular needs none.
    return object_operations(api_schema())


OPERATIONS = _schema_operations()


def test_role_table_covers_every_object_endpoint():
    """A new path or method with a path parameter must be added to the table first."""
    missing = [
        f"{method.upper()} {path}"
        for path, method in OPERATIONS
        if method not in ACCESS.get(path, {})
    ]
    assert missing == [], "add these to tests/security/access_table.py:\n" + "\n".join(missing)


def test_role_table_names_only_real_endpoints_and_callers():
    served = set(OPERATIONS)
    stale = [
        f"{method.upper()} {path}"
        for path, methods in ACCESS.items()
        for method in methods
        if (path, method) not in served
    ]
    assert stale == [], "no longer served; remove from the table:\n" + "\n".join(stale)
    for path, methods in ACCESS.items():
        for method, allowed in methods.items():
            for token in allowed.split():
                role = token.removeprefix("owner:")
                assert role in ROLES, (path, method, token)


def _text(response) -> str:
    return response.content[:160].decode("utf-8", "replace")


def _call(user, method: str, url: str, body):
    client = client_for(user)
    return (
        getattr(client, method)(url, body, format="json")
        if body is not None
        else getattr(client, method)(url)
    )


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_only_allowed_callers_reach_the_object(path, method):
    allowed = ACCESS.get(path, {}).get(method)
    if allowed is None:
        pytest.fail(f"{method.upper()} {path} is not in tests/security/access_table.py")
    tokens = set(allowed.split())
    world = World()
    url = path
    for parameter in PARAMETER.findall(path):
        url = url.replace(f"{{{parameter}}}", str(world.object_id(path, parameter)))
    body = BODIES.get((path, method), request_body(api_schema(), path, method))
    others = strangers()

    before = state()
    problems = []
    for role, user in others.items():
        if role in tokens:
            continue
        response = _call(user, method, url, body)
        expected = {401} if user is None else REFUSED - {401}
        if response.status_code not in expected:
            problems.append(f"{role} (stranger): {response.status_code} {_text(response)}")
        changed = differences(before, state())
        if changed:
            problems.append(f"{role} (stranger) changed {changed}")
            before = state()
    # Side A's users the table does not name are refused too (e.g. the household on a worker's
    # offer), except where their role is allowed anyway.
    parties = world.parties()
    for role, user in parties.items():
        if f"owner:{role}" in tokens or role in tokens:
            continue
        response = _call(user, method, url, body)
        if response.status_code not in REFUSED:
            problems.append(f"{role} (side A): {response.status_code} {_text(response)}")
        if differences(before, state()):
            problems.append(f"{role} (side A) changed {differences(before, state())}")
            before = state()

    # Each allowed caller gets past the permission check (rolled back: calls may change state).
    for token in sorted(tokens - {"anonymous"}):
        user = parties[token[6:]] if token.startswith("owner:") else others[token]
        savepoint = transaction.savepoint()
        try:
            response = _call(user, method, url, body)
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code in REFUSED:
            problems.append(f"{token} (allowed): {response.status_code} {_text(response)}")
    assert problems == [], f"{method.upper()} {path}:\n" + "\n".join(problems)
