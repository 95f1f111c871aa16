"""Operations endpoints: /healthz (no database), /readyz (database, channel layer, cache; 503
naming the failed check), the JSON request log with X-Request-ID, and /metrics."""

import json
import logging

import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.test import Client, override_settings

from backend import observability
from backend.observability import JsonFormatter, WebSocketCountMiddleware, metrics_text
from tests import factories
from tests.conftest import client_for


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any database access here would raise instead of answering.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_database_channel_layer_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "channel_layer",
        "cache",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("failing", ["database", "channel_layer", "cache"])
def test_readyz_is_503_and_names_the_failed_check(client, monkeypatch, failing):
    def broken():
        raise ConnectionError("down")

    monkeypatch.setitem(observability.READINESS_CHECKS, failing, broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == [failing]
    assert body["checks"][failing] == {
        "ok": False,
        "error": "ConnectionError",
        "ms": pytest.approx(0, abs=50),
    }


@pytest.mark.django_db
def test_readyz_channel_layer_round_trip_times_out(client, settings, monkeypatch):
    """A layer that accepts but never delivers is not ready."""
    from channels.layers import InMemoryChannelLayer

    async def never(self, channel):
        import asyncio

        await asyncio.sleep(10)

    monkeypatch.setattr(InMemoryChannelLayer, "receive", never)
    settings.READINESS_TIMEOUT_SECONDS = 0.2
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get("/readyz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["failed"] == ["channel_layer"]


@pytest.mark.django_db
def test_one_json_log_line_per_request_with_request_id_and_user(caplog, household):
    caplog.set_level(logging.INFO, logger="meijia.request")
    api = client_for(household.user)
    response = api.get("/api/v1/me/", HTTP_X_REQUEST_ID="abc-123.def")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc-123.def"
    records = [r for r in caplog.records if r.name == "meijia.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["method"] == "GET" and line["path"] == "/api/v1/me/"
    assert line["status"] == 200 and line["view"] == "me"
    assert line["user_id"] == household.user.pk
    assert line["request_id"] == "abc-123.def"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["logger"] == "meijia.request"


def test_a_request_id_is_made_when_none_or_a_bad_one_is_given(client, caplog):
    caplog.set_level(logging.INFO, logger="meijia.request")
    first = client.get("/healthz")
    second = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert "\n" not in second["X-Request-ID"] and " " not in second["X-Request-ID"]
    fields = [r.fields for r in caplog.records if r.name == "meijia.request"]
    assert [f["user_id"] for f in fields] == [None, None]
    assert [f["request_id"] for f in fields] == [first["X-Request-ID"], second["X-Request-ID"]]


def test_log_lines_are_json_with_exceptions():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("y",), sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed y" and "ValueError: boom" in line["exception"]


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_status(client, household):
    client_for(household.user).get("/api/v1/me/")
    client.get("/api/v1/me/")  # 401
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'meijia_http_requests_total{method="GET",status="200",view="me"}' in text
    assert 'meijia_http_requests_total{method="GET",status="401",view="me"}' in text
    assert (
        'meijia_http_request_duration_seconds_bucket{le="0.005",method="GET",status="200",view="me"}'
        in text
    )
    assert "meijia_websocket_connections" in text


def test_unknown_paths_share_one_label(client):
    client.get("/no-such-page-xyzzy/")
    text = metrics_text().decode()
    # The raw path never becomes a label (a number could also appear inside a timestamp).
    assert 'view="unmatched"' in text and "xyzzy" not in text


def test_metrics_are_loopback_only_without_a_token():
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 403
    # Proxied by nginx: the request arrives from loopback but is not local.
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.get("/metrics").status_code == 403


@override_settings(METRICS_TOKEN="s3cret-scrape-token")
def test_metrics_token_when_set():
    remote = Client(REMOTE_ADDR="10.1.2.3")
    assert remote.get("/metrics").status_code == 403
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403
    ok = remote.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200 and b"meijia_http_requests_total" in ok.content


def _gauge() -> float:
    return observability.WEBSOCKETS_OPEN._value.get()


def test_open_websocket_gauge_follows_accept_and_close():
    sent = []

    async def app(scope, receive, send):
        await send({"type": "websocket.accept"})
        assert _gauge() == start + 1
        await send({"type": "websocket.close", "code": 1000})

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message["type"])

    start = _gauge()
    async_to_sync(WebSocketCountMiddleware(app))({"type": "websocket"}, receive, send)
    assert sent == ["websocket.accept", "websocket.close"]
    assert _gauge() == start


def test_open_websocket_gauge_drops_when_the_client_leaves():
    async def app(scope, receive, send):
        await send({"type": "websocket.accept"})
        raise ConnectionResetError  # the client went away mid-socket

    async def noop(message):
        return None

    start = _gauge()
    with pytest.raises(ConnectionResetError):
        async_to_sync(WebSocketCountMiddleware(app))({"type": "websocket"}, None, noop)
    assert _gauge() == start


@pytest.mark.django_db
def test_periodic_runs_are_counted():
    before = observability.PERIODIC_RUNS.labels(outcome="ok")._value.get()
    call_command("run_periodic", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert observability.PERIODIC_RUNS.labels(outcome="ok")._value.get() == before + 1
    assert "meijia_periodic_items_total" in metrics_text().decode()


def test_bench_bare_view_is_off_by_default(client):
    assert client.get("/bench/bare/").status_code == 404


@pytest.mark.django_db
def test_request_log_uses_the_forwarded_address_behind_the_proxy(caplog, settings):
    caplog.set_level(logging.INFO, logger="meijia.request")
    settings.NUM_PROXIES = 1
    Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").get("/healthz")
    fields = [r.fields for r in caplog.records if r.name == "meijia.request"]
    assert fields[-1]["client_ip"] == "198.51.100.7"


__all__ = ["factories"]
