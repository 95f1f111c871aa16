from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.statuses import (
    DisputeOutcome,
    DisputeStatus,
    OrderStatus,
    Party,
)


class Order(models.Model):
    """The booking that follows an accepted offer; moves along ORDER_TRANSITIONS."""

    request = models.ForeignKey(
        "orders.ServiceRequest", on_delete=models.PROTECT, related_name="orders"
    )
    offer = models.OneToOneField(
        "orders.Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="order"
    )
    household = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, related_name="household_orders"
    )
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.PROTECT, related_name="orders"
    )
    agency = models.ForeignKey(
        "marketplace.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    status = models.CharField(
        _("状态"),
        max_length=30,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING_CONTRACT,
    )
    price = models.PositiveIntegerField(_("价格（分）"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    worker_finished_at = models.DateTimeField(_("服务员完工时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by_party = models.CharField(max_length=20, choices=Party.choices, blank=True)
    cancellation_fee = models.PositiveIntegerField(_("取消费（分）"), default=0)
    no_show_party = models.CharField(_("爽约方"), max_length=20, choices=Party.choices, blank=True)
    # Placements: when the trial ends, and the settlement of a replaced worker's part.
    trial_ends_at = models.DateTimeField(_("试用期结束"), null=True, blank=True)
    settlement_amount = models.PositiveIntegerField(_("结算金额（分）"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        constraints = [
            # At most one live order per request: the database settles simultaneous accepts.
            models.UniqueConstraint(
                fields=["request"],
                condition=~Q(status__in=["cancelled", "replaced"]),
                name="one_live_order_per_request",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "-created_at"]),
            models.Index(fields=["worker", "-created_at"]),
            models.Index(fields=["agency", "-created_at"]),
            models.Index(fields=["status", "worker_finished_at"]),
        ]

    def __str__(self) -> str:
        return f"order #{self.pk} ({self.status})"


class OrderEvent(models.Model):
    """One transition of an order: who, when, from, to, why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    reason = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("订单记录")
        verbose_name_plural = _("订单记录")

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class Dispute(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="disputes")
    opened_by = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    previous_status = models.CharField(max_length=30)
    reason = models.TextField(_("争议原因"))
    status = models.CharField(
        max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    outcome = models.CharField(max_length=20, choices=DisputeOutcome.choices, blank=True)
    refund_amount = models.PositiveIntegerField(_("退款（分）"), default=0)
    resolution_note = models.TextField(_("处理说明"), blank=True)
    resolved_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("争议")
        verbose_name_plural = _("争议")
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(status="open"), name="one_open_dispute_per_order"
            ),
        ]

    def __str__(self) -> str:
        return f"dispute #{self.pk} on order #{self.order_id} ({self.status})"
