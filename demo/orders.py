"""A year of orders written as the order services would have left them: service requests,
accepted offers and orders in every state, then their records (`demo.order_records`)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from demo.bulk import DemoSummary, stamps_set
from demo.order_plans import (
    OrderPeople,
    PlannedOrder,
    Timeline,
    order_people,
    orders_plan,
    timeline_drawn,
)
from demo.order_records import order_records_create
from orders.models import Offer, Order, ServiceRequest
from orders.statuses import OfferSource, OfferStatus, OrderStatus, Party, RequestStatus


def _requests_create(plans: list[PlannedOrder], people: OrderPeople) -> list[ServiceRequest]:
    requests = ServiceRequest.objects.bulk_create(
        [
            ServiceRequest(
                household_id=p.household.user_id,
                category_id=p.category_id,
                division_id=p.household.division_id,
                address=p.household.address,
                latitude=p.household.latitude,
                longitude=p.household.longitude,
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                budget=p.price,
                max_distance_km=settings.MEIJIA["DEFAULT_MAX_DISTANCE_KM"],
                description=f"{people.categories[p.category_id].name_zh}服务，请准时到达。",
                status=RequestStatus.CANCELLED
                if p.status == OrderStatus.CANCELLED
                else RequestStatus.MATCHED,
                matched_at=p.matched,
            )
            for p in plans
        ]
    )
    stamps_set(requests, created_at=[p.requested for p in plans])
    return requests


def _offers_create(plans: list[PlannedOrder], requests: list[ServiceRequest]) -> list[Offer]:
    """The one offer each request matched, accepted when the order began."""
    offers = Offer.objects.bulk_create(
        [
            Offer(
                request=request,
                worker_id=p.worker["id"],
                status=OfferStatus.ACCEPTED,
                source=OfferSource.MATCHING,
                rank=1,
                score=round(p.rng.uniform(0.6, 0.95), 3),
                distance_km=round(p.rng.uniform(0.5, 12), 1),
                expires_at=p.requested + dt.timedelta(minutes=15),
                responded_at=p.matched,
            )
            for p, request in zip(plans, requests, strict=True)
        ]
    )
    stamps_set(offers, created_at=[p.requested for p in plans])
    return offers


def _order(plan: PlannedOrder, request: ServiceRequest, offer: Offer, t: Timeline) -> Order:
    return Order(
        request=request,
        offer_id=offer.pk,
        household_id=plan.household.user_id,
        worker_id=plan.worker["id"],
        agency_id=plan.worker["agency_id"],
        status=plan.status,
        price=plan.price,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        checked_in_at=t.checked_in,
        worker_finished_at=t.finished,
        completed_at=t.completed,
        cancelled_at=t.cancelled,
        cancelled_by_party=(
            plan.rng.choice([Party.HOUSEHOLD, Party.HOUSEHOLD, Party.WORKER]) if t.cancelled else ""
        ),
    )


def _orders_create(plans, requests, offers, *, people: OrderPeople, now) -> tuple[list, list]:
    """The orders and the timeline each one followed."""
    orders, timelines = [], []
    for plan, request, offer in zip(plans, requests, offers, strict=True):
        t = timeline_drawn(plan, now)
        request.category = people.categories[plan.category_id]
        orders.append(_order(plan, request, offer, t))
        timelines.append(t)
    orders = Order.objects.bulk_create(orders)
    last_change = [t.last_change(p.matched) for p, t in zip(plans, timelines, strict=True)]
    stamps_set(orders, created_at=[p.matched for p in plans], updated_at=last_change)
    return orders, timelines


def demo_orders_history_ensure(
    *, seed: int, count: int, workers: list[dict], summary: DemoSummary
) -> None:
    """`count` orders over the last 12 months in every state, with contracts, signatures,
    visits, events, reviews and disputes. Call inside demo_history_ensure's transaction."""
    now = timezone.now().replace(second=0, microsecond=0)
    people = order_people(workers)
    plans = orders_plan(seed=seed, count=count, people=people, now=now)
    requests = _requests_create(plans, people)
    offers = _offers_create(plans, requests)
    orders, timelines = _orders_create(plans, requests, offers, people=people, now=now)
    order_records_create(plans, orders, timelines, people=people, now=now, summary=summary)
    summary.add("requests", len(requests))
    summary.add("orders", len(orders))
