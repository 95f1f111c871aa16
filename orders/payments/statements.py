"""Monthly statements of an agency or a worker, computed from the ledger, and their CSV.

One row per money movement in the month (Asia/Shanghai): money received or refunded for an
order (gross, the commission taken, the payee's earnings), offline cash the payee collected,
and payouts. Card holds are memo lines and do not appear.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from backend import input_rules
from backend.exceptions import ValidationFailed
from backend.localtime import local_zone
from backend.money import yuan_number
from orders.models import LedgerEntry
from orders.models.payments import LedgerAccount, LedgerKind

MONEY_KINDS = (
    LedgerKind.CAPTURED,
    LedgerKind.FEE,
    LedgerKind.REFUNDED,
    LedgerKind.OFFLINE_RECEIVED,
)


@dataclass
class StatementRow:
    date: dt.date
    order_id: int
    kind: str
    gross: int = 0
    commission: int = 0
    earnings: int = 0
    collected: int = 0
    payout: int = 0


@dataclass
class Statement:
    month: str
    payee: str
    rows: list[StatementRow] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        keys = ("gross", "commission", "earnings", "collected", "payout")
        totals = {key: sum(getattr(row, key) for row in self.rows) for key in keys}
        # What the platform owes the payee for this month's movements (negative: the payee
        # owes, e.g. commission out of offline cash collected).
        totals["balance"] = totals["earnings"] - totals["payout"] - totals["collected"]
        return totals

    def as_dict(self) -> dict:
        return {
            "month": self.month,
            "payee": self.payee,
            "currency": "CNY",
            "totals": self.totals,
            "rows": [
                {
                    "date": row.date.isoformat(),
                    "order": row.order_id,
                    "kind": row.kind,
                    "gross": row.gross,
                    "commission": row.commission,
                    "earnings": row.earnings,
                    "collected": row.collected,
                    "payout": row.payout,
                }
                for row in self.rows
            ],
        }


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (exclusive) of a YYYY-MM month in the site's time zone."""
    try:
        first = dt.datetime.strptime(month or "", "%Y-%m")
    except ValueError as error:
        raise ValidationFailed(_("月份格式应为YYYY-MM。"), field="month") from error
    if problem := input_rules.date_problem(first.date()):
        raise ValidationFailed(problem[1], field="month", code=problem[0])
    zone = local_zone()
    start = first.replace(tzinfo=zone)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, following.replace(tzinfo=zone)


def _statement(*, entries, month: str, payee: str, payee_account: str) -> Statement:
    zone = local_zone()
    by_movement: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_movement[entry.movement].append(entry)
    statement = Statement(month=month, payee=payee)
    for lines in by_movement.values():
        first = lines[0]
        row = StatementRow(
            date=first.created_at.astimezone(zone).date(), order_id=first.order_id, kind=""
        )
        for line in lines:
            if line.kind in MONEY_KINDS:
                row.kind, row.gross = line.kind, line.amount
                if line.account == payee_account:
                    row.collected = line.amount
            elif line.kind == LedgerKind.PAYOUT and line.account == payee_account:
                row.kind, row.payout = LedgerKind.PAYOUT, line.amount
            elif line.kind == LedgerKind.EARNINGS and line.account == payee_account:
                row.earnings = -line.amount
            elif line.kind in (LedgerKind.COMMISSION, LedgerKind.EARNINGS):
                row.commission -= line.amount
        if row.kind:
            statement.rows.append(row)
    statement.rows.sort(key=lambda row: (row.date, row.order_id))
    return statement


def _entries(month: str, **order_filter):
    start, end = month_bounds(month)
    return (
        LedgerEntry.objects.filter(created_at__gte=start, created_at__lt=end, **order_filter)
        .exclude(kind__in=(LedgerKind.AUTHORISED, LedgerKind.RELEASED))
        .order_by("created_at", "id")
    )


def statement_of_agency(*, agency, month: str) -> Statement:
    """The agency's month: its share of each order's money, offline cash, payouts to it."""
    # The worker's share is not the agency's commission: only the platform's cut counts.
    entries = [
        entry
        for entry in _entries(month, order__agency=agency)
        if entry.account != LedgerAccount.WORKER_PAYABLE
    ]
    return _statement(
        entries=entries,
        month=month,
        payee=agency.name,
        payee_account=LedgerAccount.AGENCY_PAYABLE,
    )


def statement_of_worker(*, worker, month: str) -> Statement:
    """The worker's month: her share (after platform and agency commission), payouts to her."""
    return _statement(
        entries=list(_entries(month, order__worker=worker)),
        month=month,
        payee=worker.user.display_name or worker.user.username,
        payee_account=LedgerAccount.WORKER_PAYABLE,
    )


def statement_csv(statement: Statement) -> str:
    """The statement as CSV text with a UTF-8 BOM (opens correctly in Excel), amounts in 元."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("日期"),
            _("订单"),
            _("类型"),
            _("金额（元）"),
            _("佣金（元）"),
            _("收入（元）"),
            _("代收现金（元）"),
            _("结算转账（元）"),
        ]
    )
    labels = dict(LedgerKind.choices)
    for row in statement.rows:
        writer.writerow(
            [
                row.date.isoformat(),
                row.order_id,
                str(labels.get(row.kind, row.kind)),
                yuan_number(row.gross),
                yuan_number(row.commission),
                yuan_number(row.earnings),
                yuan_number(row.collected),
                yuan_number(row.payout),
            ]
        )
    totals = statement.totals
    writer.writerow(
        [
            _("合计"),
            "",
            "",
            yuan_number(totals["gross"]),
            yuan_number(totals["commission"]),
            yuan_number(totals["earnings"]),
            yuan_number(totals["collected"]),
            yuan_number(totals["payout"]),
        ]
    )
    return "\ufeff" + buffer.getvalue()
