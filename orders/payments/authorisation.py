"""The household authorises the price by card: a hold, or a card saved for later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    Conflict,
    NotFound,
    PermissionDeniedError,
)
from marketplace.models import User
from orders.models import (
    Order,
    Payment,
    PaymentOperation,
)
from orders.models.payments import (
    OperationKind,
    OperationStatus,
    PaymentMode,
    PaymentProvider,
    PaymentStatus,
)
from orders.parties import party_of
from orders.payments import stripe_api
from orders.payments.operations import (
    payment_locked,
    payment_operation_execute,
)
from orders.statuses import OrderStatus, Party

AUTHORIZABLE_STATUSES = (
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.AWAITING_CONFIRMATION,
)


def payment_provider() -> str:
    """The online provider in use: stripe when its secrets are set, else offline."""
    return PaymentProvider.STRIPE if stripe_api.is_enabled() else PaymentProvider.OFFLINE


@dataclass(frozen=True)
class Authorization:
    payment: Payment
    mode: str
    client_secret: str
    intent_id: str


def payment_authorize(
    *, order_id: int, actor: User, now: dt.datetime | None = None
) -> Authorization:
    """The household authorises the price: a manual-capture PaymentIntent (a card hold), or
    for services ending after the hold lasts (PAYMENTS["HOLD_DAYS"]) a SetupIntent that saves
    the card to charge at completion. Returns the client secret for Stripe.js.

    Calling again before the household finished returns the same intent. Raises Conflict
    `offline_provider` (Stripe not configured), NotFound, PermissionDeniedError, Conflict
    `not_payable` / `already_authorized`, Conflict `provider_unavailable`.
    """
    now = now or timezone.now()
    # Who asks is settled first: a stranger learns nothing, not even how payment is set up.
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    party = party_of(actor, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.HOUSEHOLD:
        raise PermissionDeniedError(_("只有雇主可以支付订单。"), code="wrong_party")
    if not stripe_api.is_enabled():
        raise Conflict(_("未开通在线支付，请向家政企业线下付款。"), code="offline_provider")
    if order.status not in AUTHORIZABLE_STATUSES:
        raise Conflict(_("订单当前状态不能支付。"), code="not_payable")
    with transaction.atomic():
        payment = payment_locked(order)
        if payment.status not in (PaymentStatus.UNPAID, PaymentStatus.AWAITING_AUTHORIZATION):
            raise Conflict(_("订单已授权支付。"), code="already_authorized")
        operation = payment.operations.filter(
            kind__in=(OperationKind.AUTHORIZE, OperationKind.SETUP),
            status__in=(OperationStatus.PENDING, OperationStatus.SUCCEEDED),
        ).last()
        if operation is None:
            is_long = order.ends_at > now + dt.timedelta(days=settings.PAYMENTS["HOLD_DAYS"])
            payment.mode = PaymentMode.SAVED_METHOD if is_long else PaymentMode.HOLD
            payment.provider = PaymentProvider.STRIPE
            payment.status = PaymentStatus.AWAITING_AUTHORIZATION
            payment.authorize_attempt = F("authorize_attempt") + 1
            payment.save(
                update_fields=["mode", "provider", "status", "authorize_attempt", "updated_at"]
            )
            payment.refresh_from_db(fields=["authorize_attempt"])
            kind = OperationKind.SETUP if is_long else OperationKind.AUTHORIZE
            operation = PaymentOperation.objects.create(
                payment=payment,
                kind=kind,
                amount=order.price,
                idempotency_key=f"order-{order.pk}-{kind}-v{payment.authorize_attempt}",
            )
    if operation.status == OperationStatus.PENDING:
        operation = payment_operation_execute(operation_id=operation.pk, now=now)
    payment.refresh_from_db()
    if operation.status != OperationStatus.SUCCEEDED:
        raise Conflict(_("支付服务暂时不可用，请稍后再试。"), code="provider_unavailable")
    if payment.mode == PaymentMode.HOLD:
        intent = stripe_api.payment_intent_retrieve(payment.stripe_payment_intent_id)
    else:
        intent = stripe_api.setup_intent_retrieve(payment.stripe_setup_intent_id)
    return Authorization(
        payment=payment,
        mode=payment.mode,
        client_secret=intent.get("client_secret") or "",
        intent_id=intent["id"],
    )
