"""Soak: 1,000 messages while the receiver is cut off every ~50 → 0 lost, 0 shown twice.

In-process (WebsocketCommunicator on the real ASGI app, in-memory layer), bounded in count
and time. The sender runs concurrently, so reconnects race live deliveries.
"""

import asyncio
import time

import pytest
from channels.db import database_sync_to_async

from chat.models import ChatMessage
from tests import factories
from tests.notifications.sockets import connected, receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TOTAL = 1000
CUT_EVERY = 50
TIME_LIMIT = 60


async def test_thousand_messages_with_forced_disconnects_lose_and_repeat_nothing(settings):
    settings.MEIJIA = {
        **settings.MEIJIA,
        "SOCKET_CHAT_RATE": 100_000,
        "SOCKET_CHAT_BURST": 100_000,
        "SOCKET_FRAME_RATE": 100_000,
        "SOCKET_FRAME_BURST": 100_000,
    }
    order = await database_sync_to_async(factories.OrderFactory)()
    sender = await connected(order.household)
    sent_ids: list[int] = []
    started = time.monotonic()

    async def send_all():
        for n in range(TOTAL):
            await sender.send_json_to(
                {"type": "chat.send", "order": order.pk, "body": f"m{n}", "client_id": f"s{n}"}
            )
            while True:  # the sender's own copy: the message is stored and pushed
                frame = await receive(sender, timeout=10)
                if frame["type"] == "chat.message":
                    sent_ids.append(frame["id"])
                    break

    sending = asyncio.create_task(send_all())
    shown: list[int] = []  # every chat.message frame the receiver ever got, in arrival order
    last_id, reconnects = 0, 0
    receiver = await connected(order.worker.user)
    # A client resyncs after every connect, the first included: the Redis pub/sub layer is
    # at-most-once and may miss what is published while its subscription is being set up.
    await receiver.send_json_to({"type": "resync", "order": order.pk, "after": 0})
    since_cut = 0
    try:
        while not (sending.done() and len(sent_ids) == TOTAL and last_id >= sent_ids[-1]):
            assert time.monotonic() - started < TIME_LIMIT, "soak took too long"
            # (a receive that times out cancels the communicator's app; peek instead)
            if await receiver.receive_nothing(timeout=0.2, interval=0.005):
                continue
            frame = await receive(receiver)
            if frame["type"] == "chat.message":
                shown.append(frame["id"])
                last_id = max(last_id, frame["id"])
                since_cut += 1
            if since_cut >= CUT_EVERY:
                await receiver.disconnect()  # cut off mid-stream: frames in flight are lost
                reconnects += 1
                receiver = await connected(order.worker.user)
                await receiver.send_json_to({"type": "resync", "order": order.pk, "after": last_id})
                since_cut = 0
        await sending
    finally:
        await receiver.disconnect()
        await sender.disconnect()
        if not sending.done():
            sending.cancel()

    stored = await database_sync_to_async(
        lambda: list(ChatMessage.objects.filter(order=order).values_list("id", flat=True))
    )()
    assert len(stored) == TOTAL
    assert sorted(sent_ids) == stored
    assert len(shown) == len(set(shown)), "a message was shown twice"
    assert sorted(shown) == stored, "a message was lost"
    assert reconnects >= TOTAL // CUT_EVERY - 2
