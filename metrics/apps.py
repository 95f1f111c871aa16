from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    """What the federation counts (PRODUCT.md §4): rollups, reconciliation, reports."""

    name = "metrics"
    verbose_name = _("统计指标")
