"""One demo order written as the order services leave it, for the standing orders, the safety
alerts and the appeals: its request (any kind), the accepted offer, the order, its visits,
contract v1 signed by every party, and the events of its acceptance and signing.

Rows are written one order at a time (a handful per seed) and back-dated with `stamps_set`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from demo.bulk import stamps_set
from marketplace.models import AgencyStaff, Category, HouseholdProfile, RosterEntry, WorkerProfile
from orders.models import (
    Contract,
    ContractSignature,
    Occurrence,
    Offer,
    Order,
    OrderEvent,
    ServiceRequest,
)
from orders.pricing import order_price_for
from orders.services.contracts import (
    contract_render,
    contract_terms,
    required_parties_of,
    text_digest,
)
from orders.statuses import (
    ContractStatus,
    OfferSource,
    OfferStatus,
    OrderStatus,
    Party,
    RequestKind,
    RequestStatus,
)

SIGNING_USER_AGENT = "Mozilla/5.0 (Linux; Android 10) 家政美家演示"


@dataclass
class OrderSpec:
    """What the household asked for, whom it matched, and when."""

    household: HouseholdProfile
    worker: WorkerProfile
    category_code: str
    slots: list[tuple[dt.datetime, dt.datetime]]
    budget: int
    matched: dt.datetime
    description: str
    kind: str = RequestKind.ONE_OFF
    status: str = OrderStatus.CONFIRMED
    request_fields: dict = field(default_factory=dict)


def worker_agency_id(worker: WorkerProfile) -> int | None:
    return (
        RosterEntry.objects.filter(worker=worker, status=RosterEntry.Status.ACTIVE)
        .values_list("agency_id", flat=True)
        .first()
    )


def agency_owner_id(agency_id: int | None) -> int | None:
    if agency_id is None:
        return None
    return (
        AgencyStaff.objects.filter(agency_id=agency_id, staff_role=AgencyStaff.StaffRole.OWNER)
        .values_list("user_id", flat=True)
        .first()
    )


def event_write(order: Order, when, *, actor_id, before, after, reason, data=None) -> OrderEvent:
    """One order event, back-dated to `when` (no live frame: the demo is history)."""
    event = OrderEvent.objects.create(
        order=order,
        actor_id=actor_id,
        from_status=before,
        to_status=after,
        reason=reason,
        data=data or {},
    )
    stamps_set([event], created_at=[when])
    return event


def _request_write(spec: OrderSpec) -> ServiceRequest:
    home = spec.household
    first, last = spec.slots[0][0], spec.slots[-1][1]
    request = ServiceRequest.objects.create(
        household_id=home.user_id,
        category=Category.objects.get(code=spec.category_code),
        division_id=home.division_id,
        address=home.address,
        latitude=home.latitude,
        longitude=home.longitude,
        starts_at=first,
        ends_at=last,
        budget=spec.budget,
        description=spec.description,
        max_distance_km=settings.MEIJIA["DEFAULT_MAX_DISTANCE_KM"],
        kind=spec.kind,
        status=RequestStatus.CANCELLED
        if spec.status == OrderStatus.CANCELLED
        else RequestStatus.MATCHED,
        matched_at=spec.matched,
        **spec.request_fields,
    )
    stamps_set([request], created_at=[spec.matched - dt.timedelta(hours=3)])
    return request


def _signed_contract_write(order: Order, signed: dt.datetime, matched: dt.datetime) -> None:
    terms = contract_terms(order=order, version=1)
    text = contract_render(terms=terms)
    contract = Contract.objects.create(
        order=order,
        version=1,
        text=text,
        text_sha256=text_digest(text),
        terms=terms,
        required_parties=required_parties_of(order),
        status=ContractStatus.SIGNED,
        signed_at=signed,
    )
    stamps_set([contract], created_at=[matched])
    signers = {
        Party.HOUSEHOLD: order.household_id,
        Party.WORKER: order.worker.user_id,
        Party.AGENCY: agency_owner_id(order.agency_id),
    }
    parties = contract.required_parties
    signatures = ContractSignature.objects.bulk_create(
        [
            ContractSignature(
                contract=contract,
                party=party,
                signer_id=signers[party],
                text_sha256=contract.text_sha256,
                user_agent=SIGNING_USER_AGENT,
            )
            for party in parties
        ]
    )
    step = (signed - matched) / len(parties)
    stamps_set(signatures, signed_at=[matched + step * (n + 1) for n in range(len(parties))])


def order_write(spec: OrderSpec, **order_fields) -> tuple[Order, list[Occurrence]]:
    """The request, offer, order (status and `order_fields` as given), its scheduled visits,
    the signed contract and the accepted → signed events. Visits are changed by the caller."""
    request = _request_write(spec)
    offer = Offer.objects.create(
        request=request,
        worker=spec.worker,
        status=OfferStatus.ACCEPTED,
        source=OfferSource.MATCHING,
        rank=1,
        score=0.9,
        distance_km=2.4,
        expires_at=spec.matched + dt.timedelta(minutes=15),
        responded_at=spec.matched,
    )
    stamps_set([offer], created_at=[spec.matched - dt.timedelta(minutes=10)])
    order = Order.objects.create(
        request=request,
        offer_id=offer.pk,
        household_id=spec.household.user_id,
        worker=spec.worker,
        agency_id=worker_agency_id(spec.worker),
        status=spec.status,
        price=order_price_for(request, visits=len(spec.slots)),
        starts_at=spec.slots[0][0],
        ends_at=spec.slots[-1][1],
        **order_fields,
    )
    stamps_set([order], created_at=[spec.matched])
    visits = Occurrence.objects.bulk_create(
        [
            Occurrence(
                request=request,
                order=order,
                worker=spec.worker,
                starts_at=start,
                ends_at=end,
                original_starts_at=start,
            )
            for start, end in spec.slots
        ]
    )
    signed = spec.matched + dt.timedelta(hours=6)
    _signed_contract_write(order, signed, spec.matched)
    worker_user_id = spec.worker.user_id
    event_write(
        order,
        spec.matched,
        actor_id=worker_user_id,
        before="",
        after=OrderStatus.PENDING_CONTRACT,
        reason="服务员接受邀约",
    )
    event_write(
        order,
        signed,
        actor_id=spec.household.user_id,
        before=OrderStatus.PENDING_CONTRACT,
        after=OrderStatus.CONFIRMED,
        reason="各方已签署合同",
    )
    return order, visits
