"""What each demo order left behind: its visit, its event trail, contract v1 and the
signatures on it, a dispute when it is disputed, and the reviews written after it."""

import datetime as dt
import random

from demo.bulk import DemoSummary, stamps_set
from demo.order_plans import OrderPeople, PlannedOrder, Timeline
from orders.models import (
    Contract,
    ContractSignature,
    Dispute,
    Occurrence,
    Order,
    OrderEvent,
    Review,
)
from orders.services.contracts import (
    contract_render,
    contract_terms,
    required_parties_of,
    text_digest,
)
from orders.statuses import ContractStatus, DisputeStatus, OccurrenceStatus, OrderStatus, Party

HOUSEHOLD_COMMENTS = [
    "干活细致，很满意",
    "准时到达，态度很好",
    "专业负责，推荐",
    "还可以",
    "非常耐心",
]
WORKER_COMMENTS = ["雇主很客气", "沟通顺畅", "家里很好找", "按时结算"]
CANCEL_REASONS = ["行程有变", "家里临时有事", "时间冲突"]
SIGNING_USER_AGENT = "Mozilla/5.0 (Linux; Android 10) 家政美家演示"


def _rating(rng: random.Random) -> int:
    return rng.choices([5, 4, 3, 2], weights=[62, 28, 8, 2])[0]


def _occurrence(order: Order, t: Timeline) -> Occurrence:
    return Occurrence(
        request_id=order.request_id,
        order=order,
        worker_id=order.worker_id,
        starts_at=order.starts_at,
        ends_at=order.ends_at,
        original_starts_at=order.starts_at,
        status=OccurrenceStatus.CANCELLED if t.cancelled else OccurrenceStatus.SCHEDULED,
        checked_in_at=t.checked_in,
        checked_out_at=t.finished,
    )


def _events(plan: PlannedOrder, order: Order, t: Timeline, worker_user) -> tuple[list, list]:
    """The order's (event, when) trail, and its (dispute, opened) when it is disputed."""
    household_user, events, disputes = order.household, [], []

    def event(when, actor, before, after, reason):
        row = OrderEvent(
            order=order, actor=actor, from_status=before, to_status=after, reason=reason
        )
        events.append((row, when))

    event(plan.matched, worker_user, "", OrderStatus.PENDING_CONTRACT, "服务员接受邀约")
    current = OrderStatus.PENDING_CONTRACT
    if t.signed:
        event(t.signed, household_user, current, OrderStatus.CONFIRMED, "各方已签署合同")
        current = OrderStatus.CONFIRMED
    if t.cancelled:
        actor = household_user if order.cancelled_by_party == Party.HOUSEHOLD else worker_user
        reason = plan.rng.choice(CANCEL_REASONS)
        event(t.cancelled, actor, current, OrderStatus.CANCELLED, reason)
    if t.checked_in:
        event(t.checked_in, worker_user, current, OrderStatus.IN_PROGRESS, "服务员签到")
        current = OrderStatus.IN_PROGRESS
    if t.finished:
        event(t.finished, worker_user, current, OrderStatus.AWAITING_CONFIRMATION, "服务员完工")
        current = OrderStatus.AWAITING_CONFIRMATION
    if t.completed:
        late = t.completed - t.finished >= dt.timedelta(hours=48)
        reason = "48小时未确认，自动确认完成" if late else "雇主确认完成"
        actor = None if late else household_user
        event(t.completed, actor, current, OrderStatus.COMPLETED, reason)
    if order.status == OrderStatus.DISPUTED:
        opened = t.finished + dt.timedelta(hours=plan.rng.randint(1, 20))
        event(opened, household_user, current, OrderStatus.DISPUTED, "服务质量有争议")
        dispute = Dispute(
            order=order,
            opened_by=household_user,
            previous_status=current,
            reason="部分房间没有打扫干净，要求返工或部分退款。",
            status=DisputeStatus.OPEN,
        )
        disputes.append((dispute, opened))
    return events, disputes


