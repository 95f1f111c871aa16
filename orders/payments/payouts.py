"""Payouts: separate charges and transfers to the payees' connected accounts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    ValidationFailed,
)
from orders.locks import lock_order
from orders.models import (
    Order,
    PaymentOperation,
    PayoutAccount,
)
from orders.models.payments import (
    LedgerAccount,
    OperationKind,
    PaymentProvider,
)
from orders.payments import ledger
from orders.payments.operations import (
    operation_key_next,
    payment_has_pending,
    payment_locked,
    payment_operation_execute,
)
from orders.statuses import DisputeStatus, OrderStatus, Party


def payouts_send_due(*, now: dt.datetime | None = None) -> int:
    """Transfer each payee's share of card money once the order can no longer be disputed
    (completed REVIEW_WINDOW_DAYS ago, or cancelled). Returns transfers sent."""
    now = now or timezone.now()
    window = dt.timedelta(days=settings.MEIJIA["REVIEW_WINDOW_DAYS"])
    orders = (
        Order.objects.filter(
            payment__provider=PaymentProvider.STRIPE, payment__amount_captured__gt=0
        )
        .filter(
            Q(status=OrderStatus.COMPLETED, completed_at__lte=now - window)
            | Q(status=OrderStatus.CANCELLED)
        )
        .values_list("pk", flat=True)
    )
    sent = 0
    for order_id in list(orders):
        for operation in _payout_operations(order_id):
            payment_operation_execute(operation_id=operation.pk, now=now)
            sent += 1
    return sent


def _payout_operations(order_id: int) -> list[PaymentOperation]:
    with transaction.atomic():
        order = lock_order(order_id, related=("worker",), only_order=False)
        payment = payment_locked(order)
        if (
            payment_has_pending(payment)
            or order.disputes.filter(status=DisputeStatus.OPEN).exists()
        ):
            return []
        balances = ledger.order_balances(order_id)
        available = balances.get(LedgerAccount.STRIPE_BALANCE, 0)
        created = []
        payees = [(Party.WORKER, LedgerAccount.WORKER_PAYABLE, {"worker_id": order.worker_id})]
        if order.agency_id:
            payees.append(
                (Party.AGENCY, LedgerAccount.AGENCY_PAYABLE, {"agency_id": order.agency_id})
            )
        for payee, account, owner in payees:
            owed = -balances.get(account, 0)
            amount = min(owed, available)
            target = PayoutAccount.objects.filter(**owner).first()
            if amount <= 0 or target is None:
                continue
            created.append(
                PaymentOperation.objects.create(
                    payment=payment,
                    kind=OperationKind.TRANSFER,
                    amount=amount,
                    payee=payee,
                    payout_account=target,
                    idempotency_key=operation_key_next(
                        payment, OperationKind.TRANSFER, f"-{payee}"
                    ),
                )
            )
            available -= amount
    return created


def payout_account_set(*, agency=None, worker=None, stripe_account_id: str) -> PayoutAccount:
    """Store (or replace) the connected account that receives an agency's or worker's payouts."""
    if (agency is None) == (worker is None):
        raise ValidationFailed(_("收款账户须属于一个企业或一名服务员。"), field="owner")
    if not stripe_account_id.startswith("acct_"):
        raise ValidationFailed(_("无效的Stripe账户。"), field="stripe_account_id")
    owner = {"agency": agency} if agency is not None else {"worker": worker}
    account, _created = PayoutAccount.objects.update_or_create(
        **owner, defaults={"stripe_account_id": stripe_account_id}
    )
    return account
