from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("订单")

    def ready(self):
        # An offer's expiry counts from when it reached the worker (orders.services.offer_reach).
        from notifications.delivery import on_delivered
        from notifications.events import OFFER_CREATED
        from orders.services.offer_reach import offer_reached

        on_delivered(OFFER_CREATED, offer_reached)
