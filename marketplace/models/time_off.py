"""A worker's time off (请假): whole local days she does not work, besides her weekly pattern."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TimeOff(models.Model):
    """Days `starts_on`–`ends_on` (inclusive, Asia/Shanghai) off work.

    `starts_at`/`ends_at` are the same days as instants (local midnight to the midnight after
    the last day) so that matching and busy-time checks ask one overlap question of them.
    """

    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="time_off"
    )
    starts_on = models.DateField(_("请假开始日期"))
    ends_on = models.DateField(_("请假结束日期"))
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    reason = models.CharField(_("请假原因"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="time_off_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["worker", "ends_at"], name="time_off_worker_end")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.starts_on}–{self.ends_on}"
