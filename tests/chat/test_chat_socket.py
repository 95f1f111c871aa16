"""Order chat over the socket: delivery, idempotency, read markers, resync, bad frames."""

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from chat.models import MAX_MESSAGE_LENGTH, ChatMessage, ReadMarker
from chat.selectors import chat_unread_counts
from tests import factories
from tests.notifications.sockets import (
    close_all,
    connected,
    receive,
    receive_type,
    send_chat,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

count_messages = database_sync_to_async(lambda **kw: ChatMessage.objects.filter(**kw).count())


@database_sync_to_async
def stranger_user():
    return factories.HouseholdFactory().user


async def assert_still_open(communicator) -> None:
    await communicator.send_json_to({"type": "ping"})
    assert await receive_type(communicator, "pong")


async def test_message_is_stored_then_delivered_to_every_party_and_no_one_else(agency_order):
    order, staff_user = agency_order
    household, worker_user = order.household, order.worker.user
    stranger = await stranger_user()
    sockets = [await connected(u) for u in (household, worker_user, staff_user)]
    household_laptop = await connected(household)
    outsider = await connected(stranger)

    client_id = await send_chat(sockets[0], order.pk, "明天早上八点到，可以吗？")
    frames = [await receive(s) for s in (*sockets, household_laptop)]
    stored = await database_sync_to_async(ChatMessage.objects.get)(order=order)
    for frame in frames:
        assert frame == {
            "type": "chat.message",
            "order": order.pk,
            "id": stored.pk,
            "sender": household.pk,
            "sender_name": household.display_name or household.username,
            "body": "明天早上八点到，可以吗？",
            "created_at": stored.created_at.isoformat(),
            "client_id": client_id,
        }
    assert await outsider.receive_nothing(timeout=0.3)
    await close_all(*sockets, household_laptop, outsider)


async def test_resend_with_same_client_id_stores_one_message(agency_order):
    order, _ = agency_order
    sender, other = await connected(order.household), await connected(order.worker.user)
    await send_chat(sender, order.pk, "hello", client_id="abc")
    first = await receive(sender)
    assert (await receive(other))["id"] == first["id"]
    await send_chat(sender, order.pk, "hello again?", client_id="abc")
    again = await receive(sender)
    assert again["duplicate"] is True and again["id"] == first["id"]
    assert again["body"] == "hello"  # the stored message, not the resend's body
    assert await other.receive_nothing(timeout=0.3)  # delivered once
    assert await count_messages(order=order) == 1
    # The same client_id from the other party is a different message.
    await send_chat(other, order.pk, "hi", client_id="abc")
    assert (await receive(other))["sender"] == order.worker.user_id
    assert await count_messages(order=order) == 2
    await close_all(sender, other)


async def test_read_marker_moves_forward_only_and_tells_the_other_side(agency_order):
    order, _ = agency_order
    household, worker_user = order.household, order.worker.user
    hh, wk = await connected(household), await connected(worker_user)
    ids = []
    for body in ("one", "two", "three"):
        await send_chat(hh, order.pk, body)
        ids.append((await receive(wk))["id"])
        await receive(hh)
    unread = await database_sync_to_async(chat_unread_counts)(user=worker_user)
    assert unread == {order.pk: 3}

    await wk.send_json_to({"type": "chat.read", "order": order.pk, "up_to": ids[1]})
    told = await receive(hh)
    assert told == {"type": "chat.read", "order": order.pk, "user": worker_user.pk, "up_to": ids[1]}
    assert (await receive(wk))["up_to"] == ids[1]  # the reader's own devices stay in step
    assert await database_sync_to_async(chat_unread_counts)(user=worker_user) == {order.pk: 1}

    # Backwards is ignored: no frame, marker unchanged.
    await wk.send_json_to({"type": "chat.read", "order": order.pk, "up_to": ids[0]})
    assert await hh.receive_nothing(timeout=0.3)
    marker = await database_sync_to_async(ReadMarker.objects.get)(order=order, user=worker_user)
    assert marker.last_read_id == ids[1]

    # Beyond the last message is clamped to it.
    await wk.send_json_to({"type": "chat.read", "order": order.pk, "up_to": ids[2] + 1000})
    assert (await receive(hh))["up_to"] == ids[2]
    assert await database_sync_to_async(chat_unread_counts)(user=worker_user) == {}
    # The sender's own messages never count as unread for her.
    assert await database_sync_to_async(chat_unread_counts)(user=household) == {}
    await close_all(hh, wk)


async def test_resync_after_forced_disconnect_delivers_each_missed_message_once_in_order(
    agency_order,
):
    order, _ = agency_order
    hh, wk = await connected(order.household), await connected(order.worker.user)
    await send_chat(hh, order.pk, "before")
    last_seen = (await receive(wk))["id"]
    await receive(hh)
    await wk.disconnect()  # the worker's phone drops off

    bodies = [f"missed {n}" for n in range(5)]
    for body in bodies:
        await send_chat(hh, order.pk, body)
        await receive(hh)

    wk = await connected(order.worker.user)
    await wk.send_json_to({"type": "resync", "order": order.pk, "after": last_seen})
    frames = []
    while True:
        frame = await receive(wk)
        if frame["type"] == "resync.done":
            break
        frames.append(frame)
    assert [f["body"] for f in frames] == bodies
    ids = [f["id"] for f in frames]
    assert ids == sorted(ids) and ids[0] > last_seen
    assert frame == {
        "type": "resync.done",
        "order": order.pk,
        "last_id": ids[-1],
        "has_more": False,
    }
    assert await wk.receive_nothing(timeout=0.2)
    await close_all(hh, wk)


def _frame(**fields):
    return json.dumps({"type": "chat.send", **fields})


BAD_FRAMES = [
    ("not json", "invalid_json", None),
    ("[1, 2]", "invalid_frame", None),
    ('"chat.send"', "invalid_frame", None),
    ('{"no": "type"}', "unknown_type", "type"),
    ('{"type": "chat.delete"}', "unknown_type", "type"),
    (_frame(body="x", client_id="a"), "required", "order"),
    (_frame(order="1", body="x", client_id="a"), "invalid", "order"),
    (_frame(order=True, body="x", client_id="a"), "invalid", "order"),
    (_frame(order="ORDER", client_id="a"), "required", "body"),
    (_frame(order="ORDER", body=5, client_id="a"), "invalid", "body"),
    (_frame(order="ORDER", body="x"), "required", "client_id"),
    (_frame(order="ORDER", body="x", client_id=7), "invalid", "client_id"),
    (_frame(order="ORDER", body="x", client_id=""), "invalid", "client_id"),
    (_frame(order="ORDER", body="x", client_id="a" * 65), "invalid", "client_id"),
    (_frame(order="ORDER", body="", client_id="a"), "empty", "body"),
    (_frame(order="ORDER", body="   \n", client_id="a"), "empty", "body"),
    (
        _frame(order="ORDER", body="长" * (MAX_MESSAGE_LENGTH + 1), client_id="a"),
        "too_long",
        "body",
    ),
    ('{"type": "chat.read", "order": ORDER}', "required", "up_to"),
    ('{"type": "chat.read", "order": ORDER, "up_to": -1}', "invalid", "up_to"),
    ('{"type": "resync", "order": ORDER, "after": "x"}', "invalid", "after"),
    ('{"type": "resync", "order": 999999, "after": 0}', "not_found", None),
    ("x" * 20_000, "frame_too_large", None),
]


@pytest.mark.parametrize(("raw", "code", "field"), BAD_FRAMES)
async def test_bad_frame_gets_error_and_socket_stays_open(agency_order, raw, code, field):
    order, _ = agency_order
    raw = raw.replace('"ORDER"', str(order.pk)).replace("ORDER", str(order.pk))
    communicator = await connected(order.household)
    await communicator.send_to(text_data=raw)
    frame = await receive(communicator)
    assert frame["type"] == "error" and frame["code"] == code
    assert frame["detail"]
    assert frame.get("field") == field
    await assert_still_open(communicator)
    assert await count_messages(order=order) == 0
    await communicator.disconnect()


async def test_binary_frame_gets_error_and_socket_stays_open(agency_order):
    order, _ = agency_order
    communicator = await connected(order.household)
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await receive(communicator))["code"] == "invalid_frame"
    await assert_still_open(communicator)
    await communicator.disconnect()


