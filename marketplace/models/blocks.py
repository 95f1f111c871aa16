"""A worker's blocks of households she will not be matched with again."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdBlock(models.Model):
    """A worker never to be matched with this household again (offers, invitations, dispatch)."""

    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="household_blocks"
    )
    household = models.ForeignKey(
        "marketplace.User", on_delete=models.CASCADE, related_name="blocked_by_workers"
    )
    # The order she blocked from (orders depends on marketplace, so no foreign key back).
    order_id = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("屏蔽的雇主")
        verbose_name_plural = _("屏蔽的雇主")
        constraints = [
            models.UniqueConstraint(fields=["worker", "household"], name="one_block_per_pair"),
        ]
        indexes = [models.Index(fields=["household", "worker"])]

    def __str__(self) -> str:
        return f"worker #{self.worker_id} blocks household #{self.household_id}"
