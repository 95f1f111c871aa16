"""The inbox: every event stored per user, listed newest first, marked read by its owner only."""

import pytest
from django.db import transaction

from notifications.events import OFFER_CREATED, send_event_on_commit
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def users():
    return factories.HouseholdFactory().user, factories.WorkerFactory().user


def emit(recipients, n=1):
    with transaction.atomic():
        for i in range(n):
            send_event_on_commit(event_type=OFFER_CREATED, recipients=recipients, payload={"i": i})


def test_list_is_own_newest_first_and_filters_unread(users):
    alice, bob = users
    emit([alice.pk], n=3)
    emit([bob.pk])
    client = client_for(alice)
    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 3
    assert [row["payload"]["i"] for row in body["results"]] == [2, 1, 0]
    assert {row["type"] for row in body["results"]} == {"offer.created"}
    first = body["results"][0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read/").json()["is_read"] is True
    unread = client.get("/api/v1/notifications/", {"unread": "1"}).json()
    assert unread["count"] == 2 and first not in [r["id"] for r in unread["results"]]


def test_marking_someone_elses_notification_is_404_and_changes_nothing(users):
    alice, bob = users
    emit([bob.pk])
    theirs = Notification.objects.get(user=bob)
    response = client_for(alice).post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_twice_keeps_the_first_read_time(users):
    alice, _ = users
    emit([alice.pk])
    note = Notification.objects.get(user=alice)
    client = client_for(alice)
    first = client.post(f"/api/v1/notifications/{note.pk}/read/").json()["read_at"]
    second = client.post(f"/api/v1/notifications/{note.pk}/read/").json()["read_at"]
    assert first == second


def test_read_all_marks_only_own(users):
    alice, bob = users
    emit([alice.pk, bob.pk], n=2)
    response = client_for(alice).post("/api/v1/notifications/read-all/")
    assert response.json() == {"updated": 2}
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=bob, read_at__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/notifications/"),
        ("post", "/api/v1/notifications/1/read/"),
        ("post", "/api/v1/notifications/read-all/"),
        ("get", "/api/v1/chats/unread/"),
    ],
)
def test_anonymous_is_401(anon_client, method, path):
    assert getattr(anon_client, method)(path).status_code == 401
