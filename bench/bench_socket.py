"""Socket cost: chat round trip (send → other party receives) p50/p99 on the in-memory and the
Redis channel layer, and chat messages per second through one daphne process with 200 clients;
each next to a bare Channels echo consumer (bench/echo_asgi.py) measured in the same run.

    .venv/bin/python bench/bench_socket.py [--round-trips 300] [--clients 200] [--per-client 5]

Loopback only; a throwaway SQLite file; Redis at $REDIS_URL (default redis://127.0.0.1:6379/5),
skipped if unreachable. Numbers are for comparison on one machine, never a CI gate.
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DAPHNE = Path(sys.executable).with_name("daphne")
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(app: str, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own venv
        [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{app} did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def echo_round_trips(port: int, count: int) -> list[float]:
    from websockets.asyncio.client import connect

    times = []
    async with connect(f"ws://127.0.0.1:{port}/ws/") as ws:
        for n in range(count):
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "chat.send", "body": f"m{n}"}))
            await ws.recv()
            times.append(time.perf_counter() - started)
    return times


async def chat_round_trips(port: int, pair: tuple, count: int) -> list[float]:
    from websockets.asyncio.client import connect

    order_id, sender_token, receiver_token = pair
    times = []
    uri = f"ws://127.0.0.1:{port}/ws/"
    async with (
        connect(uri, subprotocols=["meijia.jwt", sender_token]) as sender,
        connect(uri, subprotocols=["meijia.jwt", receiver_token]) as receiver,
    ):
        for n in range(count):
            started = time.perf_counter()
            client_id = uuid.uuid4().hex
            await sender.send(
                json.dumps(
                    {
                        "type": "chat.send",
                        "order": order_id,
                        "body": f"m{n}",
                        "client_id": client_id,
                    }
                )
            )
            while True:
                frame = json.loads(await receiver.recv())
                if frame.get("client_id") == client_id:
                    break
            times.append(time.perf_counter() - started)
    return times


async def throughput(port: int, pairs: list[tuple] | None, clients: int, per_client: int) -> float:
    """Messages delivered per second with `clients` sockets open (half send, half receive)."""
    from websockets.asyncio.client import connect

    uri = f"ws://127.0.0.1:{port}/ws/"
    half = clients // 2
    if pairs is None:  # echo: every client sends and reads its own echoes
        sockets = [await connect(uri) for _ in range(clients)]
        senders = receivers = sockets
        expected = per_client
    else:
        senders = [await connect(uri, subprotocols=["meijia.jwt", p[1]]) for p in pairs[:half]]
        receivers = [await connect(uri, subprotocols=["meijia.jwt", p[2]]) for p in pairs[:half]]
        expected = per_client

    async def send(index: int, ws) -> None:
        for n in range(per_client):
            frame = {"type": "chat.send", "body": f"m{n}", "client_id": uuid.uuid4().hex}
            if pairs is not None:
                frame["order"] = pairs[index][0]
            await ws.send(json.dumps(frame))

    async def drain(ws) -> None:
        got = 0
        while got < expected:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if frame.get("type") == "chat.message" or pairs is None:
                got += 1

    started = time.perf_counter()
    await asyncio.gather(
        *(send(i, ws) for i, ws in enumerate(senders)), *(drain(ws) for ws in receivers)
    )
    elapsed = time.perf_counter() - started
    for ws in {id(s): s for s in [*senders, *receivers]}.values():
        await ws.close()
    return len(senders) * per_client / elapsed


def prepare_database(env: dict, pairs_needed: int) -> list[tuple]:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    import django

    django.setup()
    from rest_framework_simplejwt.tokens import AccessToken

    from tests import factories

    pairs = []
    for _ in range(pairs_needed):
        order = factories.OrderFactory()
        pairs.append(
            (
                order.pk,
                str(AccessToken.for_user(order.household)),
                str(AccessToken.for_user(order.worker.user)),
            )
        )
    return pairs


def redis_ok() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def show(label: str, times: list[float], base: list[float]) -> None:
    p50, p99 = percentile(times, 50) * 1000, percentile(times, 99) * 1000
    b50, b99 = percentile(base, 50) * 1000, percentile(base, 99) * 1000
    print(
        f"{label:<34} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms   "
        f"(echo p50 {b50:.2f} / p99 {b99:.2f} ms; ratio p50 ×{p50 / b50:.1f}, p99 ×{p99 / b99:.1f})"
    )


async def main(args) -> None:
    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "ERROR",
        "JWT_ACCESS_MINUTES": "60",
        # Flood control would cap the load test; it is measured, not bypassed, in test_flood.
        "MEIJIA_SOCKET_CHAT_RATE": "100000",
        "MEIJIA_SOCKET_CHAT_BURST": "100000",
        "MEIJIA_SOCKET_FRAME_RATE": "100000",
        "MEIJIA_SOCKET_FRAME_BURST": "100000",
    }
    env.pop("REDIS_URL", None)
    pairs = await asyncio.to_thread(prepare_database, env, max(args.clients // 2, 1))
    processes = []
    try:
        echo, echo_port = start("bench.echo_asgi:application", env)
        memory, memory_port = start("backend.asgi:application", env)
        processes += [echo, memory]
        print(f"round trip, {args.round_trips} sequential messages, loopback, one daphne each")
        base = await echo_round_trips(echo_port, args.round_trips)
        show(
            "chat, in-memory layer",
            await chat_round_trips(memory_port, pairs[0], args.round_trips),
            base,
        )
        if redis_ok():
            redis_env = {
                **env,
                "REDIS_URL": REDIS_URL,
                "CHANNEL_PREFIX": f"bench-{uuid.uuid4().hex[:6]}",
            }
            redis_process, redis_port = start("backend.asgi:application", redis_env)
            processes.append(redis_process)
            show(
                "chat, Redis pub/sub layer",
                await chat_round_trips(redis_port, pairs[1], args.round_trips),
                base,
            )
        else:
            print(f"chat, Redis pub/sub layer          skipped: Redis not reachable at {REDIS_URL}")

        total = args.clients // 2 * args.per_client
        print(f"\nthroughput, {args.clients} clients on one daphne, {total} messages")
        echo_rate = await throughput(echo_port, None, args.clients, args.per_client)
        chat_rate = await throughput(memory_port, pairs, args.clients, args.per_client)
        print(
            f"chat (stored + delivered), in-memory {chat_rate:8.0f} msg/s   "
            f"(echo {echo_rate:.0f} msg/s; ratio ×{chat_rate / echo_rate:.2f})"
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round-trips", type=int, default=300)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--per-client", type=int, default=5)
    asyncio.run(main(parser.parse_args()))
