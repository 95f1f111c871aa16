from django.core.management.base import BaseCommand, CommandError

from metrics.reconcile import metrics_reconcile


class Command(BaseCommand):
    help = "Recompute the metrics rollups from the facts and report differences (--fix repairs)."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="replace the rollups")
        parser.add_argument("--limit", type=int, default=20, help="differences shown per table")

    def handle(self, *args, fix: bool, limit: int, **options):
        report = metrics_reconcile(fix=fix, limit=limit)
        if report.is_clean:
            self.stdout.write(self.style.SUCCESS("metrics rollups agree with the facts"))
            return
        for line in report.lines():
            self.stdout.write(line)
        if report.fixed:
            self.stdout.write(self.style.WARNING("differences found; rollups rebuilt"))
            return
        raise CommandError("metrics rollups differ from the facts (run with --fix to rebuild)")
