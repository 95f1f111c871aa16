"""Helpers shared by the request/offer/order flow tests."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from orders.models import Offer, Order, ServiceRequest
from orders.services.offers import offer_accept, offer_invite
from orders.services.requests import RequestInput, request_create
from orders.statuses import OrderStatus
from tests import factories


def local_future(days: int = 3, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware datetime `days` ahead at a Shanghai wall-clock time."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    day = (timezone.now().astimezone(tz) + dt.timedelta(days=days)).date()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def request_body(**overrides) -> dict:
    starts_at = overrides.pop("starts_at", factories.future(48))
    body = {
        "category": "housekeeper",
        "division": "371581001000",
        "address": "临清市青年路街道幸福小区3号楼2单元",
        "latitude": factories.CITY_SEAT[0],
        "longitude": factories.CITY_SEAT[1],
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + dt.timedelta(hours=3)).isoformat(),
        "budget": 15000,
        "description": "三室一厅日常保洁",
    }
    body.update(overrides)
    return body


def make_request(*, household=None, starts_at=None, hours=3, **fields) -> ServiceRequest:
    """An open one-off request created through the service (so its first wave goes out)."""
    household = household or factories.HouseholdFactory().user
    starts_at = starts_at or factories.future(48)
    data = RequestInput(
        category=factories.category(fields.pop("category", "housekeeper")),
        division=factories.division(),
        address="临清市青年路街道幸福小区3号楼2单元",
        latitude=fields.pop("latitude", factories.CITY_SEAT[0]),
        longitude=fields.pop("longitude", factories.CITY_SEAT[1]),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + dt.timedelta(hours=hours)),
        budget=fields.pop("budget", 15000),
        **fields,
    )
    service_request, _ = request_create(household=household, data=data)
    return service_request


def wave_size() -> int:
    return settings.MEIJIA["OFFER_WAVE_SIZE"]


def accepted_order(*, workers: int = 1, starts_at=None, agency=None, **fields) -> Order:
    """An order in pending_contract made by the real accept path."""
    pool = [factories.WorkerFactory() for _ in range(workers)]
    if agency is not None:
        factories.RosterEntryFactory(agency=agency, worker=pool[0])
    service_request = make_request(starts_at=starts_at, **fields)
    offer = Offer.objects.filter(request=service_request, worker=pool[0]).first()
    if offer is None:  # not in the first wave (many equal workers): invite her directly
        offer, _ = offer_invite(
            request_id=service_request.pk,
            household=service_request.household,
            worker_id=pool[0].pk,
        )
    return offer_accept(offer_id=offer.pk, worker=pool[0])


def order_in(status: str, *, starts_at=None, agency=None, **fields) -> Order:
    """An accepted order moved straight to `status` (bypassing the contract) for flow tests."""
    order = accepted_order(starts_at=starts_at, agency=agency, **fields)
    now = timezone.now()
    updates = {"status": status}
    if status in (
        OrderStatus.IN_PROGRESS,
        OrderStatus.AWAITING_CONFIRMATION,
        OrderStatus.COMPLETED,
    ):
        updates["checked_in_at"] = now
    if status in (OrderStatus.AWAITING_CONFIRMATION, OrderStatus.COMPLETED):
        updates["worker_finished_at"] = now
    if status == OrderStatus.COMPLETED:
        updates["completed_at"] = now
    Order.objects.filter(pk=order.pk).update(**updates)
    order.refresh_from_db()
    return order


def start_code(order: Order, occurrence_id=None) -> str:
    """The start code the household's order page shows for the visit a check-in is for
    (`occurrence_id`, else the one due now), as the worker would type it."""
    from orders.models import Occurrence
    from orders.services.start_codes import start_code_for_visit, start_code_visit

    order = Order.objects.select_related("request").get(pk=order.pk)
    if isinstance(occurrence_id, int):
        occurrence = Occurrence.objects.filter(pk=occurrence_id).first()
    else:
        occurrence = start_code_visit(order=order)
    return start_code_for_visit(order=order, occurrence=occurrence).code


def check_in_body(order: Order, **payload) -> dict:
    """A check-in request body carrying the right start code."""
    return {**payload, "start_code": start_code(order, payload.get("occurrence"))}
