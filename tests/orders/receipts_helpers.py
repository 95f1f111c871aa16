"""Paid orders for the receipt and invoice tests: cash to the agency, or a card capture and
refund recorded through the real outcome code (the answers Stripe would give)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from marketplace.models import User
from orders.models import Order, PaymentOperation
from orders.models.payments import OperationKind, PaymentProvider
from orders.payments.offline import payment_record_offline
from orders.payments.operations import payment_locked
from orders.payments.outcomes import operation_apply
from orders.statuses import OrderStatus
from tests import factories
from tests.orders.flow_helpers import order_in


def agency_order(status: str = OrderStatus.COMPLETED, **fields) -> tuple[Order, User]:
    """A completed order of a fresh agency, and one staff member of it."""
    agency = factories.AgencyFactory()
    order = order_in(status, agency=agency, **fields)
    return order, factories.AgencyStaffFactory(agency=agency).user


def paid_in_cash(order: Order, staff: User, *, reference: str = "") -> Order:
    payment_record_offline(
        order_id=order.pk, actor=staff, method="cash", amount=order.price, reference=reference
    )
    return order


def paid_by_card(order: Order, *, refund: int = 0) -> Order:
    """A capture of the whole price, then an optional refund, as Stripe's answers record them."""
    now = timezone.now()
    with transaction.atomic():
        payment = payment_locked(order)
        payment.provider = PaymentProvider.STRIPE
        payment.save(update_fields=["provider"])
        capture = PaymentOperation.objects.create(
            payment=payment,
            kind=OperationKind.CAPTURE,
            amount=order.price,
            idempotency_key=f"order-{order.pk}-capture-test",
        )
        operation_apply(
            payment, capture, {"intent": {"id": f"pi_{order.pk}", "status": "succeeded"}}, now
        )
        if refund:
            operation = PaymentOperation.objects.create(
                payment=payment,
                kind=OperationKind.REFUND,
                amount=refund,
                idempotency_key=f"order-{order.pk}-refund-test",
            )
            operation_apply(payment, operation, {"refund": {"id": f"re_{order.pk}"}}, now)
    return order
