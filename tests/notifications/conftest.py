"""Socket test fixtures: a fresh channel layer per test, orders with all three parties."""

from tests.notifications.sockets import agency_order, fresh_channel_layer

__all__ = ["agency_order", "fresh_channel_layer"]
