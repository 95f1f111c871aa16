"""The one-time start code of each visit: the worker's proof of arrival."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StartCode(models.Model):
    """The code the household shows and the worker types to check in to one visit.

    Wrong tries are counted with conditional UPDATEs (orders.services.start_codes); reaching the
    limit locks check-in to this visit until `locked_until`. `used_at` makes it one-time.
    """

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="start_codes")
    occurrence = models.ForeignKey(
        "orders.Occurrence",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="start_codes",
    )
    code = models.CharField(max_length=6)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    regenerated_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # Where the phone said she was when the code was accepted (when it said).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("开工码")
        verbose_name_plural = _("开工码")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence"],
                condition=Q(occurrence__isnull=False),
                name="one_start_code_per_visit",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(occurrence__isnull=True),
                name="one_start_code_per_visitless_order",
            ),
        ]

    def __str__(self) -> str:
        return f"start code of order #{self.order_id} visit #{self.occurrence_id}"
