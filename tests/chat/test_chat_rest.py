"""Order chat through REST: same rules and same frames as the socket; a permission table."""

import pytest

from chat.models import MAX_MESSAGE_LENGTH, ChatMessage, ReadMarker
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def url(order, suffix=""):
    return f"/api/v1/orders/{order.pk}/messages/{suffix}"


@pytest.fixture
def chat(agency_order):
    order, staff_user = agency_order
    return {
        "order": order,
        "household": order.household,
        "worker": order.worker.user,
        "staff": staff_user,
        "stranger": factories.HouseholdFactory().user,
        "other_staff": factories.AgencyStaffFactory().user,
    }


def test_send_then_history_gives_the_socket_frames(chat):
    order = chat["order"]
    client = client_for(chat["household"])
    first = client.post(url(order), {"body": "你好", "client_id": "k1"}, format="json")
    assert first.status_code == 201
    again = client.post(url(order), {"body": "你好", "client_id": "k1"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    second = client_for(chat["worker"]).post(url(order), {"body": "在的"}, format="json")
    assert second.status_code == 201
    assert ChatMessage.objects.filter(order=order).count() == 2

    history = client_for(chat["staff"]).get(url(order))
    assert history.status_code == 200
    body = history.json()
    assert [m["body"] for m in body["results"]] == ["你好", "在的"]
    assert body["results"][0] == first.json()
    assert body["results"][0]["type"] == "chat.message"
    after = client.get(url(order), {"after": first.json()["id"]}).json()
    assert [m["id"] for m in after["results"]] == [second.json()["id"]]


def test_idempotency_key_header_stands_in_for_client_id(chat):
    client = client_for(chat["household"])
    for expected in (201, 200):
        response = client.post(
            url(chat["order"]), {"body": "hi"}, format="json", HTTP_IDEMPOTENCY_KEY="key-1"
        )
        assert response.status_code == expected
    assert ChatMessage.objects.count() == 1


def test_history_pages_by_id_cursor(chat):
    order = chat["order"]
    client = client_for(chat["worker"])
    for n in range(5):
        client.post(url(order), {"body": f"m{n}", "client_id": str(n)}, format="json")
    seen, after = [], 0
    while True:
        page = client.get(url(order), {"after": after, "limit": 2}).json()
        seen += [m["body"] for m in page["results"]]
        after = page["next_after"]
        if not page["has_more"]:
            break
    assert seen == [f"m{n}" for n in range(5)]


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"body": ""}, "empty", "body"),
        ({"body": "  "}, "empty", "body"),
        ({"body": "x" * (MAX_MESSAGE_LENGTH + 1)}, "too_long", "body"),
        ({}, "required", "body"),
        ({"body": "x", "client_id": "c" * 65}, "max_length", "client_id"),
    ],
)
def test_bad_message_is_400_naming_the_field_and_stores_nothing(chat, payload, code, field):
    response = client_for(chat["household"]).post(url(chat["order"]), payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["field"] == field
    assert ChatMessage.objects.count() == 0


def test_mark_read_through_rest_is_monotonic(chat):
    order = chat["order"]
    ids = [
        client_for(chat["household"])
        .post(url(order), {"body": f"m{n}"}, format="json")
        .json()["id"]
        for n in range(3)
    ]
    worker = client_for(chat["worker"])
    assert worker.get("/api/v1/chats/unread/").json() == {
        "total": 3,
        "orders": [{"order": order.pk, "unread": 3}],
    }
    assert worker.post(url(order, "read/"), {"up_to": ids[1]}, format="json").json() == {
        "order": order.pk,
        "up_to": ids[1],
    }
    assert (
        worker.post(url(order, "read/"), {"up_to": ids[0]}, format="json").json()["up_to"]
        == (ids[1])
    )
    assert worker.get("/api/v1/chats/unread/").json()["total"] == 1
    assert worker.get(url(order)).json()["read_up_to"] == ids[1]
    bad = worker.post(url(order, "read/"), {"up_to": -1}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "up_to"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("stranger", 404),
        ("other_staff", 404),
        ("household", 200),
        ("worker", 200),
        ("staff", 200),
    ],
)
def test_permission_table(chat, who, expected):
    order = chat["order"]
    ChatMessage.objects.create(order=order, sender=chat["household"], body="secret")
    client = client_for(None if who == "anonymous" else chat[who])
    get = client.get(url(order))
    post = client.post(url(order), {"body": "hello", "client_id": who}, format="json")
    read = client.post(url(order, "read/"), {"up_to": 10**9}, format="json")
    assert get.status_code == expected
    assert post.status_code == (201 if expected == 200 else expected)
    assert read.status_code == expected
    if expected != 200:
        assert "secret" not in get.content.decode()
        assert ChatMessage.objects.filter(order=order).count() == 1
        assert not ReadMarker.objects.exists()
    unread = client.get("/api/v1/chats/unread/")
    if who == "anonymous":
        assert unread.status_code == 401
    elif expected == 404:
        assert unread.json() == {"total": 0, "orders": []}


def test_missing_order_is_404(chat):
    response = client_for(chat["household"]).get("/api/v1/orders/999999/messages/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
