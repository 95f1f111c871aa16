"""The caller's address: forwarded headers count only from configured proxies, and the same
rule keys every throttle, the sign-in lock-out, sockets and the request log."""

import itertools
import logging
import uuid

import pytest
from asgiref.sync import async_to_sync
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from backend.client_address import ClientAddressMiddleware, client_address, resolve
from tests import factories

pytestmark = pytest.mark.security
TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"
_spoofs = (f"203.0.113.{n}" for n in itertools.count(1))


def rates(**overrides) -> dict:
    from django.conf import settings

    return {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **overrides,
        },
    }


# ---- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "count", "peer", "forwarded", "real_ip", "expected"),
    [
        # Nothing configured: the headers mean nothing, whoever sends them.
        ([], 0, "10.0.0.9", "1.2.3.4", "5.6.7.8", "10.0.0.9"),
        ([], 0, "127.0.0.1", "1.2.3.4", None, "127.0.0.1"),
        # A trusted list: only a listed peer may forward; the right-most untrusted hop wins.
        (["127.0.0.1"], 0, "10.0.0.9", "1.2.3.4", None, "10.0.0.9"),
        (["127.0.0.1"], 0, "127.0.0.1", "6.6.6.6, 1.2.3.4", None, "1.2.3.4"),
        (
            ["127.0.0.1", "10.1.0.0/16"],
            0,
            "127.0.0.1",
            "6.6.6.6, 1.2.3.4, 10.1.2.3",
            None,
            "1.2.3.4",
        ),
        (["127.0.0.1"], 0, "127.0.0.1", None, "1.2.3.4", "1.2.3.4"),
        (["127.0.0.1"], 0, "127.0.0.1", None, "not-an-address", "127.0.0.1"),
        (["::1"], 0, "::1", "2001:db8::7", None, "2001:db8::7"),
        # A proxy count: that many hops from the right, whatever the caller wrote before them.
        ([], 1, "127.0.0.1", "6.6.6.6, 1.2.3.4", None, "1.2.3.4"),
        ([], 2, "127.0.0.1", "6.6.6.6, 1.2.3.4, 10.1.2.3", None, "1.2.3.4"),
        # Both: the peer must be trusted, then the count decides.
        (["127.0.0.1"], 1, "10.0.0.9", "1.2.3.4", None, "10.0.0.9"),
        (["127.0.0.1"], 1, "127.0.0.1", "6.6.6.6, 127.0.0.5", None, "127.0.0.5"),
        # A hop that is no address was not written by our proxy.
        (["127.0.0.1"], 1, "127.0.0.1", "1.2.3.4, garbage", None, "127.0.0.1"),
    ],
)
def test_forwarded_headers_count_only_from_configured_proxies(
    settings, trusted, count, peer, forwarded, real_ip, expected
):
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = trusted, count
    assert resolve(peer, forwarded, real_ip) == expected


def test_nothing_is_trusted_by_default():
    from backend.settings import base

    assert base.TRUSTED_PROXIES == [] and base.NUM_PROXIES == 0
    assert base.REST_FRAMEWORK["NUM_PROXIES"] is None


def test_request_and_socket_scope_answer_alike(settings):
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = ["127.0.0.1"], 1
    request = APIRequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    assert client_address(request) == "198.51.100.4"
    seen = {}

    async def inner(scope, receive, send):
        seen.update(scope)

    headers = [(b"x-forwarded-for", b"6.6.6.6, 198.51.100.4"), (b"x-forwarded-proto", b"https")]
    for peer, address, scheme in (
        ("127.0.0.1", "198.51.100.4", "wss"),
        ("10.0.0.2", "10.0.0.2", "ws"),
    ):
        scope = {"type": "websocket", "client": (peer, 5000), "headers": headers, "scheme": "ws"}
        async_to_sync(ClientAddressMiddleware(inner))(scope, None, None)
        assert (seen["client"][0], seen["scheme"]) == (address, scheme)


def _api_views():
    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "cls", None) or getattr(
                    entry.callback, "view_class", None
                )
                if isinstance(view, type) and issubclass(view, APIView):
                    yield view

    return set(walk(get_resolver().url_patterns))


