"""Socket scale on one daphne process with the Redis channel layer: how many concurrent
authenticated WebSocket connections it holds (ramped in steps up to --max, with the process's
memory per connection and the failures), and how long an order update takes to reach 100
connected parties (p50/p95), pushed the way the services push (notifications.events
.push_to_users: one batch through the publisher, from a thread of an ASGI loop and from a plain
worker thread as under gunicorn). Baselines in the same run: the same delivery with 1 party,
and the old way (one async_to_sync(group_send) per recipient from a worker thread).

    .venv/bin/python bench/bench_socket_scale.py [--max 2000] [--step 500] [--parties 100]
    .venv/bin/python bench/bench_socket_scale.py --smoke      # 100 sockets, 10 parties

PostgreSQL at DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/meijia_f) and Redis at
REDIS_URL (default redis://127.0.0.1:6379/15); production settings; loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PREFIX = f"meijia-scale-{uuid.uuid4().hex[:6]}"
ENV = {
    **os.environ,
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/meijia_f"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    "DJANGO_SETTINGS_MODULE": "backend.settings.production",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "CHANNEL_PREFIX": PREFIX,
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def users_with_tokens(count: int) -> list[tuple[int, str]]:
    import django

    django.setup()
    from rest_framework_simplejwt.tokens import RefreshToken

    from marketplace.models import Role, User

    tag = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        [
            User(username=f"scale-{tag}-{n}", role=Role.HOUSEHOLD, display_name=f"压测{n}")
            for n in range(count)
        ]
    )
    return [(user.pk, str(RefreshToken.for_user(user).access_token)) for user in users]


async def connect(port: int, token: str, timeout: float = 20):
    import websockets

    socket_ = await asyncio.wait_for(
        websockets.connect(
            f"ws://127.0.0.1:{port}/ws/?token={token}",
            origin="http://127.0.0.1",
            open_timeout=timeout,
            ping_interval=None,
            max_queue=None,
        ),
        timeout,
    )
    return socket_


async def hold(port: int, pid: int, tokens: list[str], maximum: int, step: int) -> list[dict]:
    """Open sockets in steps; after each step check that every socket is still open."""
    sockets, rows, failures = [], [], 0
    base = rss_mb(pid)
    rows.append({"open": 0, "rss_mb": round(base, 1), "failures": 0, "seconds": 0.0})
    while len(sockets) < maximum:
        started = time.perf_counter()
        batch = [tokens[(len(sockets) + n) % len(tokens)] for n in range(step)]
        results = []
        for chunk in range(0, len(batch), 100):  # 100 handshakes in flight at a time
            results += await asyncio.gather(
                *(connect(port, token) for token in batch[chunk : chunk + 100]),
                return_exceptions=True,
            )
        failures += sum(isinstance(r, BaseException) for r in results)
        sockets += [r for r in results if not isinstance(r, BaseException)]
        await asyncio.sleep(1.0)
        alive = [s for s in sockets if s.close_code is None]
        failures += len(sockets) - len(alive)
        sockets = alive
        rows.append(
            {
                "open": len(sockets),
                "rss_mb": round(rss_mb(pid), 1),
                "failures": failures,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
        if failures > step:  # the process stopped accepting
            break
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    return rows


def push_one_by_one(user_ids: list[int], frame: dict) -> None:
    """The way pushes went before the publisher: one async_to_sync(group_send) per recipient
    (from a worker thread: a new event loop, and a new Redis connection, each)."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from notifications.events import user_group

    layer = get_channel_layer()
    for user_id in sorted(set(user_ids)):
        async_to_sync(layer.group_send)(user_group(user_id), {"type": "push.frame", "frame": frame})


def push_from_worker_thread(user_ids: list[int], frame: dict) -> None:
    """push_to_users as a gunicorn worker calls it, waiting until the publisher sent it."""
    from notifications import publisher
    from notifications.events import push_to_users

    push_to_users(user_ids, frame)
    publisher.flush(10)


