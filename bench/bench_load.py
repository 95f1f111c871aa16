"""Load through the deployment layout (deploy/trial.sh: nginx → gunicorn for REST, daphne for
/ws/, PostgreSQL, Redis) with locust: realistic mixes, requests per second and p95 per endpoint,
with one app process and with two, each next to a bare Django JSON view (/bench/bare/) on the
same server in the same run; and the WSGI path (gunicorn) against the ASGI path (daphne) for the
same endpoint.

    .venv/bin/pip install -e '.[bench]'     # locust
    .venv/bin/python bench/bench_load.py [--seconds 10] [--users 20] [--processes 1 2] [--smoke]

Phases per process count (each --seconds long, --users concurrent locust users, no think time):
  bare   GET /bench/bare/ through nginx (the baseline: Django's whole middleware stack, no DB)
  mix    workers polling GET offers/ and orders/, households POST requests/ and GET requests/,
         chat over REST (POST and GET orders/{id}/messages/), weights 6:1:1:2:2:4
  wsgi   GET offers/ straight to gunicorn;   asgi   the same straight to one daphne process
Uses DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/meijia_f) and REDIS_URL
(default redis://127.0.0.1:6379/15); starts and stops its own trial on port 18080. Loopback
only; numbers are for ratios on one machine, never a CI gate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TRIAL_DIR = "/tmp/meijia-bench-trial"  # noqa: S108 - a loopback trial's run directory
PORTS = {"nginx": 18080, "gunicorn": 18001, "daphne": 18101}

SEED = r"""
import json, uuid, datetime as dt
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken
from tests import factories
from tests.orders.flow_helpers import make_request
from orders.models import Offer
from orders.services.offers import offer_accept, offer_invite
import random, factory
# Sequences restart in every process: start them far apart (the trial database persists).
for item in vars(factories).values():
    if isinstance(item, type) and issubclass(item, factory.django.DjangoModelFactory):
        item.reset_sequence(random.randint(10_000, 99_000))
pairs = []
for number in range(%(pairs)d):
    tag = uuid.uuid4().hex[:10]
    household = factories.HouseholdFactory(user__username=f"bench-h-{tag}").user
    worker = factories.WorkerFactory(user__username=f"bench-w-{tag}")
    request = make_request(household=household, starts_at=factories.future(48 + 8 * number))
    offer = Offer.objects.filter(request=request, worker=worker).first()
    if offer is None:
        offer, _ = offer_invite(request_id=request.pk, household=household, worker_id=worker.pk)
    order = offer_accept(offer_id=offer.pk, worker=worker)
    pairs.append({
        "order": order.pk,
        "household": str(RefreshToken.for_user(household).access_token),
        "worker": str(RefreshToken.for_user(worker.user).access_token),
    })
