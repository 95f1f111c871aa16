"""The money rules in orders.pricing: one term in days for the price and the settlement."""

import datetime as dt

from orders.models import Order, ServiceRequest
from orders.pricing import late_cancellation_fee, order_price_for, settlement_for, term_days

START = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)


def test_a_started_day_counts_whole_even_by_part_of_a_second():
    assert term_days(START, START + dt.timedelta(days=26)) == 26
    assert term_days(START, START + dt.timedelta(days=26, seconds=1)) == 27
    # The case two copies of the rule once disagreed on (one dropped the fraction of a second).
    assert term_days(START, START + dt.timedelta(days=26, milliseconds=500)) == 27


def test_price_and_settlement_count_the_same_term():
    ends_at = START + dt.timedelta(days=26, milliseconds=500)
    placement = ServiceRequest(
        kind="placement",
        budget=1,
        starts_at=START,
        ends_at=ends_at,
        placement_price_unit="day",
        placement_unit_price=100,
    )
    assert order_price_for(placement, visits=1) == 27 * 100
    # Without a unit price the daily share is the order price over the same 27 days.
    order = Order(price=2700, starts_at=START, ends_at=ends_at)
    placement.placement_unit_price = None
    assert settlement_for(order=order, service_request=placement, days=1) == 100
    assert settlement_for(order=order, service_request=placement, days=27) == 2700


def test_late_cancellation_fee_is_the_percentage_rounded_down(settings):
    settings.MEIJIA = {**settings.MEIJIA, "LATE_CANCELLATION_FEE_PERCENT": 30}
    assert late_cancellation_fee(999) == 299
