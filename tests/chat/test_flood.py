"""Flood control: a client sending too fast is refused with rate_limited; others still flow."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from chat.models import ChatMessage
from tests import factories
from tests.notifications.sockets import close_all, connected, receive, send_chat

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def tight_limits(settings):
    settings.MEIJIA = {
        **settings.MEIJIA,
        "SOCKET_CHAT_RATE": 5,
        "SOCKET_CHAT_BURST": 5,
        "SOCKET_FRAME_RATE": 50,
        "SOCKET_FRAME_BURST": 100,
    }


@pytest.fixture
def slow_refill(settings):
    """A burst of 5 that refills one message every 2 s: six sends in a row refuse the sixth
    however slowly a loaded machine stores the first five."""
    settings.MEIJIA = {
        **settings.MEIJIA,
        "SOCKET_CHAT_RATE": 0.5,
        "SOCKET_CHAT_BURST": 5,
        "SOCKET_FRAME_RATE": 50,
        "SOCKET_FRAME_BURST": 100,
    }


@database_sync_to_async
def two_orders():
    return factories.OrderFactory(), factories.OrderFactory()


async def test_flooder_is_refused_and_a_normal_client_still_gets_through(tight_limits):
    flood_order, calm_order = await two_orders()
    flooder = await connected(flood_order.household)
    calm, calm_partner = (
        await connected(calm_order.household),
        await connected(calm_order.worker.user),
    )
    started = asyncio.get_running_loop().time()
    for n in range(60):
        await send_chat(flooder, flood_order.pk, f"spam {n}")
    calm_ids = [await send_chat(calm, calm_order.pk, f"calm {n}") for n in range(3)]

    received = [await receive(calm_partner, timeout=5) for _ in calm_ids]
    assert [f["client_id"] for f in received] == calm_ids

    frames = [await receive(flooder, timeout=5) for _ in range(60)]
    elapsed = asyncio.get_running_loop().time() - started
    limited = [f for f in frames if f["type"] == "error"]
    delivered = [f for f in frames if f["type"] == "chat.message"]
    assert limited and all(f["code"] == "rate_limited" for f in limited)
    assert all(f["retry_after"] > 0 and f["client_id"].startswith("c-") for f in limited)
    stored = await database_sync_to_async(ChatMessage.objects.filter(order=flood_order).count)()
    assert stored == len(delivered)
    assert stored <= 5 + 5 * elapsed + 1  # burst plus refill, never the whole flood
    await close_all(flooder, calm, calm_partner)


async def test_refused_message_can_be_resent_after_retry_after(slow_refill):
    order, _ = await two_orders()
    communicator = await connected(order.household)
    for n in range(6):
        await send_chat(communicator, order.pk, "x", client_id=f"m{n}")
    frames = [await receive(communicator) for _ in range(6)]
    # (error frames come straight back; stored messages via the layer, possibly later)
    [refused] = [f for f in frames if f["type"] == "error"]
    assert refused["code"] == "rate_limited" and refused["client_id"] == "m5"
    await asyncio.sleep(refused["retry_after"] + 0.05)
    await send_chat(communicator, order.pk, "x", client_id="m5")
    assert (await receive(communicator))["client_id"] == "m5"
    await communicator.disconnect()


async def test_any_frame_flood_is_limited_too(settings):
    settings.MEIJIA = {**settings.MEIJIA, "SOCKET_FRAME_RATE": 5, "SOCKET_FRAME_BURST": 10}
    user = await database_sync_to_async(lambda: factories.HouseholdFactory().user)()
    communicator = await connected(user)
    for _ in range(30):
        await communicator.send_json_to({"type": "ping"})
    frames = [await receive(communicator) for _ in range(30)]
    assert 10 <= sum(f["type"] == "pong" for f in frames) < 30
    assert {f["code"] for f in frames if f["type"] == "error"} == {"rate_limited"}
    await communicator.disconnect()
