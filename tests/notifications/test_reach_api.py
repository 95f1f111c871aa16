"""Push subscriptions and reach settings over REST: who may, bad input, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import PushSubscription, ReachPreference
from tests import factories
from tests.conftest import client_for
from tests.notifications.reach_fixtures import fake_push  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/notifications/settings/"),
        ("put", "/api/v1/notifications/settings/"),
        ("post", "/api/v1/push/subscriptions/"),
        ("delete", "/api/v1/push/subscriptions/"),
    ],
)
def test_anonymous_is_refused(anon_client, method, url):
    assert getattr(anon_client, method)(url, {}, format="json").status_code == 401


def test_subscription_saved_per_device_and_only_its_owner_removes_it(fake_push):  # noqa: F811
    worker, other = factories.WorkerFactory(), factories.WorkerFactory()
    body = fake_push.browser("a")
    assert (
        client_for(worker.user).post("/api/v1/push/subscriptions/", body, format="json").status_code
        == 201
    )
    gone = client_for(other.user).delete(
        "/api/v1/push/subscriptions/", {"endpoint": body["endpoint"]}, format="json"
    )
    assert gone.status_code == 204 and PushSubscription.objects.filter(user=worker.user).exists()
    mine = client_for(worker.user).delete(
        "/api/v1/push/subscriptions/", {"endpoint": body["endpoint"]}, format="json"
    )
    assert mine.status_code == 204 and not PushSubscription.objects.exists()


def test_bad_subscription_names_the_field(fake_push):  # noqa: F811
    worker = factories.WorkerFactory()
    body = fake_push.browser("a")
    body["keys"]["p256dh"] = "<script>"
    response = client_for(worker.user).post("/api/v1/push/subscriptions/", body, format="json")
    assert response.status_code == 400 and response.json()["code"]
    assert "keys" in str(response.json())
    assert not PushSubscription.objects.exists()


def test_no_push_keys_means_no_subscriptions(settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    worker = factories.WorkerFactory()
    body = {"endpoint": "https://push.example/x", "keys": {"p256dh": "B" * 87, "auth": "A" * 22}}
    response = client_for(worker.user).post("/api/v1/push/subscriptions/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "push_not_configured")


def test_settings_round_trip_with_bounded_queries():
    worker = factories.WorkerFactory()
    client = client_for(worker.user)
    body = {
        "preferences": {"offer": {"push": True, "sms": False}, "sos": {"sms": False}},
        "quiet_hours": {"enabled": True, "starts": "21:00", "ends": "06:00"},
    }
    assert client.put("/api/v1/notifications/settings/", body, format="json").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/notifications/settings/")
    assert response.status_code == 200 and len(queries) <= 4
    kinds = {p["kind"]: p for p in response.json()["preferences"]}
    assert (kinds["offer"]["push"], kinds["offer"]["sms"]) == (True, False)
    assert kinds["sos"]["sms"] is True  # SOS cannot be muted
    assert response.json()["quiet_hours"] == {"enabled": True, "starts": "21:00", "ends": "06:00"}


def test_unknown_kind_is_refused_and_nothing_changes():
    worker = factories.WorkerFactory()
    response = client_for(worker.user).put(
        "/api/v1/notifications/settings/",
        {"preferences": {"lottery": {"push": True}}},
        format="json",
    )
    assert response.status_code == 400 and "preferences" in str(response.json())
    assert not ReachPreference.objects.exists()
