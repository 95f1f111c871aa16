"""CPU per request of the polled API endpoints and the main writes, against two baselines in the
same run: a bare Django JsonResponse view (/bench/bare/) and a bare DRF view behind simplejwt's
JWT authentication (/bench/bare-drf/, one user query).

    .venv/bin/python bench/bench_api.py [--calls 500] [--rounds 3] [--write-calls 100]
        [--database meijia_bench_api] [--reuse] [--json FILE]

Production settings (bench/settings_api.py) on PostgreSQL (a throw-away database of its own,
dropped and rebuilt with `migrate` and `seed_demo` unless --reuse) and Redis (REDIS_URL, default
db 11), persistent database connections as deployed. Every call goes through Django's WSGI
handler with the whole middleware stack, in this process, one after the other. Per endpoint:

  cpu ms     this process's CPU time per call (median of the rounds)
  × drf      that against the bare DRF+JWT view
  queries    SQL statements of one call
  pg cpu ms  CPU time of this connection's PostgreSQL backend per call (/proc/<pid>/stat of the
             backend, same rounds; needs the server on this machine)
  pg ms      EXPLAIN ANALYZE planning + execution time of one call's SELECTs, summed

Loopback only; numbers are for ratios on one machine, never a CI gate.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
REQUEST_BODY = {
    "category": "housekeeper",
    "division": "371581001000",
    "address": "临清市青年路街道幸福小区3号楼2单元",
    "latitude": 36.8494,
    "longitude": 115.7061,
    "budget": 15000,
    "description": "压测需求",
}


def bench_environment(database: str, redis_url: str) -> dict:
    return {
        "DATABASE_URL": f"{PG_SERVER}/{database}",
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": f"bench-api-{database}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DB_CONN_MAX_AGE": "600",
        "BENCH_BARE_VIEW": "1",
        "JWT_ACCESS_MINUTES": "120",
        "AXES_ENABLED": "0",
    }


def build_database(database: str, env: dict) -> None:
    """Drop and recreate `database`, migrate it and seed the demo county (non-production
    settings: seed_demo refuses production)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [database],
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
    seed_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "backend.settings.base"}
    for command in (["migrate", "-v0"], ["seed_demo", "--no-progress"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command], cwd=ROOT, env=seed_env, check=True
        )


class Driver:
    """Calls the WSGI application directly: the whole middleware stack, no test client."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def call(self, method: str, path: str, token: str | None = None, body: dict | None = None):
        raw = json.dumps(body).encode() if body is not None else b""
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(raw),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(raw)),
            "CONTENT_TYPE": "application/json",
        }
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        status: list[str] = []
        result = self.handler(environ, lambda s, headers, exc_info=None: status.append(s))
        try:
            content = b"".join(result)
        finally:
            result.close()
        return int(status[0].split()[0]), content


def backend_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def explain_ms(statements: list[str]) -> float:
    """Planning + execution time of the SELECTs, each run once more under EXPLAIN ANALYZE."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Planning Time"] + plan[0]["Execution Time"]
    return total


def actors(driver: Driver) -> dict:
    """The demo's busiest worker and household, a live order of theirs with a chat of 30
    messages, and an access token for each from the product's own token endpoint."""
    from django.conf import settings
    from django.db.models import Count

    from chat.models import ChatMessage
    from chat.services import chat_message_send
    from orders.models import Offer, Order
    from orders.statuses import ACTIVE_ORDER_STATUSES

    worker_user = (
        Offer.objects.values("worker__user")
        .annotate(n=Count("id"))
        .order_by("-n", "worker__user")
        .first()["worker__user"]
    )
    order = (
        Order.objects.filter(status__in=ACTIVE_ORDER_STATUSES)
        .annotate(n=Count("household__household_orders"))
        .order_by("-n", "-pk")
        .select_related("household", "worker__user")
        .first()
    )
    from marketplace.models import User

    worker = User.objects.get(pk=worker_user)
    for number in range(30 - ChatMessage.objects.filter(order=order).count()):
        chat_message_send(
            order_id=order.pk, sender=order.household, body=f"消息 {number}", client_id=None
        )
    password = settings.MEIJIA["DEMO_PASSWORD"]

    def token(user) -> str:
        status, content = driver.call(
            "POST", "/api/v1/auth/token/", body={"username": user.username, "password": password}
        )
        assert status == 200, (status, content[:300])
        return json.loads(content)["access"]

    return {
        "order": order.pk,
        "worker": token(worker),
        "household": token(order.household),
        "order_worker": token(order.worker.user),
    }


