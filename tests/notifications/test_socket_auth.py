"""Who may open /ws/: a session cookie from our own origin, or an access JWT; nobody else."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from backend.asgi import application
from tests import factories
from tests.notifications.sockets import (
    access_token,
    cookie_socket,
    expect_close,
    receive,
    token_socket,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def ping_pong(communicator) -> None:
    await communicator.send_json_to({"type": "ping"})
    assert await receive(communicator) == {"type": "pong"}


@database_sync_to_async
def new_user(**kwargs):
    return factories.HouseholdFactory(**kwargs).user


async def test_session_cookie_from_our_origin_connects():
    user = await new_user()
    communicator = await cookie_socket(user, origin=b"http://127.0.0.1")
    is_open, _ = await communicator.connect()
    assert is_open
    await ping_pong(communicator)
    await communicator.disconnect()


@pytest.mark.parametrize("origin", [b"https://evil.example", None, b"null"])
async def test_session_cookie_from_another_origin_or_none_is_closed_4401(origin):
    user = await new_user()
    communicator = await cookie_socket(user, origin=origin)
    output = await expect_close(communicator)
    assert output["reason"] == "bad_origin"
    await communicator.disconnect()


async def test_trusted_origin_from_settings_connects(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.meijia.example"]
    user = await new_user()
    communicator = await cookie_socket(user, origin=b"https://app.meijia.example")
    is_open, _ = await communicator.connect()
    assert is_open
    await ping_pong(communicator)
    await communicator.disconnect()


async def test_query_token_connects():
    user = await new_user()
    communicator = WebsocketCommunicator(application, f"/ws/?token={access_token(user)}")
    is_open, subprotocol = await communicator.connect()
    assert is_open and subprotocol is None
    await ping_pong(communicator)
    await communicator.disconnect()


async def test_subprotocol_token_connects_and_echoes_the_subprotocol():
    user = await new_user()
    communicator = token_socket(user)
    is_open, subprotocol = await communicator.connect()
    assert is_open and subprotocol == "meijia.jwt"
    await ping_pong(communicator)
    await communicator.disconnect()


async def test_no_credentials_is_closed_4401():
    communicator = WebsocketCommunicator(
        application, "/ws/", headers=[(b"origin", b"http://127.0.0.1")]
    )
    await expect_close(communicator)
    await communicator.disconnect()


@pytest.mark.parametrize("token", ["garbage", "", "a.b.c"])
async def test_bad_query_token_is_closed_4401(token):
    communicator = WebsocketCommunicator(application, f"/ws/?token={token}")
    output = await expect_close(communicator)
    assert output["reason"] == "invalid_token"
    await communicator.disconnect()


async def test_bad_subprotocol_token_is_closed_4401_after_echoing_the_subprotocol():
    communicator = WebsocketCommunicator(
        application, "/ws/", subprotocols=["meijia.jwt", "not-a-token"]
    )
    is_open, subprotocol = await communicator.connect()
    assert is_open and subprotocol == "meijia.jwt"  # else a browser fails the handshake
    output = await communicator.receive_output(timeout=2)
    assert output["type"] == "websocket.close" and output["code"] == 4401
    await communicator.disconnect()


async def test_refresh_token_expired_token_and_inactive_user_are_refused():
    user = await new_user()
    refresh = await database_sync_to_async(RefreshToken.for_user)(user)
    expired = AccessToken.for_user(user)
    expired.set_exp(lifetime=-timedelta(minutes=1))
    inactive = await new_user(user__is_active=False)
    for token in [str(refresh), str(expired), access_token(inactive)]:
        communicator = token_socket(user, token=token)
        await expect_close(communicator)
        await communicator.disconnect()


async def test_token_expiring_while_connected_gets_error_frame_then_4401():
    user = await new_user()
    token = AccessToken.for_user(user)
    # The exp claim is whole seconds, so a 1 s lifetime can be almost 0 s: leave room for a
    # slow connect, then wait past the expiry.
    token.set_exp(lifetime=timedelta(seconds=3))
    communicator = token_socket(user, token=str(token))
    is_open, _ = await communicator.connect()
    assert is_open
    await ping_pong(communicator)
    frame = await receive(communicator, timeout=6)
    assert frame["type"] == "error" and frame["code"] == "token_expired"
    output = await communicator.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": 4401, "reason": "token_expired"}
    await communicator.disconnect()