def test_every_api_throttle_keys_by_the_rule(settings):
    """Each throttle class any API view uses ignores X-Forwarded-For from an unknown peer."""
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = [], 0
    throttles = {
        throttle for view in _api_views() for throttle in view().get_throttles() if throttle
    }
    assert len({type(t) for t in throttles}) >= 3  # user, anon and the scoped sign-in ones
    for throttle in throttles:
        request = APIRequestFactory().get("/", REMOTE_ADDR="10.7.0.1")
        request.META["HTTP_X_FORWARDED_FOR"] = next(_spoofs)
        assert throttle.get_ident(request) == "10.7.0.1", type(throttle)


# ---- attacks: rotating X-Forwarded-For from an untrusted peer ---------------------------------


def _spoofed(address="10.8.0.1") -> APIClient:
    return APIClient(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=next(_spoofs))


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_lift_the_sign_in_throttle():
    with override_settings(REST_FRAMEWORK=rates(login="3/min")):
        answers = [
            _spoofed().post(TOKEN, {"username": "x", "password": "y"}, format="json").status_code
            for _ in range(5)
        ]
        other = APIClient(REMOTE_ADDR="10.8.0.2").post(
            TOKEN, {"username": "x", "password": "y"}, format="json"
        )
    assert answers[:3] == [401, 401, 401] and answers[3:] == [429, 429]
    assert other.status_code == 401  # per address: another caller is not throttled


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_lift_the_register_throttle():
    with override_settings(REST_FRAMEWORK=rates(register="2/min")):
        answers = [_spoofed().post(REGISTER, {}, format="json").status_code for _ in range(4)]
    assert answers == [400, 400, 429, 429]


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_lift_the_anonymous_throttle():
    with override_settings(REST_FRAMEWORK=rates(anon="2/min")):
        answers = [_spoofed().get("/api/v1/categories/").status_code for _ in range(4)]
    assert answers == [200, 200, 429, 429]


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_lift_the_lock_out(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for number in range(4):
        _spoofed().post(TOKEN, {"username": f"g{number}", "password": "no"}, format="json")
    user = factories.UserFactory(username=f"u{uuid.uuid4().hex[:8]}")
    user.set_password("right-horse-9")
    user.save()
    locked = _spoofed().post(
        TOKEN, {"username": user.username, "password": "right-horse-9"}, format="json"
    )
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    web = Client(REMOTE_ADDR="10.8.0.1", HTTP_X_FORWARDED_FOR=next(_spoofs)).post(
        "/accounts/login/", {"username": user.username, "password": "right-horse-9"}
    )
    assert web.status_code == 429


# ---- from a configured proxy the caller's hop is used ---------------------------------------


@pytest.mark.django_db
def test_behind_a_configured_proxy_each_caller_is_throttled_apart(settings):
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = ["127.0.0.1"], 1

    def via_proxy(caller: str, spoof: str = "6.6.6.6") -> APIClient:
        return APIClient(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{spoof}, {caller}")

    with override_settings(REST_FRAMEWORK=rates(anon="2/min")):
        first = [
            via_proxy("198.51.100.1", next(_spoofs)).get("/api/v1/categories/").status_code
            for _ in range(3)
        ]
        second = via_proxy("198.51.100.2").get("/api/v1/categories/").status_code
    assert first == [200, 200, 429] and second == 200


@pytest.mark.django_db
def test_behind_a_configured_proxy_the_lock_out_and_the_log_see_the_caller(settings, caplog):
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = ["127.0.0.1"], 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    caplog.set_level(logging.INFO, logger="meijia.request")

    def login(caller: str):
        return APIClient(
            REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{next(_spoofs)}, {caller}"
        ).post(TOKEN, {"username": "nobody", "password": "no"}, format="json")

    assert [login("198.51.100.9").status_code for _ in range(4)] == [401, 401, 401, 429]
    assert login("198.51.100.10").status_code == 401  # the proxy itself is not locked
    logged = [r.fields["client_ip"] for r in caplog.records if r.name == "meijia.request"]
    assert logged[-1] == "198.51.100.10" and "127.0.0.1" not in logged
