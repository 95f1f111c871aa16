"""Socket test fixtures: a fresh channel layer per test, orders with all three parties."""

import pytest
from channels.layers import channel_layers

from tests import factories


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    # Layers hold queues bound to one event loop; each async test runs on its own loop.
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def agency_order():
    """An order with a household, a worker and one agency staff member (plus a stranger)."""
    staff = factories.AgencyStaffFactory()
    order = factories.OrderFactory(agency=staff.agency)
    return order, staff.user
