"""Booking her again: a household's favourite workers, and which households came back to a
worker ("再约一次"), the count of which is a reliability signal in ranking."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FavouriteWorker(models.Model):
    """A worker a household keeps (收藏), to find and book her again."""

    household = models.ForeignKey(
        "marketplace.User", on_delete=models.CASCADE, related_name="favourite_workers"
    )
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="favourited_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("收藏的服务员")
        verbose_name_plural = _("收藏的服务员")
        constraints = [
            models.UniqueConstraint(fields=["household", "worker"], name="one_favourite_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} ♥ {self.worker_id}"


class AskedAgain(models.Model):
    """One household that booked this worker again: how often and when last."""

    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="asked_again"
    )
    household = models.ForeignKey(
        "marketplace.User", on_delete=models.CASCADE, related_name="asked_again"
    )
    times = models.PositiveIntegerField(_("再约次数"), default=1)
    last_request = models.ForeignKey(
        "orders.ServiceRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_asked_at = models.DateTimeField(_("首次再约时间"), auto_now_add=True)
    last_asked_at = models.DateTimeField(_("最近再约时间"))

    class Meta:
        ordering = ["-last_asked_at", "-pk"]
        verbose_name = _("再约记录")
        verbose_name_plural = _("再约记录")
        constraints = [
            models.UniqueConstraint(fields=["worker", "household"], name="one_asked_again_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} → {self.worker_id} ×{self.times}"
