"""What an operator watches: health and readiness probes, Prometheus metrics, JSON log lines.

Metrics use prometheus_client. Several gunicorn/daphne processes (and the periodic worker) share
one registry through PROMETHEUS_MULTIPROC_DIR: set it to an empty directory, the same for every
process, before they start (deploy/trial.sh does); without it each process counts for itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import os
import time
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "meijia_http_requests_total",
    "HTTP requests answered, by view name, method and status code.",
    ["view", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "meijia_http_request_duration_seconds",
    "Time from the first middleware to the response, by view name, method and status code.",
    ["view", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
WEBSOCKETS_OPEN = Gauge(
    "meijia_websocket_connections",
    "WebSocket connections accepted and not yet closed (summed over live processes).",
    multiprocess_mode="livesum",
)
WEBSOCKETS_ACCEPTED = Counter(
    "meijia_websocket_connections_accepted_total", "WebSocket connections accepted."
)
PERIODIC_RUNS = Counter(
    "meijia_periodic_runs_total", "Passes of run_periodic, by outcome.", ["outcome"]
)
PERIODIC_ITEMS = Counter(
    "meijia_periodic_items_total",
    "Items the periodic work changed, by kind (offers_expired, orders_auto_confirmed, ...).",
    ["kind"],
)
PERIODIC_DURATION = Histogram(
    "meijia_periodic_run_duration_seconds",
    "Duration of one run_periodic pass.",
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0),
)


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    labels = {"view": view, "method": method, "status": str(status)}
    HTTP_REQUESTS.labels(**labels).inc()
    HTTP_LATENCY.labels(**labels).observe(seconds)


def observe_periodic(*, counts: dict[str, int] | None, seconds: float) -> None:
    """Record one periodic pass: `counts` from run_due_work, or None when the pass failed."""
    PERIODIC_RUNS.labels(outcome="ok" if counts is not None else "error").inc()
    PERIODIC_DURATION.observe(seconds)
    for kind, number in (counts or {}).items():
        PERIODIC_ITEMS.labels(kind=kind).inc(number)


def metrics_text() -> bytes:
    """The Prometheus exposition of every process (multiprocess mode) or of this one."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(DEFAULT_REGISTRY)


class WebSocketCountMiddleware:
    """ASGI middleware: counts WebSocket connections from accept to close, whoever closes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        is_open = False

        async def counting_send(message):
            nonlocal is_open
            if message["type"] == "websocket.accept" and not is_open:
                is_open = True
                WEBSOCKETS_OPEN.inc()
                WEBSOCKETS_ACCEPTED.inc()
            elif message["type"] == "websocket.close" and is_open:
                is_open = False
                WEBSOCKETS_OPEN.dec()
            await send(message)

        try:
            return await self.app(scope, receive, counting_send)
        finally:
            if is_open:
                WEBSOCKETS_OPEN.dec()


# ---- probes ---------------------------------------------------------------------------------


def _check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("SELECT 1 returned something else")


async def _channel_round_trip(timeout: float) -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel("readyz.")
    token = os.urandom(8).hex()
    await layer.send(channel, {"type": "readyz.ping", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), timeout)
    if message.get("token") != token:
        raise RuntimeError("the channel layer returned another message")
    await _forget_channel(layer, channel)


async def _forget_channel(layer, channel: str) -> None:
    """Unsubscribe the probe's channel on the Redis pub/sub layer (it unsubscribes only when a
    receive is cancelled); the in-memory layer drops an emptied channel by itself."""
    get_loop_layer = getattr(layer, "_get_layer", None)
    if get_loop_layer is None:
        return
    loop_layer = get_loop_layer()
    if loop_layer.channels.pop(channel, None) is not None:
        await loop_layer._get_shard(channel).unsubscribe(channel)


def _check_channel_layer() -> None:
    async_to_sync(_channel_round_trip)(settings.READINESS_TIMEOUT_SECONDS)


def _check_cache() -> None:
    key = f"readyz:{os.getpid()}"
    value = os.urandom(4).hex()
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")


READINESS_CHECKS = {
    "database": _check_database,
    "channel_layer": _check_channel_layer,
    "cache": _check_cache,
}


def run_checks(names: Iterable[str] | None = None) -> dict[str, dict]:
    results = {}
    for name in names or READINESS_CHECKS:
        started = time.perf_counter()
        try:
            READINESS_CHECKS[name]()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("readiness check %s failed: %r", name, error)
            results[name] = {"ok": False, "error": type(error).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; touches neither the database nor the channel layer."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, channel layer and cache answer; 503 naming each failed check."""
    checks = run_checks()
    failed = [name for name, result in checks.items() if not result["ok"]]
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks},
        status=503 if failed else 200,
    )


def metrics_allowed(request: HttpRequest) -> bool:
    """With METRICS_TOKEN: the bearer token. Without: a direct loopback caller (not proxied)."""
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    is_loopback = request.META.get("REMOTE_ADDR", "") in {"127.0.0.1", "::1"}
    # nginx adds X-Forwarded-For: a proxied request came from elsewhere, even via loopback.
    return is_loopback and "HTTP_X_FORWARDED_FOR" not in request.META


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return JsonResponse({"code": "forbidden", "detail": "metrics are not public"}, status=403)
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


@never_cache
def bench_bare(request: HttpRequest) -> JsonResponse:
    """The benchmarks' baseline: the whole middleware stack, no database, a tiny JSON body."""
    return JsonResponse({"ok": True})


# ---- logs -----------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, plus the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
