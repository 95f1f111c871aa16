"""`manage.py seed_demo`: the demo county (idempotent, seeded; refused in production)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import county
from demo.seed import demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo county: agencies, workers, households, the documented accounts, and "
        "the last 12 months of courses, exams, competitions, job fairs and orders."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=county.DEFAULT_SEED)
        parser.add_argument(
            "--workers",
            type=int,
            default=county.DEFAULT_WORKERS,
            help="generated workers besides the 20 demo-worker accounts (e.g. 100000)",
        )
        parser.add_argument("--households", type=int, default=county.DEFAULT_HOUSEHOLDS)
        parser.add_argument(
            "--orders",
            type=int,
            default=county.DEFAULT_HISTORY_ORDERS,
            help="orders over the last 12 months in the first run's history (0: none)",
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, seed, workers, households, orders, no_progress, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError(
                "seed_demo refuses to run under production settings: the demo password is public."
            )
        if workers < 0 or households < 0 or orders < 0:
            raise CommandError("--workers, --households and --orders must not be negative.")
        summary = demo_seed(
            seed=seed,
            workers=workers,
            households=households,
            orders=orders,
            progress=not no_progress and options["verbosity"] > 0 and workers >= 5000,
        )
        created = ", ".join(f"{k} {v}" for k, v in sorted(summary.created.items()) if v)
        self.stdout.write(f"Created: {created}" if created else "Nothing new: demo data exists.")
        self.stdout.write(f"Demo accounts (password for all: {settings.MEIJIA['DEMO_PASSWORD']}):")
        for username, role in summary.accounts:
            self.stdout.write(f"  {username:<45} {role}")
