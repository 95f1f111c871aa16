"""The payments ledger: signed double entry, integer fen, currency CNY.

Every money movement of an order is posted as a group of LedgerEntry lines sharing one
`movement` key; debits are positive, credits negative, and the lines of a movement sum to zero
(`ledger_post` refuses anything else; a unique constraint refuses posting a line twice).

Accounts (orders.models.payments.LedgerAccount):
- card_hold / card_hold_offset — a memo pair for authorisations on the household's card: an
  authorisation debits card_hold and credits the offset; capture or release reverses both.
- stripe_balance — money the platform holds at Stripe: card captures and off-session charges
  (+), refunds and payout transfers (−).
- platform_commission — the platform's commission (credit, −; refunds give it back).
- agency_payable — the agency's share, owed to it (credit, −); payouts debit it (+), and so
  does money the agency collected in hand for the order (offline_received, +).
- worker_payable — the worker's share, owed to her (credit, −); payouts debit it (+), and so
  does money she collected in hand on an order without an agency.

Money received for an order (capture, fee, offline) is split at once by `split`: the platform
takes PLATFORM_COMMISSION_PERCENT, the agency (when the order has one) AGENCY_COMMISSION_PERCENT
of the rest, the worker the remainder (rounding goes to the worker). A refund reverses the
split of the refunded amount. Offline money is collected by the order's agency (or, with no
agency, the worker): it debits the collector's payable, so a negative balance there is what
the collector owes the platform and the worker out of the cash in hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from orders.models import LedgerEntry, Order
from orders.models.payments import LedgerAccount, LedgerKind

Account = LedgerAccount
Kind = LedgerKind


class LedgerUnbalanced(Exception):
    """A movement whose lines do not sum to zero (a programming error)."""


@dataclass(frozen=True)
class Split:
    platform: int
    agency: int
    worker: int


def split(amount: int, *, has_agency: bool) -> Split:
    """Share `amount` fen between platform, agency and worker (integer fen, sums to amount)."""
    percent = settings.PAYMENTS
    platform = amount * percent["PLATFORM_COMMISSION_PERCENT"] // 100
    agency = (amount - platform) * percent["AGENCY_COMMISSION_PERCENT"] // 100 if has_agency else 0
    return Split(platform=platform, agency=agency, worker=amount - platform - agency)


def ledger_post(
    *,
    order: Order,
    movement: str,
    lines: Iterable[tuple[str, str, int]],
    operation=None,
    now=None,
) -> bool:
    """Post one movement: lines of (account, kind, signed amount). False when already posted.

    Raises LedgerUnbalanced when the lines do not sum to zero. Call inside the transaction
    that records the operation (the payment row locked).
    """
    rows = [(account, kind, amount) for account, kind, amount in lines if amount != 0]
    if sum(amount for _, _, amount in rows) != 0:
        raise LedgerUnbalanced(f"movement {movement} does not balance: {rows}")
    if not rows or LedgerEntry.objects.filter(movement=movement).exists():
        return False
    now = now or timezone.now()
    try:
        with transaction.atomic():
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(
                        order=order,
                        movement=movement,
                        account=account,
                        kind=kind,
                        amount=amount,
                        operation=operation,
                        created_at=now,
                    )
                    for account, kind, amount in rows
                ]
            )
    except IntegrityError:
        return False
    return True


def split_lines(amount: int, *, has_agency: bool, sign: int = -1) -> list:
    """The split of money received (credits, sign −1) or of money refunded (sign +1)."""
    shares = split(amount, has_agency=has_agency)
    return [
        (Account.PLATFORM_COMMISSION, Kind.COMMISSION, sign * shares.platform),
        (Account.AGENCY_PAYABLE, Kind.EARNINGS, sign * shares.agency),
        (Account.WORKER_PAYABLE, Kind.EARNINGS, sign * shares.worker),
    ]


def received_lines(*, cash_account: str, kind: str, amount: int, has_agency: bool) -> list:
    """Money in (capture, fee, or offline cash into the collector's account) and its split."""
    return [(cash_account, kind, amount), *split_lines(amount, has_agency=has_agency)]


def refund_lines(*, amount: int, has_agency: bool) -> list:
    return [
        (Account.STRIPE_BALANCE, Kind.REFUNDED, -amount),
        *split_lines(amount, has_agency=has_agency, sign=1),
    ]


def hold_lines(amount: int) -> list:
    return [
        (Account.CARD_HOLD, Kind.AUTHORISED, amount),
        (Account.CARD_HOLD_OFFSET, Kind.AUTHORISED, -amount),
    ]


def release_lines(amount: int) -> list:
    return [
        (Account.CARD_HOLD, Kind.RELEASED, -amount),
        (Account.CARD_HOLD_OFFSET, Kind.RELEASED, amount),
    ]


def payout_lines(*, payee_account: str, amount: int) -> list:
    return [
        (payee_account, Kind.PAYOUT, amount),
        (Account.STRIPE_BALANCE, Kind.PAYOUT, -amount),
    ]


def account_balances(queryset=None) -> dict[str, int]:
    """Sum of lines per account over `queryset` (all entries by default)."""
    queryset = LedgerEntry.objects.all() if queryset is None else queryset
    return {
        row["account"]: row["total"]
        for row in queryset.values("account").annotate(total=Sum("amount")).order_by("account")
    }


def order_balances(order_id: int) -> dict[str, int]:
    return account_balances(LedgerEntry.objects.filter(order_id=order_id))
