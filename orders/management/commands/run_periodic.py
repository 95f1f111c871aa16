"""`python manage.py run_periodic [--loop --interval 30]`: run the due time-based work."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from backend.observability import observe_periodic
from orders.services.periodic import run_due_work


class Command(BaseCommand):
    help = "Expire offers and requests, auto-confirm orders, close review windows (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running every --interval")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between runs")

    def handle(self, *args, loop: bool = False, interval: float = 30.0, **options):
        while True:
            started = time.perf_counter()
            try:
                counts = run_due_work()
            except Exception:
                observe_periodic(counts=None, seconds=time.perf_counter() - started)
                raise
            observe_periodic(counts=counts, seconds=time.perf_counter() - started)
            self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
            if not loop:
                return
            try:
                time.sleep(max(interval, 1.0))
            except KeyboardInterrupt:
                return
            close_old_connections()  # a long-lived loop must not keep a broken connection
