"""Signing out ends the session everywhere: its access tokens at once (not after their 15
minutes), its open sockets (token and session-cookie ones), and nothing of the user's other
sessions. A password change or a deactivation ends every token at once, although the API
serves users from a cached snapshot."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from backend.asgi import application
from tests import factories
from tests.factories import PASSWORD
from tests.notifications.sockets import GOOD_ORIGIN, receive

pytestmark = [pytest.mark.django_db(transaction=True)]

TOKEN, REFRESH, LOGOUT, ME = (
    "/api/v1/auth/token/",
    "/api/v1/auth/token/refresh/",
    "/api/v1/auth/logout/",
    "/api/v1/me/",
)


def sign_in(user) -> dict:
    """A session of its own: tokens from the sign-in endpoint (with their session id)."""
    response = Client().post(
        TOKEN, {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def me(access: str):
    return Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")


def log_out(refresh: str):
    return Client().post(LOGOUT, {"refresh": refresh}, content_type="application/json")


@pytest.fixture
def user():
    return factories.HouseholdFactory().user


def test_logout_ends_that_sessions_access_token_at_once(user):
    first, second = sign_in(user), sign_in(user)
    assert me(first["access"]).status_code == 200  # now in the auth cache
    assert log_out(first["refresh"]).status_code == 204
    refused = me(first["access"])
    assert refused.status_code == 401
    assert refused.json()["code"] == "signed_out"
    assert me(second["access"]).status_code == 200  # another session of hers is untouched


def test_logout_after_rotation_ends_the_rotated_sessions_tokens(user):
    tokens = sign_in(user)
    rotated = (
        Client()
        .post(REFRESH, {"refresh": tokens["refresh"]}, content_type="application/json")
        .json()
    )
    assert me(rotated["access"]).status_code == 200
    assert log_out(rotated["refresh"]).status_code == 204
    for access in (tokens["access"], rotated["access"]):
        assert me(access).json()["code"] == "signed_out"


def test_password_change_and_deactivation_end_tokens_at_once(user):
    tokens = sign_in(user)
    assert me(tokens["access"]).status_code == 200
    user.set_password("Another-Pass-2025")
    user.save()
    assert me(tokens["access"]).json()["code"] == "password_changed"

    fresh = (
        Client()
        .post(
            TOKEN,
            {"username": user.username, "password": "Another-Pass-2025"},
            content_type="application/json",
        )
        .json()
    )
    assert me(fresh["access"]).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert me(fresh["access"]).status_code == 401


def test_a_profile_added_later_is_seen_by_the_worker_permission():
    worker_user = factories.UserFactory(role="worker")
    access = sign_in(worker_user)["access"]
    offers = "/api/v1/offers/"
    assert Client().get(offers, HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 403
    factories.WorkerFactory(user=worker_user)
    assert Client().get(offers, HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 200


# ---- sockets ------------------------------------------------------------------------------------


async def closed_as_signed_out(communicator) -> None:
    frame = await receive(communicator)
    assert frame["type"] == "error" and frame["code"] == "signed_out"
    output = await communicator.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": 4401, "reason": "signed_out"}


async def open_socket(access: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/", subprotocols=["meijia.jwt", access])
    is_open, _ = await communicator.connect()
    assert is_open
    return communicator


async def still_open(communicator) -> None:
    await communicator.send_json_to({"type": "ping"})
    assert await receive(communicator) == {"type": "pong"}


@pytest.mark.asyncio
async def test_api_logout_closes_that_sessions_sockets_only():
    user = await database_sync_to_async(factories.HouseholdFactory)()
    first = await database_sync_to_async(sign_in)(user.user)
    second = await database_sync_to_async(sign_in)(user.user)
    signed_out, other = await open_socket(first["access"]), await open_socket(second["access"])
    await still_open(signed_out)
    response = await database_sync_to_async(log_out)(first["refresh"])
    assert response.status_code == 204
    await closed_as_signed_out(signed_out)
    await still_open(other)
    await other.disconnect()

    again = WebsocketCommunicator(application, "/ws/", subprotocols=["meijia.jwt", first["access"]])
    is_open, _ = await again.connect()
    assert is_open
    output = await again.receive_output(timeout=2)
    assert output["type"] == "websocket.close" and output["code"] == 4401
    assert output["reason"] == "invalid_token"


@pytest.mark.asyncio
async def test_web_sign_out_closes_the_sockets_of_that_browser_session():
    user = (await database_sync_to_async(factories.HouseholdFactory)()).user
    browser, other_browser = Client(), Client()
    await database_sync_to_async(browser.force_login)(user)
    await database_sync_to_async(other_browser.force_login)(user)

    async def cookie_socket(client) -> WebsocketCommunicator:
        cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
        communicator = WebsocketCommunicator(
            application, "/ws/", headers=[(b"cookie", cookie), GOOD_ORIGIN, (b"host", b"127.0.0.1")]
        )
        is_open, _ = await communicator.connect()
        assert is_open
        await still_open(communicator)
        return communicator

    signed_out, other = await cookie_socket(browser), await cookie_socket(other_browser)
    response = await database_sync_to_async(browser.post)("/accounts/logout/")
    assert response.status_code == 302
    await closed_as_signed_out(signed_out)
    await still_open(other)
    await other.disconnect()
