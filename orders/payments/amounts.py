"""What an order should pay in the end, and what has been received for it."""

from __future__ import annotations

from django.db.models import Sum

from orders.models import (
    Dispute,
    LedgerEntry,
    Order,
)
from orders.models.payments import (
    LedgerAccount,
    LedgerKind,
)
from orders.statuses import DisputeOutcome, DisputeStatus, OrderStatus


def amount_due(order: Order) -> int | None:
    """What the household owes in the end, or None while the order is still going."""
    if order.status == OrderStatus.COMPLETED:
        refunded = (
            Dispute.objects.filter(
                order=order,
                status=DisputeStatus.RESOLVED,
                outcome=DisputeOutcome.PARTIAL_REFUND,
            ).aggregate(total=Sum("refund_amount"))["total"]
            or 0
        )
        return max(order.price - refunded, 0)
    if order.status == OrderStatus.CANCELLED:
        return order.cancellation_fee
    if order.status == OrderStatus.REPLACED:
        return order.settlement_amount or 0
    return None


def order_received_total(order_id: int) -> int:
    """Money received for the order, net of refunds: card money plus offline money."""
    total = LedgerEntry.objects.filter(
        order_id=order_id,
        kind__in=(
            LedgerKind.CAPTURED,
            LedgerKind.FEE,
            LedgerKind.REFUNDED,
            LedgerKind.OFFLINE_RECEIVED,
        ),
        account__in=(
            LedgerAccount.STRIPE_BALANCE,
            LedgerAccount.AGENCY_PAYABLE,
            LedgerAccount.WORKER_PAYABLE,
        ),
    ).aggregate(total=Sum("amount"))["total"]
    return total or 0
