"""In-process checks of the handshake rules (the same ones test_socket_server.py meets through
real daphne): the Origin by scheme, host and port behind a trusted proxy, and sockets per
account across consumers."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from backend.asgi import application
from notifications.auth import origin_is_allowed
from tests import factories
from tests.notifications.sockets import expect_close, session_cookie, token_socket

pytestmark = pytest.mark.security


def scope(origin: str | None, host: str | None, scheme: str = "ws") -> dict:
    headers = [(b"origin", origin.encode())] if origin else []
    if host:
        headers.append((b"host", host.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws", True),
        ("https://127.0.0.1:8000", "127.0.0.1:8000", "ws", False),
        ("http://127.0.0.1:8001", "127.0.0.1:8000", "ws", False),
        ("http://127.0.0.1", "127.0.0.1:8000", "ws", False),
        ("https://localhost", "localhost", "wss", True),
        ("https://localhost:443", "localhost", "wss", True),  # the default port written out
        ("http://localhost", "localhost", "wss", False),
        ("http://evil.example", "evil.example", "ws", False),  # not one of ALLOWED_HOSTS
        ("http://127.0.0.1", None, "ws", False),  # no Host: nothing to compare with
        ("null", "127.0.0.1", "ws", False),
        ("ftp://127.0.0.1", "127.0.0.1", "ws", False),
    ],
)
def test_the_origin_is_compared_by_scheme_host_and_port(origin, host, scheme, allowed):
    assert origin_is_allowed(scope(origin, host, scheme)) is allowed


def test_trusted_origins_match_exactly(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.meijia.example"]
    assert origin_is_allowed(scope("https://app.meijia.example", "10.0.0.1:8101"))
    assert origin_is_allowed(scope("https://app.meijia.example:443", None))
    assert not origin_is_allowed(scope("http://app.meijia.example", None))
    assert not origin_is_allowed(scope("https://app.meijia.example:8443", None))


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_behind_a_trusted_proxy_the_forwarded_scheme_decides(settings):
    """nginx ends TLS: the page is https://host, the socket reaches daphne as ws://."""
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = ["127.0.0.1"], 1
    user = await database_sync_to_async(lambda: factories.HouseholdFactory().user)()
    cookie = (b"cookie", f"sessionid={await session_cookie(user)}".encode())

    async def opens(peer: str, proto: bytes, origin: bytes) -> bool:
        headers = [cookie, (b"origin", origin), (b"host", b"localhost")]
        headers.append((b"x-forwarded-proto", proto))
        socket = WebsocketCommunicator(application, "/ws/", headers=headers)
        socket.scope["client"] = (peer, 40000)
        connected, _ = await socket.connect()
        await socket.send_json_to({"type": "ping"})
        output = await socket.receive_output(timeout=2)
        await socket.disconnect()
        return connected and output["type"] == "websocket.send"

    assert await opens("127.0.0.1", b"https", b"https://localhost")
    # The same header from anyone else is not believed: the socket is plain ws.
    assert not await opens("10.0.0.5", b"https", b"https://localhost")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_sockets_per_account_are_capped_and_given_back(settings):
    settings.SOCKETS_PER_USER = 3
    user = await database_sync_to_async(lambda: factories.HouseholdFactory().user)()
    open_ones = [token_socket(user) for _ in range(3)]
    for socket in open_ones:
        assert (await socket.connect())[0]
    refused = token_socket(user)
    output = await expect_close(refused, code=4429)
    assert output["reason"] == "too_many_sockets"
    await refused.disconnect()
    await open_ones.pop().disconnect()
    again = token_socket(user)
    assert (await again.connect())[0]
    await again.send_json_to({"type": "ping"})
    assert (await again.receive_json_from(timeout=2))["type"] == "pong"
    for socket in [*open_ones, again]:
        await socket.disconnect()
