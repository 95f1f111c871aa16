"""A small history through the real services: a served, paid-for, reviewed order with chat."""

import datetime as dt

from django.utils import timezone

from chat.services import chat_message_send
from orders.models import Payment
from orders.models.payments import PaymentStatus
from orders.services.reviews import review_create
from tests import factories
from tests.metrics.helpers import at, book, serve, sign_all

HOUSEHOLD_MESSAGE = "阿姨您好，钥匙在门口地垫下。"
WORKER_MESSAGE = "好的，我九点到。"


def served_order(clock, *, household=None, worker=None, paid: bool = True):
    """An order booked, signed, served, confirmed and reviewed by both sides, with two chat
    messages; its payment settled when `paid`."""
    started = clock.moment
    household = household or factories.HouseholdFactory()
    worker = worker or factories.WorkerFactory()
    day = timezone.localdate() - dt.timedelta(days=10)
    order = book(
        clock=clock,
        household=household,
        worker=worker,
        when=at(day - dt.timedelta(days=2), 9),
        starts_at=at(day, 9),
    )
    sign_all(clock=clock, order=order, when=at(day - dt.timedelta(days=2), 10))
    chat_message_send(
        order_id=order.pk, sender=household.user, body=HOUSEHOLD_MESSAGE, client_id=None
    )
    chat_message_send(order_id=order.pk, sender=worker.user, body=WORKER_MESSAGE, client_id=None)
    serve(clock=clock, order=order, finished=at(day, 12))
    clock.set(at(day, 13))
    review_create(order_id=order.pk, user=household.user, rating=5, comment="干活仔细，王家很满意")
    review_create(order_id=order.pk, user=worker.user, rating=4, comment="雇主很客气")
    Payment.objects.update_or_create(
        order=order,
        defaults={
            "status": PaymentStatus.PAID if paid else PaymentStatus.UNPAID,
            "amount_captured": order.price if paid else 0,
        },
    )
    clock.set(started)
    order.refresh_from_db()
    return order
