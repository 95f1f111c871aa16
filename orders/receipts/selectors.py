"""The receipt of an order as one viewer may see it (orders/receipts/__init__.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound
from backend.localtime import local_day
from marketplace.models import User
from orders.models import Dispute, InvoiceRequest, LedgerEntry, Order, Payment
from orders.models.payments import LedgerAccount, LedgerKind, PaymentProvider, PaymentStatus
from orders.parties import party_of
from orders.payments.amounts import amount_due
from orders.statuses import DisputeOutcome, DisputeStatus, OrderStatus, Party

RECEIPT_STATUSES = (PaymentStatus.PAID, PaymentStatus.REFUNDED)
CASH_ACCOUNTS = (
    LedgerAccount.STRIPE_BALANCE,
    LedgerAccount.AGENCY_PAYABLE,
    LedgerAccount.WORKER_PAYABLE,
)
MONEY_IN = (LedgerKind.CAPTURED, LedgerKind.FEE, LedgerKind.OFFLINE_RECEIVED)
# The split of the money received, by who may see which share (as the order's ledger shows it:
# the household none, the worker her own, the agency and operators all three).
SHARE_ACCOUNTS = {
    Party.WORKER: (LedgerAccount.WORKER_PAYABLE,),
    Party.AGENCY: (
        LedgerAccount.PLATFORM_COMMISSION,
        LedgerAccount.AGENCY_PAYABLE,
        LedgerAccount.WORKER_PAYABLE,
    ),
}


@dataclass(frozen=True)
class ReceiptLine:
    """One charge of the order: what it is and its amount in fen (negative: taken off)."""

    kind: str
    label: str
    amount: int


@dataclass(frozen=True)
class ReceiptMovement:
    """Money received (positive) or refunded (negative), when and how."""

    kind: str
    at: dt.datetime
    amount: int
    method: str
    reference: str = ""


@dataclass
class Receipt:
    number: str
    order: Order
    viewer_party: str | None
    provider: str
    status: str
    issued_at: dt.datetime
    charges: list[ReceiptLine]
    amount_due: int
    movements: list[ReceiptMovement]
    shares: dict[str, int] = field(default_factory=dict)
    invoice: InvoiceRequest | None = None

    @property
    def amount_paid(self) -> int:
        return sum(m.amount for m in self.movements if m.amount > 0)

    @property
    def amount_refunded(self) -> int:
        return -sum(m.amount for m in self.movements if m.amount < 0)

    @property
    def amount_net(self) -> int:
        return self.amount_paid - self.amount_refunded

    @property
    def parties(self) -> dict[str, str | None]:
        """Names only: phone numbers and the address never appear on a receipt."""
        order = self.order
        return {
            "household": order.household.display_name or order.household.username,
            "worker": order.worker.user.display_name or order.worker.user.username,
            "agency": order.agency.name if order.agency_id else None,
        }


def receipt_number(order: Order) -> str:
    """One receipt per order: the year the order was made and its id (unique, stable)."""
    return f"MJ{local_day(order.created_at):%Y}-{order.pk:07d}"


def receipt_order(*, user: User, order_id: int) -> tuple[Order, str | None]:
    """The order with what a receipt shows, for a party or an operator. Raises NotFound."""
    order = (
        Order.objects.select_related(
            "request__category", "household", "worker__user", "agency", "payment"
        )
        .filter(pk=order_id)
        .first()
    )
    party = party_of(user, order) if order is not None else None
    if order is None or (party is None and not user.is_operator):
        raise NotFound(_("订单不存在。"))
    return order, party


def _payment(order: Order) -> Payment | None:
    try:
        return order.payment
    except Payment.DoesNotExist:
        return None


def _charges(order: Order) -> list[ReceiptLine]:
    lines = [ReceiptLine("price", _("服务费用"), order.price)]
    if order.status == OrderStatus.CANCELLED:
        lines.append(ReceiptLine("cancellation_fee", _("取消费（按合同）"), order.cancellation_fee))
        lines.append(ReceiptLine("waived", _("取消免付"), order.cancellation_fee - order.price))
    elif order.status == OrderStatus.REPLACED:
        settled = order.settlement_amount or 0
        lines.append(ReceiptLine("settlement", _("更换服务员结算减免"), settled - order.price))
    refunded = (
        Dispute.objects.filter(
            order=order, status=DisputeStatus.RESOLVED, outcome=DisputeOutcome.PARTIAL_REFUND
        ).aggregate(total=Sum("refund_amount"))["total"]
        or 0
    )
    if refunded and order.status == OrderStatus.COMPLETED:
        lines.append(ReceiptLine("dispute_refund", _("争议部分退款"), -refunded))
    return lines


def _movements(order: Order, provider: str) -> tuple[list[ReceiptMovement], dict[str, int]]:
    entries = list(
        LedgerEntry.objects.filter(order=order)
        .exclude(kind__in=(LedgerKind.AUTHORISED, LedgerKind.RELEASED, LedgerKind.PAYOUT))
        .select_related("operation")
        .order_by("created_at", "id")
    )
    movements, shares = [], {}
    for entry in entries:
        if entry.kind in (LedgerKind.COMMISSION, LedgerKind.EARNINGS):
            shares[entry.account] = shares.get(entry.account, 0) - entry.amount
            continue
        if entry.account not in CASH_ACCOUNTS:
            continue
        operation = entry.operation
        offline = entry.kind == LedgerKind.OFFLINE_RECEIVED
        method = (operation.method if operation else "") if offline else PaymentProvider.STRIPE
        if entry.kind == LedgerKind.REFUNDED or entry.kind in MONEY_IN:
            movements.append(
                ReceiptMovement(
                    kind=entry.kind,
                    at=entry.created_at,
                    amount=entry.amount,
                    method=method or provider,
                    reference=(operation.reference if operation and offline else ""),
                )
            )
    return movements, shares


def receipt_of(*, user: User, order_id: int) -> Receipt:
    """The order's receipt for this viewer (a party or an operator).

    Raises NotFound (no such order, or not the viewer's), Conflict `receipt_not_ready` (no
    money captured or received in full yet).
    """
    order, party = receipt_order(user=user, order_id=order_id)
    payment = _payment(order)
    if payment is None or payment.status not in RECEIPT_STATUSES:
        raise Conflict(_("订单付款完成后才有收据。"), code="receipt_not_ready")
    movements, shares = _movements(order, payment.provider)
    visible = SHARE_ACCOUNTS.get(Party.AGENCY if party is None else party, ())
    due = amount_due(order)
    invoice = None
    if party in (Party.HOUSEHOLD, Party.AGENCY) or party is None:
        invoice = order.invoice_requests.order_by("-created_at", "-pk").first()
    return Receipt(
        number=receipt_number(order),
        order=order,
        viewer_party=party,
        provider=payment.provider,
        status=payment.status,
        issued_at=movements[0].at if movements else payment.updated_at or timezone.now(),
        charges=_charges(order),
        amount_due=order.price if due is None else due,
        movements=movements,
        shares={account: shares.get(account, 0) for account in visible},
        invoice=invoice,
    )