async def test_longest_allowed_message_is_stored(agency_order):
    order, _ = agency_order
    communicator = await connected(order.household)
    await send_chat(communicator, order.pk, "长" * MAX_MESSAGE_LENGTH)
    frame = await receive(communicator)
    assert frame["type"] == "chat.message" and len(frame["body"]) == MAX_MESSAGE_LENGTH
    await communicator.disconnect()


async def test_non_party_can_neither_send_nor_read_nor_resync(agency_order):
    order, _ = agency_order
    stranger = await stranger_user()
    party = await connected(order.household)
    await send_chat(party, order.pk, "private")
    await receive(party)
    outsider = await connected(stranger)
    for frame in (
        {"type": "chat.send", "order": order.pk, "body": "let me in", "client_id": "x"},
        {"type": "chat.read", "order": order.pk, "up_to": 10**6},
        {"type": "resync", "order": order.pk, "after": 0},
    ):
        await outsider.send_json_to(frame)
        error = await receive(outsider)
        assert error["type"] == "error" and error["code"] == "not_found"
    assert await outsider.receive_nothing(timeout=0.2)  # no message leaked
    assert await party.receive_nothing(timeout=0.2)
    assert await count_messages(order=order) == 1
    assert not await database_sync_to_async(ReadMarker.objects.filter(user=stranger).exists)()
    await close_all(party, outsider)


async def test_chat_closes_for_sending_some_days_after_the_order_ended(agency_order, settings):
    order, _ = agency_order

    @database_sync_to_async
    def cancel(days_ago):
        order.status = "cancelled"
        order.cancelled_at = timezone.now() - timedelta(days=days_ago)
        order.save(update_fields=["status", "cancelled_at"])

    communicator = await connected(order.household)
    await cancel(days_ago=1)
    await send_chat(communicator, order.pk, "about the fee")
    assert (await receive(communicator))["type"] == "chat.message"
    await cancel(days_ago=settings.MEIJIA["CHAT_OPEN_DAYS_AFTER_CLOSE"] + 1)
    await send_chat(communicator, order.pk, "too late")
    assert (await receive(communicator))["code"] == "chat_closed"
    # Still readable, from a fresh socket (a socket never repeats what it already delivered).
    reader = await connected(order.worker.user)
    await reader.send_json_to({"type": "resync", "order": order.pk, "after": 0})
    assert (await receive(reader))["body"] == "about the fee"
    assert (await receive(reader))["type"] == "resync.done"
    await close_all(communicator, reader)
