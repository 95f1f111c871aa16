"""Helpers and fixtures that drive the real ASGI application through WebsocketCommunicator
(shared by the notifications and chat socket tests; their conftest.py files use the fixtures)."""

import asyncio
import itertools

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from backend.asgi import application
from tests import factories

GOOD_ORIGIN = (b"origin", b"http://127.0.0.1")
_client_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    # Layers hold queues bound to one event loop; each async test runs on its own loop.
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def agency_order():
    """An order with a household, a worker and one agency staff member (plus a stranger)."""
    staff = factories.AgencyStaffFactory()
    order = factories.OrderFactory(agency=staff.agency)
    return order, staff.user


def access_token(user) -> str:
    return str(AccessToken.for_user(user))


def token_socket(user, *, token: str | None = None) -> WebsocketCommunicator:
    """A socket authenticated the preferred way: the token in Sec-WebSocket-Protocol."""
    return WebsocketCommunicator(
        application, "/ws/", subprotocols=["meijia.jwt", token or access_token(user)]
    )


@database_sync_to_async
def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def cookie_socket(user, *, origin: bytes | None = b"http://127.0.0.1"):
    headers = [(b"cookie", f"sessionid={await session_cookie(user)}".encode())]
    if origin is not None:
        headers.append((b"origin", origin))
    headers.append((b"host", b"127.0.0.1"))  # browsers always send it
    return WebsocketCommunicator(application, "/ws/", headers=headers)


async def connected(user) -> WebsocketCommunicator:
    communicator = token_socket(user)
    is_open, subprotocol = await communicator.connect()
    assert is_open and subprotocol == "meijia.jwt"
    return communicator


async def expect_close(communicator: WebsocketCommunicator, code: int = 4401) -> dict:
    """The server accepted and then closed with `code` (how browsers get to see the code)."""
    is_open, _ = await communicator.connect()
    assert is_open
    output = await communicator.receive_output(timeout=2)
    assert output["type"] == "websocket.close"
    assert output["code"] == code
    return output


async def receive(communicator, timeout: float = 2) -> dict:
    return await communicator.receive_json_from(timeout=timeout)


async def receive_type(communicator, frame_type: str, timeout: float = 2) -> dict:
    """The next frame of `frame_type`, skipping others."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        frame = await communicator.receive_json_from(timeout=max(left, 0.01))
        if frame["type"] == frame_type:
            return frame


def next_client_id() -> str:
    return f"c-{next(_client_ids)}"


async def send_chat(communicator, order_id: int, body: str, client_id: str | None = None) -> str:
    client_id = client_id or next_client_id()
    await communicator.send_json_to(
        {"type": "chat.send", "order": order_id, "body": body, "client_id": client_id}
    )
    return client_id


async def close_all(*communicators) -> None:
    for communicator in communicators:
        await communicator.disconnect()
