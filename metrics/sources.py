"""Read the facts the rollups count (orders, contracts, reviews, credentials) for some or all
subjects. Used by the hooks (one order, one household, one worker) and by reconciliation
(everything)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Min

from backend.localtime import local_day
from marketplace.models import Certificate, HealthCheck, TrainingRecord, WorkerProfile
from metrics.facts import (
    Fact,
    OrderFacts,
    ServedOrder,
    worker_kind_facts,
)
from orders.models import Order, Review
from programme.models import ApplicationStatus, JobApplication

COMPLETED = "completed"


def order_facts(*, order_ids: Iterable[int] | None = None) -> Iterator[OrderFacts]:
    orders = Order.objects.all()
    reviews = Review.objects.filter(
        author_party="household", published_at__isnull=False, hidden_at__isnull=True
    )
    if order_ids is not None:
        order_ids = list(order_ids)
        orders = orders.filter(pk__in=order_ids)
        reviews = reviews.filter(order_id__in=order_ids)
    ratings = {
        order_id: (rating, published_at)
        for order_id, rating, published_at in reviews.values_list(
            "order_id", "rating", "published_at"
        )
    }
    rows = (
        orders.annotate(first_signed=Min("contracts__signed_at"))
        .values_list(
            "pk",
            "request__division_id",
            "request__category_id",
            "household_id",
            "worker_id",
            "status",
            "created_at",
            "request__created_at",
            "starts_at",
            "completed_at",
            "first_signed",
        )
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        rating, published_at = ratings.get(row[0], (None, None))
        yield OrderFacts(*row, household_rating=rating, household_review_published_at=published_at)


def household_facts(*, household_ids: Iterable[int] | None = None) -> dict[int, list[Fact]]:
    """{household user id: [(division, category, completed day) per completed order]}."""
    orders = Order.objects.filter(status=COMPLETED, completed_at__isnull=False)
    if household_ids is not None:
        orders = orders.filter(household_id__in=list(household_ids))
    facts: dict[int, list[Fact]] = defaultdict(list)
    rows = orders.values_list(
        "household_id", "request__division_id", "request__category_id", "completed_at"
    ).order_by()
    for household_id, division_id, category_id, completed_at in rows.iterator(chunk_size=5000):
        facts[household_id].append((division_id, category_id, local_day(completed_at)))
    return facts


def worker_facts(*, worker_ids: Iterable[int] | None = None) -> dict[int, dict[str, list[Fact]]]:
    """{worker id: {distinct kind: [(division, category, day)]}} for the worker kinds."""
    orders = Order.objects.all()
    trainings = TrainingRecord.objects.all()
    checks = HealthCheck.objects.all()
    certificates = Certificate.objects.all()
    hired = JobApplication.objects.filter(status=ApplicationStatus.HIRED, hired_at__isnull=False)
    trades = WorkerProfile.categories.through.objects.all()
    if worker_ids is not None:
        worker_ids = list(worker_ids)
        orders = orders.filter(worker_id__in=worker_ids)
        trainings = trainings.filter(worker_id__in=worker_ids)
        checks = checks.filter(worker_id__in=worker_ids)
        certificates = certificates.filter(worker_id__in=worker_ids)
        hired = hired.filter(worker_id__in=worker_ids)
        trades = trades.filter(workerprofile_id__in=worker_ids)

    signed, served = _signed_and_served(orders)
    trained, pre_job = _trained(trainings)
    health, health_facts = _health_checks(checks, _trades(trades))
    certified = _certified(certificates)
    placements = _hires(hired)

    everyone = set(signed) | set(served) | set(trained) | set(certified)
    everyone |= set(health_facts) | set(placements)
    if worker_ids is not None:
        everyone |= set(worker_ids)
    return {
        worker_id: worker_kind_facts(
            signed=signed.get(worker_id, ()),
            served=served.get(worker_id, ()),
            pre_job_days=pre_job.get(worker_id, ()),
            health_checks=health.get(worker_id, ()),
            trainings=trained.get(worker_id, ()),
            certificates=certified.get(worker_id, ()),
            health_facts=health_facts.get(worker_id, ()),
            hires=placements.get(worker_id, ()),
        )
        for worker_id in everyone
    }


def _signed_and_served(orders) -> tuple[dict[int, list[Fact]], dict[int, list[ServedOrder]]]:
    """Per worker: the day each order's first contract was signed, and her completed orders."""
    signed: dict[int, list[Fact]] = defaultdict(list)
    served: dict[int, list[ServedOrder]] = defaultdict(list)
    rows = (
        orders.annotate(first_signed=Min("contracts__signed_at"))
        .values_list(
            "worker_id",
            "request__division_id",
            "request__category_id",
            "status",
            "completed_at",
            "starts_at",
            "first_signed",
        )
        .order_by()
    )
    for (
        worker_id,
        division,
        category,
        status,
        completed_at,
        starts_at,
        first_signed,
    ) in rows.iterator(chunk_size=5000):
        if first_signed is not None:
            signed[worker_id].append((division, category, local_day(first_signed)))
        if status == COMPLETED and completed_at is not None:
            served[worker_id].append(
                ServedOrder(division, category, local_day(completed_at), local_day(starts_at))
            )
    return signed, served