def endpoints(who: dict) -> list[tuple[str, str, str, str, object, int]]:
    """(label, kind, method, path, token, expected status) — body made per call for writes."""
    order = who["order"]
    return [
        ("bare Django JsonResponse", "base", "GET", "/bench/bare/", None, 200),
        ("bare DRF + JWT", "base", "GET", "/bench/bare-drf/", who["worker"], 200),
        ("GET offers/ (worker)", "read", "GET", "/api/v1/offers/", who["worker"], 200),
        ("GET orders/ (household)", "read", "GET", "/api/v1/orders/", who["household"], 200),
        ("GET orders/ (worker)", "read", "GET", "/api/v1/orders/", who["order_worker"], 200),
        ("GET orders/{id}/", "read", "GET", f"/api/v1/orders/{order}/", who["household"], 200),
        ("GET requests/ (household)", "read", "GET", "/api/v1/requests/", who["household"], 200),
        (
            "GET orders/{id}/messages/",
            "read",
            "GET",
            f"/api/v1/orders/{order}/messages/?after=0",
            who["household"],
            200,
        ),
        ("GET notifications/", "read", "GET", "/api/v1/notifications/", who["household"], 200),
        ("GET me/ (worker)", "read", "GET", "/api/v1/me/", who["worker"], 200),
        (
            "POST orders/{id}/messages/",
            "write",
            "POST",
            f"/api/v1/orders/{order}/messages/",
            who["household"],
            201,
        ),
        (
            "POST requests/ (+ offer wave)",
            "write",
            "POST",
            "/api/v1/requests/",
            who["household"],
            201,
        ),
    ]


def body_for(path: str, number: int) -> dict | None:
    if path.endswith("/messages/"):
        return {"body": f"到了吗？{number}", "client_id": secrets.token_hex(8)}
    if path == "/api/v1/requests/":
        start = time.time() + 86400 * (3 + number % 200) + 3600 * (number % 7)
        fmt = "%Y-%m-%dT%H:00:00+08:00"
        return {
            **REQUEST_BODY,
            "starts_at": time.strftime(fmt, time.localtime(start)),
            "ends_at": time.strftime(fmt, time.localtime(start + 3 * 3600)),
        }
    return None


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def measure(driver: Driver, row, calls: int, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    label, kind, method, path, token, expected = row
    counter = [0]

    def one():
        counter[0] += 1
        status, content = driver.call(method, path, token, body_for(path, counter[0]))
        if status != expected:
            raise SystemExit(f"{label}: {status} {content[:400]!r}")

    for _ in range(min(20, calls)):  # warm-up (and the offers' first "seen" write)
        one()
    with CaptureQueriesContext(connection) as captured:
        one()
    statements = [q["sql"] for q in captured.captured_queries]
    cpu, pg = [], []
    while len(cpu) < rounds:
        pid = backend_pid()
        pg_before, cpu_before = backend_cpu_seconds(pid), time.process_time()
        for _ in range(calls):
            one()
        cpu_ms = (time.process_time() - cpu_before) * 1000 / calls
        if backend_pid() != pid:  # the connection was replaced: this round's PostgreSQL is lost
            print(f"  {label}: connection replaced, round repeated", file=sys.stderr)
            continue
        cpu.append(cpu_ms)
        pg.append((backend_cpu_seconds(pid) - pg_before) * 1000 / calls)
    print(f"  {label}: {statistics.median(cpu):.2f} ms", file=sys.stderr)
    return {
        "label": label,
        "kind": kind,
        "cpu_ms": statistics.median(cpu),
        "queries": len(statements),
        "pg_cpu_ms": statistics.median(pg),
        "pg_explain_ms": explain_ms(statements),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write-calls", type=int, default=100)
    parser.add_argument("--database", default="meijia_bench_api")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument("--only", help="substring of the endpoint labels to run (baselines too)")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()

    env = bench_environment(args.database, args.redis)
    if not args.reuse:
        build_database(args.database, env)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_api"
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cache.clear()
    driver = Driver()
    who = actors(driver)

    print(
        f"bench_api: {args.calls} calls × {args.rounds} rounds (writes {args.write_calls}), "
        f"production settings, PostgreSQL {urlsplit(env['DATABASE_URL']).path[1:]} + Redis, "
        f"load {os.getloadavg()[0]:.2f}\n"
    )
    rows = []
    for row in endpoints(who):
        if args.only and row[1] != "base" and args.only not in row[0]:
            continue
        calls = args.write_calls if row[1] == "write" else args.calls
        rows.append(measure(driver, row, calls, args.rounds))
    drf = next(r for r in rows if r["label"] == "bare DRF + JWT")["cpu_ms"]
    print(
        f"| {'endpoint':<30} | cpu ms | × drf | queries | pg cpu ms | pg ms |\n"
        f"| {'-' * 30} | ------ | ----- | ------- | --------- | ----- |"
    )
    for r in rows:
        r["ratio"] = r["cpu_ms"] / drf
        print(
            f"| {r['label']:<30} | {r['cpu_ms']:6.2f} | {r['ratio']:5.2f} | {r['queries']:7d} "
            f"| {r['pg_cpu_ms']:9.2f} | {r['pg_explain_ms']:5.2f} |"
        )
    print(f"\nload after: {os.getloadavg()[0]:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
