"""我的数据 archive: the streamed ZIP (personal_data.archive) against building the same archive
in memory (every section read whole with list(), then zipped into a BytesIO), in the same run.

A throw-away SQLite database (bench.settings_bench) with one household who has `--messages`
chat messages and `--notifications` inbox rows on one order. Prints, for both ways: the
time to the first byte, the total time, the peak Python memory (tracemalloc) and the queries;
then the ratios. Numbers are for ratios on one machine, never a CI gate.

    .venv/bin/python bench/bench_my_data.py [--messages 20000] [--notifications 20000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    os.environ["MEIJIA_BENCH_DB"] = db_path
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(messages: int, notifications: int):
    from chat.models import ChatMessage
    from marketplace import reference_data
    from marketplace.models import Category, Division
    from notifications.models import Notification
    from tests import factories

    reference_data.load(Division, Category)
    order = factories.OrderFactory()
    user = order.household
    text = "阿姨您好，明天上午九点请按时到，钥匙在门口地垫下，谢谢。"
    ChatMessage.objects.bulk_create(
        [ChatMessage(order=order, sender=user, body=f"{text}{n}") for n in range(messages)],
        batch_size=5000,
    )
    Notification.objects.bulk_create(
        [
            Notification(user=user, type="order.updated", payload={"order": order.pk, "n": n})
            for n in range(notifications)
        ],
        batch_size=5000,
    )
    return user


def streamed(user) -> tuple[float, int]:
    from personal_data.archive import archive_chunks

    chunks = archive_chunks(user=user)
    started = time.perf_counter()
    first = next(chunks)
    first_at = time.perf_counter() - started
    size = len(first) + sum(len(chunk) for chunk in chunks)
    return first_at, size


def in_memory(user) -> tuple[float, int]:
    from django.core.serializers.json import DjangoJSONEncoder

    from personal_data.records import SECTIONS

    started = time.perf_counter()
    sections = {name: list(rows(user)) for name, rows in SECTIONS}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sections.items():
            archive.writestr(f"{name}.json", json.dumps(rows, cls=DjangoJSONEncoder).encode())
    data = buffer.getvalue()
    return time.perf_counter() - started, len(data)  # its first byte exists only at the end


def measure(run, user) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        first_at, size = run(user)
    total = time.perf_counter() - started
    tracemalloc.start()  # a second run for the memory: tracing slows every allocation
    run(user)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"first": first_at, "total": total, "peak": peak, "queries": len(queries), "size": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--notifications", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup(os.path.join(directory, "bench.sqlite3"))
        user = load(args.messages, args.notifications)
        streamed(user)  # warm up both ways (the template engine loads once per process)
        in_memory(user)
        results = {"streamed": measure(streamed, user), "in memory": measure(in_memory, user)}
    print(f"{'way':<10} {'first byte ms':>14} {'total ms':>9} {'peak MB':>8} {'queries':>8}")
    for way, r in results.items():
        print(
            f"{way:<10} {r['first'] * 1000:>14.1f} {r['total'] * 1000:>9.0f}"
            f" {r['peak'] / 2**20:>8.1f} {r['queries']:>8}"
        )
    s, m = results["streamed"], results["in memory"]
    print(
        f"ratios (in memory / streamed): first byte ×{m['first'] / s['first']:.0f},"
        f" peak memory ×{m['peak'] / s['peak']:.1f}, total ×{m['total'] / s['total']:.2f}"
    )


if __name__ == "__main__":
    main()