async def delivery(
    port: int, parties: list[tuple[int, str]], rounds: int, how: str = "server"
) -> list[float]:
    """Milliseconds from the push to each party's socket receiving the frame. `how`: "server"
    (push_to_users from a thread of an ASGI loop), "worker" (from a plain thread: the
    background publisher), "one-by-one" (the old per-recipient async_to_sync, plain thread)."""
    from asgiref.sync import sync_to_async

    from notifications.events import push_to_users

    push = {
        "server": sync_to_async(push_to_users),
        "worker": lambda *a: asyncio.to_thread(push_from_worker_thread, *a),
        "one-by-one": lambda *a: asyncio.to_thread(push_one_by_one, *a),
    }[how]

    sockets = [await connect(port, token) for _, token in parties]
    for s in sockets:  # the consumer joins its group after accept; a resync proves it is ready
        await s.send(json.dumps({"type": "ping"}))
        await asyncio.wait_for(s.recv(), 10)
    latencies: list[float] = []

    async def receive(s, marker):
        while True:
            frame = json.loads(await asyncio.wait_for(s.recv(), 10))
            if frame.get("type") == "order.updated" and frame.get("marker") == marker:
                return time.perf_counter()

    for _ in range(rounds):
        marker = uuid.uuid4().hex
        waiting = [asyncio.create_task(receive(s, marker)) for s in sockets]
        await asyncio.sleep(0.05)
        sent = time.perf_counter()
        await push(
            [user_id for user_id, _ in parties],
            {"type": "order.updated", "order": 0, "status": "confirmed", "marker": marker},
        )
        arrived = await asyncio.gather(*waiting)
        latencies += [(moment - sent) * 1000 for moment in arrived]
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    return latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=2000)
    parser.add_argument("--step", type=int, default=500)
    parser.add_argument("--parties", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.max, args.step, args.parties, args.rounds = 100, 50, 10, 3
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.max * 2 + 512)), hard))

    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    people = users_with_tokens(max(args.parties, 50))
    port = free_port()
    daphne = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "backend.asgi:application",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.3).close()
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"bench_socket_scale: one daphne process (pid {daphne.pid}), Redis pub/sub layer, "
            f"{os.cpu_count()} cores (shared)\n"
        )
        tokens = [token for _, token in people]
        rows = asyncio.run(hold(port, daphne.pid, tokens, args.max, args.step))
        print(f"{'open sockets':>13}{'RSS MB':>9}{'failures':>10}{'step s':>8}")
        for row in rows:
            print(
                f"{row['open']:>13}{row['rss_mb']:>9.1f}{row['failures']:>10}{row['seconds']:>8.1f}"
            )
        top = max(rows, key=lambda r: r["open"])
        if top["open"]:
            per = (top["rss_mb"] - rows[0]["rss_mb"]) * 1024 / top["open"]
            print(
                f"memory per connection: {per:.1f} KB ({top['open']} held, "
                f"{top['failures']} failed)\n"
            )

        one = asyncio.run(delivery(port, people[:1], args.rounds))
        many = asyncio.run(delivery(port, people[: args.parties], args.rounds))
        worker = asyncio.run(delivery(port, people[: args.parties], args.rounds, "worker"))
        old = asyncio.run(delivery(port, people[: args.parties], args.rounds, "one-by-one"))
        print(f"order update delivery (push → socket), {args.rounds} rounds:")
        rows = (
            (f"{args.parties} parties", many),
            (f"{args.parties}, worker thread", worker),
            (f"{args.parties}, one by one", old),
            ("1 party (baseline)", one),
        )
        for label, values in rows:
            print(
                f"  {label:<20} p50 {statistics.median(values):7.1f} ms   "
                f"p95 {percentile(values, 0.95):7.1f} ms   max {max(values):7.1f} ms"
            )
        print(
            f"  ratio p95 {args.parties}/1: "
            f"{percentile(many, 0.95) / max(percentile(one, 0.95), 0.01):.1f}×; "
            f"one by one / worker thread: "
            f"{percentile(old, 0.95) / max(percentile(worker, 0.95), 0.01):.1f}×"
        )
    finally:
        daphne.terminate()
        daphne.wait(10)


if __name__ == "__main__":
    main()