def _contract(order: Order, t: Timeline) -> Contract:
    """Contract v1 as drafted at acceptance; signed by every party when signed."""
    terms = contract_terms(order=order, version=1)
    text = contract_render(terms=terms)
    return Contract(
        order=order,
        version=1,
        text=text,
        text_sha256=text_digest(text),
        terms=terms,
        required_parties=required_parties_of(order),
        status=ContractStatus.SIGNED if t.signed else ContractStatus.AWAITING_SIGNATURES,
        signed_at=t.signed,
    )


def _reviews(plan: PlannedOrder, order: Order, t: Timeline, worker_user, now) -> list:
    """(review, written) pairs; published when both wrote, or when the 14-day window closed."""
    rng = plan.rng
    window_closes = t.completed + dt.timedelta(days=14)
    written = []
    if rng.random() < 0.75:
        written.append((Party.HOUSEHOLD, order.household, HOUSEHOLD_COMMENTS))
    if rng.random() < 0.55:
        written.append((Party.WORKER, worker_user, WORKER_COMMENTS))
    times = [t.completed + dt.timedelta(hours=rng.randint(1, 200)) for _ in written]
    times = [min(moment, now) for moment in times]
    if len(written) == 2:
        published = max(times)
    else:
        published = window_closes if window_closes <= now else None
    return [
        (
            Review(
                order=order,
                author=author,
                author_party=party,
                rating=_rating(rng),
                comment=rng.choice(comments),
                published_at=published,
            ),
            moment,
        )
        for (party, author, comments), moment in zip(written, times, strict=True)
    ]


def _signatures_create(contracts: list, plans: list, timelines: list, owners: dict) -> None:
    """Every required party signs in turn between the match and the moment it was signed."""
    signatures, signed_times = [], []
    for contract, plan, t in zip(contracts, plans, timelines, strict=True):
        if not t.signed:
            continue
        signers = {
            Party.HOUSEHOLD: plan.household.user_id,
            Party.WORKER: plan.worker["user_id"],
            Party.AGENCY: owners.get(plan.worker["agency_id"]),
        }
        parties = contract.required_parties
        for index, party in enumerate(parties):
            signatures.append(
                ContractSignature(
                    contract=contract,
                    party=party,
                    signer_id=signers[party],
                    text_sha256=contract.text_sha256,
                    user_agent=SIGNING_USER_AGENT,
                )
            )
            step = (t.signed - plan.matched) * (index + 1) / len(parties)
            signed_times.append(plan.matched + step)
    signatures = ContractSignature.objects.bulk_create(signatures, batch_size=1000)
    stamps_set(signatures, signed_at=signed_times)


def _pairs_create(model, pairs: list, stamp: str, **options) -> list:
    """Bulk-create the (row, when) pairs' rows and back-date their `stamp` column to `when`."""
    created = model.objects.bulk_create([row for row, _when in pairs], **options)
    stamps_set(created, **{stamp: [when for _row, when in pairs]})
    return created


def order_records_create(
    plans: list, orders: list, timelines: list, *, people: OrderPeople, now, summary: DemoSummary
) -> None:
    """Visits, events, contracts, signatures, disputes and reviews of the saved orders."""
    occurrences, events, contracts, disputes, reviews = [], [], [], [], []
    for plan, order, t in zip(plans, orders, timelines, strict=True):
        worker_user = people.users[plan.worker["user_id"]]
        order.worker = people.profiles[order.worker_id]
        order.household = people.users[order.household_id]
        occurrences.append(_occurrence(order, t))
        order_events, order_disputes = _events(plan, order, t, worker_user)
        events += order_events
        disputes += order_disputes
        contracts.append(_contract(order, t))
        if t.completed:
            reviews += _reviews(plan, order, t, worker_user, now)
    Occurrence.objects.bulk_create(occurrences)
    _pairs_create(OrderEvent, events, "created_at", batch_size=1000)
    contracts = Contract.objects.bulk_create(contracts)
    stamps_set(contracts, created_at=[p.matched for p in plans])
    _signatures_create(contracts, plans, timelines, people.owners)
    _pairs_create(Dispute, disputes, "opened_at")
    _pairs_create(Review, reviews, "created_at")
    summary.add("contracts", len(contracts))
    summary.add("reviews", len(reviews))
