"""Two daphne processes sharing Redis (pub/sub layer) and the test database: a chat message
sent through one reaches a client of the other. Runs wherever Redis is reachable."""

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

import pytest
import redis
from channels.db import database_sync_to_async
from django.db import connection

from tests import factories
from tests.notifications.sockets import access_token

websockets_client = pytest.importorskip("websockets.asyncio.client")

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5"
ROOT = Path(__file__).resolve().parents[2]
DAPHNE = Path(sys.executable).with_name("daphne")


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.skipif(not redis_reachable(), reason=f"Redis not reachable at {REDIS_URL}"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgresql://{auth}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def start_daphne(port: int, env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed argv, our own venv
        [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "backend.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_listening(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne on {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"daphne on {port} did not listen within {timeout}s")


async def next_chat(ws, timeout: float = 10) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] == "chat.message":
            return frame


async def test_message_crosses_two_daphne_processes_through_redis():
    order = await database_sync_to_async(factories.OrderFactory)()
    household, worker_user = order.household, order.worker.user
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": REDIS_URL,
        # The pub/sub layer is not scoped by Redis database: keep this run's channels apart.
        "CHANNEL_PREFIX": f"meijia-test-{uuid.uuid4().hex[:8]}",
        "LOG_LEVEL": "WARNING",
    }
    ports = [free_port(), free_port()]
    log = tempfile.TemporaryFile()
    processes = [start_daphne(port, env, log) for port in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            await asyncio.to_thread(wait_listening, port, process)
        connect = websockets_client.connect
        async with (
            connect(
                f"ws://127.0.0.1:{ports[0]}/ws/",
                subprotocols=["meijia.jwt", access_token(household)],
            ) as on_first,
            connect(
                f"ws://127.0.0.1:{ports[1]}/ws/",
                subprotocols=["meijia.jwt", access_token(worker_user)],
            ) as on_second,
        ):
            assert on_first.subprotocol == "meijia.jwt"
            await on_first.send(
                json.dumps(
                    {"type": "chat.send", "order": order.pk, "body": "跨进程", "client_id": "x1"}
                )
            )
            arrived = await next_chat(on_second)
            assert (arrived["body"], arrived["sender"]) == ("跨进程", household.pk)
            assert (await next_chat(on_first))["id"] == arrived["id"]

            await on_second.send(
                json.dumps(
                    {"type": "chat.send", "order": order.pk, "body": "收到", "client_id": "y"}
                )
            )
            back = await next_chat(on_first)
            assert (back["body"], back["sender"]) == ("收到", worker_user.pk)
            assert back["id"] > arrived["id"]
    except Exception:
        log.seek(0)
        print(log.read().decode(errors="replace")[-4000:])  # noqa: T201 - daphne's own words
        raise
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
