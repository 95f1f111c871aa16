"""Send again what was left pending, and settle ended orders whose money is out of place."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from orders.models import (
    Payment,
    PaymentOperation,
)
from orders.models.payments import (
    OperationStatus,
    PaymentProvider,
    PaymentStatus,
)
from orders.payments.operations import (
    payment_operation_execute,
)
from orders.payments.settlement import payment_settle
from orders.statuses import OrderStatus


def payment_operations_retry_due(*, now: dt.datetime | None = None) -> int:
    """Send again every operation left pending (same idempotency key); settle ended orders
    whose money is not where it should be. Returns how many operations were sent."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.PAYMENTS["RETRY_AFTER_SECONDS"])
    due = list(
        PaymentOperation.objects.filter(status=OperationStatus.PENDING)
        .filter(
            Q(last_attempt_at__isnull=True, created_at__lte=cutoff) | Q(last_attempt_at__lte=cutoff)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for operation_id in due:
        payment_operation_execute(operation_id=operation_id, now=now)
        sent += 1
    ended = Payment.objects.filter(
        provider=PaymentProvider.STRIPE,
        order__status__in=(OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REPLACED),
        updated_at__lte=cutoff,
    ).exclude(status__in=(PaymentStatus.FAILED,))
    for order_id in ended.values_list("order_id", flat=True):
        sent += len(payment_settle(order_id=order_id, now=now))
    return sent
