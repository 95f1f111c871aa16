"""Who may call the "my data" endpoints: every signed-in user for herself only; operators list
deletion requests but no endpoint hands anyone's archive to someone else."""

import io
import json
import zipfile

import pytest

from personal_data.models import DeletionRequest
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SELF_ENDPOINTS = [
    ("get", "/api/v1/me/data/"),
    ("get", "/api/v1/me/data/archive/"),
    ("get", "/api/v1/me/consents/"),
    ("get", "/api/v1/me/deletion/"),
    ("post", "/api/v1/me/deletion/"),
    ("post", "/api/v1/me/deletion/cancel/"),
]
OPERATOR_LIST = "/api/v1/operator/deletion-requests/"


def _users() -> dict:
    return {
        "household": factories.HouseholdFactory().user,
        "worker": factories.WorkerFactory().user,
        # A staff member, not the owner: an agency's only owner may not leave it without one.
        "agency": factories.AgencyStaffFactory(staff_role="staff").user,
        "federation": factories.FederationOfficerFactory().user,
        "operator": factories.operator_user(),
    }


@pytest.mark.parametrize("method,url", SELF_ENDPOINTS)
def test_anonymous_is_refused_everywhere(method, url):
    response = getattr(client_for(None), method)(url)
    assert response.status_code == 401
    assert client_for(None).get(OPERATOR_LIST).status_code == 401
    assert not DeletionRequest.objects.exists()


@pytest.mark.parametrize("role", ["household", "worker", "agency", "federation", "operator"])
def test_every_role_downloads_only_her_own_archive(role):
    users = _users()
    user = users[role]
    response = client_for(user).get("/api/v1/me/data/archive/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    account = json.loads(archive.read("account.json"))
    assert [row["username"] for row in account] == [user.username]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    for other in users.values():
        if other.pk != user.pk:
            assert other.username not in everything and other.phone not in everything


@pytest.mark.parametrize("role", ["household", "worker", "agency", "federation", "operator"])
def test_every_role_may_ask_for_and_cancel_her_own_deletion(role):
    user = _users()[role]
    client = client_for(user)
    created = client.post("/api/v1/me/deletion/", {"password": factories.PASSWORD}, format="json")
    assert created.status_code == 201
    assert DeletionRequest.objects.get().user == user
    assert client.post("/api/v1/me/deletion/cancel/").status_code == 200


@pytest.mark.parametrize("role", ["household", "worker", "agency", "federation"])
def test_only_operators_list_deletion_requests(role):
    users = _users()
    DeletionRequest.objects.create(
        user=users["household"],
        role="household",
        requested_at="2026-01-01T00:00Z",
        erase_after="2026-01-08T00:00Z",
    )
    assert client_for(users[role]).get(OPERATOR_LIST).status_code == 403


def test_the_operator_list_shows_status_and_dates_and_no_personal_data(
    django_assert_max_num_queries,
):
    users = _users()
    for role in ("household", "worker", "agency"):
        DeletionRequest.objects.create(
            user=users[role],
            role=role,
            requested_at="2026-01-01T00:00Z",
            erase_after="2026-01-08T00:00Z",
        )
    client = client_for(users["operator"])
    with django_assert_max_num_queries(4):
        response = client.get(OPERATOR_LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert set(body["results"][0]) == {
        "id",
        "user",
        "role",
        "status",
        "requested_at",
        "erase_after",
        "cancelled_at",
        "completed_at",
        "refused_reason",
    }
    text = response.content.decode()
    assert all(user.username not in text and user.phone not in text for user in users.values())
    assert client.get(OPERATOR_LIST + "?status=completed").json()["count"] == 0
    bad = client.get(OPERATOR_LIST + "?status=whatever")
    assert bad.status_code == 400 and bad.json()["field"] == "status"
