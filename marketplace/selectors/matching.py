"""Location-based matching: the eligible workers for a request, ranked best first.

Pipeline, so that a search never scans every worker:

1. Bounding box on the indexed `base_latitude`/`base_longitude` (index `worker_base_point`),
   built for the request's maximum distance (no worker's own radius can widen the search,
   since each worker is held to min(her radius, the request's maximum)); correct at any
   latitude and across the antimeridian (marketplace.geo.bounding_box).
2. With a `limit`: the database ranks the workers in the box by the documented score
   (marketplace.selectors.ranking, plain arithmetic) and returns a bounded head of ids; only
   that head goes through the credential and busy-time EXISTS filters, the exact great-circle
   distance check and the availability check. The head grows until the best `limit` survivors
   provably beat everything not yet fetched (the SQL order is the score order, so unfetched
   rows never outrank the `limit`-th survivor), so the result equals the full search's head.
   Without a `limit`: every worker in the box goes through the same filters.
3. Exact filter: great-circle (haversine) distance ≤ min(service radius, maximum distance),
   a worker at exactly the radius included.
4. The distance shown is geopy's ellipsoidal geodesic, rounded to 0.01 km.

Ranking (marketplace.selectors.ranking): 0.40 × distance (1 - (d/R)²) + 0.30 × Bayesian rating
((5 × 4.0 + rating_sum) / (5 + rating_count), scaled to 0..1) + 0.15 × experience
(jobs / (jobs + 20)) + 0.15 × reliability ((jobs + 1) / (jobs + 1 + 2 × no-shows + late
cancellations)); higher is better, ties broken by the smaller worker id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q

from marketplace.geo import (
    BoundingBox,
    bounding_box,
    geodesic_km,
    great_circle_km,
    within_radius,
)
from marketplace.models import Category, WorkerProfile
from marketplace.selectors import ranking
from marketplace.selectors.eligibility import (
    eligible_workers,
    is_available,
    not_busy,
    service_dates,
)

Slot = tuple[dt.datetime, dt.datetime]

# A float margin: the database and Python evaluate the same arithmetic, but need not agree to
# the last bit; the head keeps growing until the margin is cleared.
SCORE_MARGIN = 1e-9
FIRST_HEAD_MULTIPLE = 4
MIN_HEAD = 32


@dataclass(frozen=True)
class MatchCandidate:
    worker: WorkerProfile  # with user and division selected
    distance_km: float  # geopy geodesic distance, rounded to 0.01 for display
    score: float  # the documented ranking score (higher is better)
    rating: float  # Bayesian average rating used in the score


def bounding_box_filter(box: BoundingBox) -> Q:
    """A WorkerProfile filter for the box, on the indexed base point columns."""
    longitudes = Q(pk__in=[])
    for low, high in box.longitude_ranges:
        longitudes |= Q(base_longitude__gte=low, base_longitude__lte=high)
    return Q(base_latitude__gte=box.min_latitude, base_latitude__lte=box.max_latitude) & longitudes


@dataclass(frozen=True)
class _Scored:
    worker: WorkerProfile
    score: float


def _exact(
    workers: Iterable[WorkerProfile],
    *,
    latitude: float,
    longitude: float,
    max_distance_km: float,
    slots: Sequence[Slot],
) -> list[_Scored]:
    """Workers within their own reach of the point and available then, scored, best first."""
    survivors = []
    for worker in workers:
        reach = min(worker.service_radius_km, max_distance_km)
        distance = great_circle_km(latitude, longitude, worker.base_latitude, worker.base_longitude)
        if not within_radius(distance, reach):
            continue
        if not is_available(worker.availability, slots):
            continue
        score = ranking.match_score(
            latitude=latitude,
            longitude=longitude,
            max_distance_km=max_distance_km,
            base_latitude=worker.base_latitude,
            base_longitude=worker.base_longitude,
            service_radius_km=worker.service_radius_km,
            rating_sum=worker.rating_sum,
            rating_count=worker.rating_count,
            completed_jobs=worker.completed_jobs,
            no_shows=worker.no_shows,
            late_cancellations=worker.late_cancellations,
        )
        survivors.append(_Scored(worker, score))
    survivors.sort(key=lambda item: (-item.score, item.worker.pk))
    return survivors


def _candidates(scored: Iterable[_Scored], *, latitude: float, longitude: float):
    return [
        MatchCandidate(
            worker=item.worker,
            distance_km=round(
                geodesic_km(
                    latitude, longitude, item.worker.base_latitude, item.worker.base_longitude
                ),
                2,
            ),
            score=item.score,
            rating=ranking.bayesian_rating(item.worker.rating_sum, item.worker.rating_count),
        )
        for item in scored
    ]


def find_matches(
    *,
    category: Category,
    latitude: float,
    longitude: float,
    max_distance_km: float,
    slots: Sequence[Slot],
    exclude_worker_ids: Iterable[int] = (),
    limit: int | None = None,
) -> list[MatchCandidate]:
    """Eligible workers for a request ranked best first (ties broken by worker id)."""
    slots = list(slots)
    excluded = list(exclude_worker_ids)
    if max_distance_km <= 0 or (limit is not None and limit <= 0):
        return []
    starts_on, ends_on = service_dates(slots)
    in_box = bounding_box_filter(bounding_box(latitude, longitude, max_distance_km))
    eligible = (
        eligible_workers(category=category, starts_on=starts_on, ends_on=ends_on)
        .filter(not_busy(slots))
        .select_related("user", "division")
    )
    point = {"latitude": latitude, "longitude": longitude, "max_distance_km": max_distance_km}

    if limit is None:
        workers = eligible.filter(in_box)
        if excluded:
            workers = workers.exclude(pk__in=excluded)
        return _candidates(
            _exact(workers, slots=slots, **point), latitude=latitude, longitude=longitude
        )

    ranked = (
        WorkerProfile.objects.filter(in_box, is_verified=True, is_accepting_offers=True)
        .annotate(match_score=ranking.score_expression(**point))
        .order_by("-match_score", "pk")
    )
    if excluded:
        ranked = ranked.exclude(pk__in=excluded)
    survivors: list[_Scored] = []
    offset = 0
    page = max(FIRST_HEAD_MULTIPLE * limit, MIN_HEAD)
    while True:
        head = list(ranked.values_list("pk", "match_score")[offset : offset + page])
        if head:
            survivors.extend(
                _exact(eligible.filter(pk__in=[pk for pk, _ in head]), slots=slots, **point)
            )
            survivors.sort(key=lambda item: (-item.score, item.worker.pk))
        exhausted = len(head) < page
        if exhausted or (
            len(survivors) >= limit and survivors[limit - 1].score > head[-1][1] + SCORE_MARGIN
        ):
            break
        offset += page
        page *= 4
    return _candidates(survivors[:limit], latitude=latitude, longitude=longitude)
