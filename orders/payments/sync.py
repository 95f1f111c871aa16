"""Bring a payment to what Stripe shows for its intents (called by webhooks)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from orders.locks import lock_payment, lock_payment_operation
from orders.models import (
    Payment,
)
from orders.models.payments import (
    OperationKind,
    OperationStatus,
    PaymentStatus,
)
from orders.payments import stripe_api
from orders.payments.outcomes import hold_post, hold_release, operation_apply
from orders.payments.settlement import payment_settle


def payment_sync_intent(*, intent_id: str, now: dt.datetime | None = None) -> Payment | None:
    """Re-read a PaymentIntent from Stripe and bring the payment to what it shows.

    Used by webhooks: the event only says which intent changed, so events arriving twice or
    out of order all lead to the same state. Then settles the order (an authorisation that
    arrives after completion is captured at once).
    """
    now = now or timezone.now()
    payment = Payment.objects.filter(
        Q(stripe_payment_intent_id=intent_id) | Q(stripe_charge_intent_id=intent_id)
    ).first()
    if payment is None:
        return None
    intent = stripe_api.payment_intent_retrieve(intent_id)
    with transaction.atomic():
        payment = lock_payment(payment.pk, with_order=True)
        if intent_id == payment.stripe_payment_intent_id:
            status = intent.get("status")
            pending = payment.operations.filter(status=OperationStatus.PENDING).last()
            if status == "requires_capture" and payment.status == (
                PaymentStatus.AWAITING_AUTHORIZATION
            ):
                hold_post(payment, intent, now)
                payment.save(update_fields=["amount_authorized", "status", "updated_at"])
            elif pending is not None and (
                (status == "succeeded" and pending.kind == OperationKind.CAPTURE)
                or (status == "canceled" and pending.kind == OperationKind.CANCEL)
            ):
                # The operation's answer was lost; Stripe shows it done.
                pending = lock_payment_operation(pending.pk)
                operation_apply(payment, pending, {"intent": intent}, now)
            elif status == "canceled" and payment.amount_authorized and pending is None:
                # The hold expired or was cancelled at Stripe.
                hold_release(payment, intent_id, None, now)
                payment.save(update_fields=["amount_authorized", "status", "updated_at"])
    payment_settle(order_id=payment.order_id, now=now)
    payment.refresh_from_db()
    return payment


def payment_sync_setup_intent(*, intent_id: str, now: dt.datetime | None = None):
    """Re-read a SetupIntent: once it succeeded, the card is saved for the charge later."""
    now = now or timezone.now()
    payment = Payment.objects.filter(stripe_setup_intent_id=intent_id).first()
    if payment is None:
        return None
    setup = stripe_api.setup_intent_retrieve(intent_id)
    with transaction.atomic():
        payment = lock_payment(payment.pk)
        if setup.get("status") == "succeeded" and payment.status == (
            PaymentStatus.AWAITING_AUTHORIZATION
        ):
            payment.stripe_payment_method_id = stripe_api.object_id(setup.get("payment_method"))
            payment.status = PaymentStatus.METHOD_SAVED
            payment.save(update_fields=["stripe_payment_method_id", "status", "updated_at"])
    payment_settle(order_id=payment.order_id, now=now)
    payment.refresh_from_db()
    return payment
