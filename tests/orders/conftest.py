"""Fixtures for tests/orders. Only opt-in fixtures here (nothing autouse): the payments tests
ask for `stripe_on` / `localstripe_url`, which start localstripe once per session."""

from tests.orders.payments_helpers import localstripe_url, stripe_on  # noqa: F401