def _trained(trainings) -> tuple[dict[int, list[Fact]], dict[int, list]]:
    """Per worker: her training records, and the days of her pre-job trainings."""
    pre_job: dict[int, list] = defaultdict(list)
    trained: dict[int, list[Fact]] = defaultdict(list)
    for worker_id, kind, division, category, completed_on in (
        trainings.values_list(
            "worker_id", "kind", "worker__division_id", "category_id", "completed_on"
        )
        .order_by()
        .iterator(chunk_size=5000)
    ):
        trained[worker_id].append((division or 0, category or 0, completed_on))
        if kind == "pre_job":
            pre_job[worker_id].append(completed_on)
    return trained, pre_job


def _trades(trades) -> dict[int, list[int]]:
    """Per worker: the ids of her trades."""
    out: dict[int, list[int]] = defaultdict(list)
    for worker_id, category_id in trades.values_list("workerprofile_id", "category_id").order_by():
        out[worker_id].append(category_id)
    return out


def _health_checks(checks, trades) -> tuple[dict[int, list], dict[int, list[Fact]]]:
    """Per worker: (done on, valid until) of each health check, and each check as a fact in
    her division for each of her trades (trade 0 when she has none)."""
    health: dict[int, list] = defaultdict(list)
    facts: dict[int, list[Fact]] = defaultdict(list)
    for worker_id, division, done_on, valid_until in checks.values_list(
        "worker_id", "worker__division_id", "done_on", "valid_until"
    ).order_by():
        health[worker_id].append((done_on, valid_until))
        for category in trades.get(worker_id) or [0]:
            facts[worker_id].append((division or 0, category, done_on))
    return health, facts


def _hires(hired) -> dict[int, list[Fact]]:
    """Per worker: her job-fair hires, on the day she accepted, in her division."""
    placements: dict[int, list[Fact]] = defaultdict(list)
    for worker_id, division, category, hired_at in hired.values_list(
        "worker_id", "worker__division_id", "opening__category_id", "hired_at"
    ).order_by():
        placements[worker_id].append((division or 0, category or 0, local_day(hired_at)))
    return placements


def _certified(certificates) -> dict[int, list[Fact]]:
    """Per worker: her certificates as facts in her division."""
    certified: dict[int, list[Fact]] = defaultdict(list)
    for worker_id, division, category, issued_on in (
        certificates.values_list("worker_id", "worker__division_id", "category_id", "issued_on")
        .order_by()
        .iterator(chunk_size=5000)
    ):
        certified[worker_id].append((division or 0, category or 0, issued_on))
    return certified
