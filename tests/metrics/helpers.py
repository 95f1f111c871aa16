"""Build order histories through the real services at chosen (faked) times."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from marketplace.models import Category, Division
from orders.models import Offer
from orders.services.attendance import order_check_in, order_complete, order_confirm
from orders.services.contracts import contract_sign
from orders.services.offers import offer_accept, offer_invite
from orders.services.requests import RequestInput, request_create
from tests import factories
from tests.orders.flow_helpers import start_code

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


class Clock:
    """timezone.now() under the test's control (services and auto_now fields read it)."""

    def __init__(self, monkeypatch):
        self.moment = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment


def book(
    *,
    clock: Clock,
    household,
    worker,
    when: dt.datetime,
    starts_at: dt.datetime,
    category: str = "housekeeper",
    division: str = "371581001000",
    accepted: dt.datetime | None = None,
):
    """Request at `when`, the worker accepts at `accepted` (default at once): the order."""
    clock.set(when)
    data = RequestInput(
        category=Category.objects.get(code=category),
        division=Division.objects.get(code=division),
        address="测试地址",
        latitude=factories.CITY_SEAT[0],
        longitude=factories.CITY_SEAT[1],
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        budget=15000,
    )
    service_request, _ = request_create(household=household.user, data=data)
    offer = Offer.objects.filter(request=service_request, worker=worker).first()
    if offer is None:
        offer, _ = offer_invite(
            request_id=service_request.pk, household=household.user, worker_id=worker.pk
        )
    if accepted is not None:
        clock.set(accepted)
    return offer_accept(offer_id=offer.pk, worker=worker)


def sign_all(*, clock: Clock, order, when: dt.datetime):
    clock.set(when)
    for user in (order.household, order.worker.user):
        contract_sign(
            order_id=order.pk, user=user, ip_address=None, user_agent="t", text_sha256=None
        )


def serve(*, clock: Clock, order, finished: dt.datetime, confirmed: dt.datetime | None = None):
    clock.set(order.starts_at)
    order_check_in(
        order_id=order.pk,
        actor=order.worker.user,
        now=order.starts_at,
        start_code=start_code(order),
    )
    order_complete(order_id=order.pk, actor=order.worker.user, now=finished)
    clock.set(confirmed or finished)
    return order_confirm(order_id=order.pk, actor=order.household)
