from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    """What the federation counts (PRODUCT.md §4): rollups, reconciliation, reports."""

    name = "metrics"
    verbose_name = _("统计指标")

    def ready(self) -> None:
        # The apps below report changed facts through backend.fact_changes; the rollups follow
        # them in the same transaction.
        from backend import fact_changes
        from metrics.services import metrics_record_order_changed, metrics_record_worker_changed

        fact_changes.subscribe_order_facts(metrics_record_order_changed)
        fact_changes.subscribe_worker_facts(metrics_record_worker_changed)