print("SEED" + json.dumps(pairs))
"""


def trial_env(processes: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/meijia_f"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        "TRIAL_DIR": TRIAL_DIR,
        "TRIAL_PORT": str(PORTS["nginx"]),
        "GUNICORN_PORT": str(PORTS["gunicorn"]),
        "DAPHNE_BASE_PORT": str(PORTS["daphne"]),
        "GUNICORN_WORKERS": str(processes),
        "DAPHNE_PROCESSES": str(processes),
        "BENCH_BARE_VIEW": "1",
        "USER_THROTTLE_RATE": "1000000/min",  # measuring the server, not the throttle
        "ANON_THROTTLE_RATE": "1000000/min",
        "JWT_ACCESS_MINUTES": "120",
        "PERIODIC_INTERVAL": "30",
    }


def trial(command: str, env: dict) -> None:
    subprocess.run(["bash", "deploy/trial.sh", command], cwd=ROOT, env=env, check=True)  # noqa: S603,S607


def seed(env: dict, pairs: int) -> list[dict]:
    seed_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "backend.settings.production",
        "SECRET_KEY": Path(TRIAL_DIR, "secret_key").read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CHANNEL_PREFIX": "meijia-trial",
    }
    out = subprocess.run(  # noqa: S603
        [PY, "manage.py", "shell", "-c", SEED % {"pairs": pairs}],
        cwd=ROOT,
        env=seed_env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.split("SEED", 1)[1])


def run_phase(host: str, phase: str, pairs: list[dict], users: int, seconds: float) -> dict:
    """One locust run in a child process (gevent patches the interpreter)."""
    result = subprocess.run(  # noqa: S603
        [
            PY,
            __file__,
            "--locust-phase",
            phase,
            "--host",
            host,
            "--users",
            str(users),
            "--seconds",
            str(seconds),
        ],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def locust_child(phase: str, host: str, users: int, seconds: float) -> None:
    import gevent
    from locust import HttpUser, constant, task
    from locust.env import Environment

    pairs = json.loads(sys.stdin.read())
    counter = {"n": 0}

    def pick():
        counter["n"] += 1
        return pairs[counter["n"] % len(pairs)]

    body = {
        "category": "housekeeper",
        "division": "371581001000",
        "address": "临清市青年路街道幸福小区3号楼2单元",
        "latitude": 36.8494,
        "longitude": 115.7061,
        "budget": 15000,
        "description": "压测需求",
    }

    class Base(HttpUser):
        abstract = True
        wait_time = constant(0)

        def on_start(self):
            self.pair = pick()

        def auth(self, who):
            return {"Authorization": f"Bearer {self.pair[who]}"}

    class Bare(Base):
        @task
        def bare(self):
            self.client.get("/bench/bare/", name="bare")

    class Offers(Base):
        @task
        def offers(self):
            self.client.get("/api/v1/offers/", headers=self.auth("worker"), name="GET offers/")

    class Mix(Base):
        @task(6)
        def offers(self):
            self.client.get("/api/v1/offers/", headers=self.auth("worker"), name="GET offers/")

        @task(1)
        def orders(self):
            self.client.get("/api/v1/orders/", headers=self.auth("worker"), name="GET orders/")

        @task(1)
        def post_request(self):
            start = time.time() + 86400 * (3 + (counter["n"] % 300))
            starts = time.strftime("%Y-%m-%dT%H:00:00+08:00", time.localtime(start))
            ends = time.strftime("%Y-%m-%dT%H:00:00+08:00", time.localtime(start + 3 * 3600))
            self.client.post(
                "/api/v1/requests/",
                json={**body, "starts_at": starts, "ends_at": ends},
                headers=self.auth("household"),
                name="POST requests/",
            )

        @task(2)
        def requests(self):
            self.client.get(
                "/api/v1/requests/", headers=self.auth("household"), name="GET requests/"
            )

        @task(2)
        def chat_send(self):
            self.client.post(
                f"/api/v1/orders/{self.pair['order']}/messages/",
                json={"body": "到了吗？", "client_id": os.urandom(8).hex()},
                headers=self.auth("household"),
                name="POST messages/",
            )

        @task(4)
        def chat_read(self):
            self.client.get(
                f"/api/v1/orders/{self.pair['order']}/messages/?after=0",
                headers=self.auth("worker"),
                name="GET messages/",
            )

    user_class = {"bare": Bare, "mix": Mix, "wsgi": Offers, "asgi": Offers}[phase]
    environment = Environment(user_classes=[user_class], host=host)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(1.0)  # ramp-up, not measured
    environment.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()
    report = {}
    for (name, _method), entry in environment.stats.entries.items():
        report[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.num_requests / seconds, 1),
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
        }
    total = environment.stats.total
    report["ALL"] = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.num_requests / seconds, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
    }
    print(json.dumps(report))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--smoke", action="store_true", help="2 s phases, 4 users, 1 process")
    parser.add_argument("--locust-phase")
    parser.add_argument("--host")
    args = parser.parse_args()
    if args.locust_phase:
        locust_child(args.locust_phase, args.host, args.users, args.seconds)
        return
    if args.smoke:
        args.seconds, args.users, args.pairs, args.processes = 2, 4, 3, [1]

    print(
        f"bench_load: {args.users} users, {args.seconds:.0f} s per phase, "
        f"{os.cpu_count()} cores (shared), nginx → gunicorn / daphne, PostgreSQL + Redis\n"
    )
    for processes in args.processes:
        env = trial_env(processes)
        trial("stop", env)
        trial("start", env)
        try:
            pairs = seed(env, args.pairs)
            nginx = f"http://127.0.0.1:{PORTS['nginx']}"
            results = {
                "bare": run_phase(nginx, "bare", pairs, args.users, args.seconds),
                "mix": run_phase(nginx, "mix", pairs, args.users, args.seconds),
                "wsgi": run_phase(
                    f"http://127.0.0.1:{PORTS['gunicorn']}", "wsgi", pairs, args.users, args.seconds
                ),
                "asgi": run_phase(
                    f"http://127.0.0.1:{PORTS['daphne']}", "asgi", pairs, args.users, args.seconds
                ),
            }
        finally:
            trial("stop", env)
        bare = results["bare"]["bare"]
        print(f"== {processes} gunicorn worker(s), {processes} daphne process(es)")
        print(
            f"{'endpoint':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'fail':>6}"
            f"{'rps/bare':>10}{'p95/bare':>10}"
        )
        rows = [("bare (baseline)", bare)]
        rows += [(name, row) for name, row in sorted(results["mix"].items()) if name != "ALL"]
        rows += [("mix ALL", results["mix"]["ALL"])]
        rows += [
            ("offers via WSGI", results["wsgi"]["GET offers/"]),
            ("offers via ASGI", results["asgi"]["GET offers/"]),
        ]
        for name, row in rows:
            print(
                f"{name:<18}{row['rps']:>9.1f}{row['p50_ms']:>9.0f}{row['p95_ms']:>9.0f}"
                f"{row['failures']:>6}{row['rps'] / max(bare['rps'], 0.1):>10.2f}"
                f"{row['p95_ms'] / max(bare['p95_ms'], 1):>10.2f}"
            )
        wsgi, asgi = results["wsgi"]["GET offers/"], results["asgi"]["GET offers/"]
        print(
            f"ASGI/WSGI for GET offers/: {asgi['rps'] / max(wsgi['rps'], 0.1):.2f}× the "
            f"requests per second, {asgi['p95_ms'] / max(wsgi['p95_ms'], 1):.2f}× the p95\n"
        )


if __name__ == "__main__":
    main()
