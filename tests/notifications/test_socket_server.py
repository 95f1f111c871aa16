"""The socket as a client meets it through real daphne: close reasons in the close frame, the
Origin by scheme, host and port, the per-account socket cap, and frame caps applied before a
frame is read (backend/socket_server.py, whatever daphne's command line says)."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from tests import factories
from tests.notifications.daphne_process import Daphne, rss_bytes
from tests.notifications.sockets import access_token

websockets_client = pytest.importorskip("websockets.asyncio.client")
from websockets.exceptions import ConnectionClosed  # noqa: E402

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
CAP = 65536
MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """daphne with the frame caps switched off on its command line (0 = no limit to daphne):
    the settings' caps must hold anyway. Two sockets per account, to test the cap cheaply."""
    args = ["--websocket-max-frame-size", "0", "--websocket-max-message-size", "0"]
    with Daphne(args, env={"SOCKETS_PER_USER": "2"}) as daphne:
        yield daphne


def connect(server, **kwargs):
    return websockets_client.connect(
        server.url, compression=None, open_timeout=20, max_size=None, **kwargs
    )


async def closed_with(ws, timeout: float = 20) -> tuple[int | None, str]:
    """The close frame's code and reason the server sent (None: dropped without one). Raises
    TimeoutError when the server keeps the socket open."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    except ConnectionClosed as closed:
        frame = closed.rcvd
        return (frame.code, frame.reason) if frame is not None else (None, "")


async def ping(ws) -> None:
    await ws.send(json.dumps({"type": "ping"}))
    while json.loads(await asyncio.wait_for(ws.recv(), 20))["type"] != "pong":
        pass


@database_sync_to_async
def new_user():
    return factories.HouseholdFactory().user


@database_sync_to_async
def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


# ---- close reasons and the Origin ---------------------------------------------------------------


async def test_close_reasons_arrive_in_the_close_frame(server):
    base = f"http://127.0.0.1:{server.port}"
    cookie = await session_cookie(await new_user())
    evil = "https://evil.example"
    cases = [
        ({}, "missing"),
        ({"origin": base}, "missing"),
        ({"additional_headers": {"Cookie": "sessionid=nonsense"}, "origin": base}, "missing"),
        ({"subprotocols": ["meijia.jwt", "garbage"]}, "invalid_token"),
        ({"uri_suffix": "?token=a.b.c"}, "invalid_token"),
        ({"additional_headers": {"Cookie": cookie}, "origin": evil}, "bad_origin"),
        ({"additional_headers": {"Cookie": cookie}}, "bad_origin"),  # no Origin at all
    ]
    for options, reason in cases:
        options = dict(options)
        suffix = options.pop("uri_suffix", "")
        async with websockets_client.connect(
            server.url + suffix, compression=None, open_timeout=20, **options
        ) as ws:
            assert await closed_with(ws) == (4401, reason), options


async def test_the_origin_must_match_scheme_host_and_port(server):
    cookie = {"Cookie": await session_cookie(await new_user())}
    ours = f"http://127.0.0.1:{server.port}"
    async with connect(server, additional_headers=cookie, origin=ours) as ws:
        await ping(ws)
    for foreign in (
        f"https://127.0.0.1:{server.port}",  # another scheme
        f"http://127.0.0.1:{server.port + 1}",  # another port
        "http://127.0.0.1",  # the default port is another port
        f"http://evil.example:{server.port}",  # another host
    ):
        async with connect(server, additional_headers=cookie, origin=foreign) as ws:
            assert await closed_with(ws) == (4401, "bad_origin"), foreign


# ---- sockets per account ------------------------------------------------------------------------


async def test_one_account_holds_at_most_its_sockets_and_the_new_one_is_refused(server):
    user, other = await new_user(), await new_user()
    token = ["meijia.jwt", access_token(user)]
    async with connect(server, subprotocols=token) as first:
        async with connect(server, subprotocols=token) as second:
            await ping(first)
            await ping(second)
            async with connect(server, subprotocols=token) as third:
                assert await closed_with(third) == (4429, "too_many_sockets")
            await ping(first)  # the open ones are left alone
            async with connect(server, subprotocols=["meijia.jwt", access_token(other)]) as ws:
                await ping(ws)  # another account is not affected
        # Closing one gives its slot back.
        await asyncio.sleep(0.5)
        async with connect(server, subprotocols=token) as again:
            await ping(again)


# ---- frame caps ---------------------------------------------------------------------------------


async def oversized(server, token, size: int) -> tuple[int | None, str]:
    async with connect(server, subprotocols=token) as ws:
        try:
            await asyncio.wait_for(ws.send("x" * size), 30)
        except (ConnectionClosed, OSError):
            pass
        return await closed_with(ws)


async def test_an_oversized_frame_is_refused_before_it_is_read(server):
    user = await new_user()
    token = ["meijia.jwt", access_token(user)]
    # Dropped at the frame's header (autobahn fails it by dropping: the client sees 1006).
    assert (await oversized(server, token, CAP + 1))[0] in (1009, None)
    async with connect(server, subprotocols=token) as ws:
        await ws.send(json.dumps({"type": "ping", "pad": "y" * (CAP - 100)}))  # under the cap
        await ping(ws)
    before = rss_bytes(server.pid)
    for _ in range(3):
        code, _reason = await oversized(server, token, 8 * MB)
        assert code in (1009, None)  # closed: 1009, or cut off while still sending
    grown = rss_bytes(server.pid) - before
    assert grown < 8 * MB, f"daphne grew by {grown / MB:.1f} MB for 8 MB frames"
    async with connect(server, subprotocols=token) as ws:
        await ping(ws)  # and it still serves


async def test_the_start_scripts_caps_are_accepted_by_daphne():
    """daphne as scripts/run-dev.sh and deploy/trial.sh start it (the flags exist and hold)."""
    user = await new_user()
    args = ["--websocket-max-frame-size", "65536", "--websocket-max-message-size", "65536"]
    with Daphne(args) as daphne:
        token = ["meijia.jwt", access_token(user)]
        assert (await oversized(daphne, token, CAP + 1))[0] in (1009, None)
        async with connect(daphne, subprotocols=token) as ws:
            await ping(ws)
