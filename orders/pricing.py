"""Money rules of an order: the term in days, the price, the late-cancellation fee and a
replaced placement worker's settlement (PRODUCT.md §3). Amounts are integer fen."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings

from backend.localtime import local_day
from orders.models import Order, ServiceRequest
from orders.statuses import RequestKind


def term_days(starts_at: dt.datetime, ends_at: dt.datetime) -> int:
    """Days of a placement term, a started day counting as a whole one (even a part of a
    second past the last whole day: the price and the settlement count the same days)."""
    return math.ceil((ends_at - starts_at).total_seconds() / 86400)


def order_price_for(service_request: ServiceRequest, *, visits: int) -> int:
    """The order price in fen:

    - one-off: the budget;
    - recurring: the budget is per visit, times the number of scheduled visits;
    - placement per day: unit price × term days (a started day counts whole);
    - placement per month: unit price per 30 days, pro rata by term days, rounded to a fen.
    """
    if service_request.kind == RequestKind.RECURRING:
        return service_request.budget * visits
    if service_request.kind == RequestKind.PLACEMENT:
        days = term_days(service_request.starts_at, service_request.ends_at)
        unit = service_request.placement_unit_price or 0
        if service_request.placement_price_unit == ServiceRequest.PriceUnit.MONTH:
            return round(unit * days / 30)
        return unit * days
    return service_request.budget


def late_cancellation_fee(price: int) -> int:
    """What a household owes for a late cancellation: LATE_CANCELLATION_FEE_PERCENT % of the
    price, rounded down to a fen (the contract states the same amount)."""
    return price * settings.MEIJIA["LATE_CANCELLATION_FEE_PERCENT"] // 100


def days_served(*, starts_at: dt.datetime, until: dt.datetime) -> int:
    """Calendar days (Asia/Shanghai) from the start day to `until`'s day, both included."""
    if until <= starts_at:
        return 0
    return (local_day(until) - local_day(starts_at)).days + 1


def settlement_for(*, order: Order, service_request: ServiceRequest, days: int) -> int:
    """A replaced placement worker's settlement in fen for `days` served: days × the unit
    price per day (a monthly price / 30, half up); without a unit price, the order price /
    term days (half up). Never more than the order price."""
    unit = service_request.placement_unit_price
    if unit and service_request.placement_price_unit == ServiceRequest.PriceUnit.MONTH:
        amount = (days * unit * 2 + 30) // 60  # days × unit / 30, half up
    elif unit:
        amount = days * unit
    else:
        term = term_days(order.starts_at, order.ends_at)
        amount = (days * order.price * 2 + term) // (2 * term)
    return min(amount, order.price)
