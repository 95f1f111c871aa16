"""Location-based matching: the eligible workers for a request, ranked best first.

Pipeline, so that a search never scans every worker:

1. Bounding box built for the request's maximum distance (no worker's own radius can widen
   the search, since each worker is held to min(her radius, the request's maximum)); correct
   at any latitude and across the antimeridian (marketplace.geo.bounding_box). The database
   reads only the grid cells the box covers (`geo_cell IN (marketplace.geo.cells_for_box)`,
   index `worker_cell_point` on geo_cell, base_latitude, base_longitude and the columns the
   score reads: each cell is sought by the box's latitudes; longitude, planar reach and score
   are checked in the index, so the table is read only for workers that can still rank),
   then the box's own bounds. A worker whose geo_cell is NULL is read by the box bounds
   alone, so she cannot vanish. A box with more than geo.MAX_SEARCH_CELLS cells (near a
   pole) uses index `worker_base_point`.
2. With a `limit`: the database ranks the workers in the box by the documented score
   (marketplace.selectors.ranking, plain arithmetic; the SQL in box_search) and returns a
   bounded head of ids; only
   that head goes through the credential and busy-time EXISTS filters
   (eligible_probe.EligibleProbe: the ORM rules compiled once per request shape; busy time
   is the check the caller passes), the exact great-circle
   distance check and the availability check. The head grows until the best `limit` survivors
   provably beat everything not yet fetched (the SQL order is the score order, so unfetched
   rows never outrank the `limit`-th survivor), so the result equals the full search's head.
   Without a `limit`: every worker in the box goes through the same filters.
3. Exact filter: great-circle (haversine) distance ≤ min(service radius, maximum distance),
   a worker at exactly the radius included.
4. The distance shown is geopy's ellipsoidal geodesic, rounded to 0.01 km.

Ranking (marketplace.selectors.ranking): 0.55 × distance (1 - d/R) + 0.25 × Bayesian rating
((5 × 4.0 + rating_sum) / (5 + rating_count), scaled to 0..1) + 0.10 × experience
(jobs / (jobs + 20)) + 0.10 × reliability (0.75 × (jobs + 1) / (jobs + 1 + 2 × no-shows +
late cancellations) + 0.25 × asked_again / (asked_again + 3)); higher is better, ties broken
by the smaller worker id.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from marketplace.geo import (
    BoundingBox,
    bounding_box,
    geodesic_km,
    great_circle_km,
    inner_planar_radius,
    intersect,
    planar_box,
    reach_covering_planar,
    within_radius,
)
from marketplace.models import Category, WorkerProfile
from marketplace.selectors.box_search import bounding_box_filter, ranked_sql
from marketplace.selectors.eligibility import BusyRows, Slot, is_available
from marketplace.selectors.eligible_probe import EligibleProbe, eligible_queryset
from marketplace.selectors.ranking import bayesian_rating, match_score, reach_for_score

# A float margin: the database and Python evaluate the same arithmetic, but need not agree to
# the last bit; the head keeps growing until the margin is cleared.
SCORE_MARGIN = 1e-9
FIRST_HEAD_MULTIPLE = 4
MIN_HEAD = 64
# Pass 1 starts with a box of the maximum distance divided by this, doubling as needed.
FIRST_REACH_DIVISOR = 16
JUMP_FACTOR = 4


@dataclass(frozen=True)
class MatchCandidate:
    worker: WorkerProfile  # with user and division selected
    distance_km: float  # geopy geodesic distance, rounded to 0.01 for display
    score: float  # the documented ranking score (higher is better)
    rating: float  # Bayesian average rating used in the score


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
        score = match_score(
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
            asked_again=worker.asked_again_count,
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
            rating=bayesian_rating(item.worker.rating_sum, item.worker.rating_count),
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
    busy: BusyRows,
    exclude_worker_ids: Iterable[int] = (),
    limit: int | None = None,
) -> list[MatchCandidate]:
    """Eligible workers for a request ranked best first (ties broken by worker id).

    `busy` is the busy-time check (see eligibility.BusyRows): a worker with a busy row
    overlapping the slots is not matched.
    """
    slots = list(slots)
    excluded = list(exclude_worker_ids)
    if max_distance_km <= 0 or (limit is not None and limit <= 0):
        return []
    point = {"latitude": latitude, "longitude": longitude, "max_distance_km": max_distance_km}

    if limit is None:
        in_box = bounding_box_filter(bounding_box(latitude, longitude, max_distance_km))
        eligible = eligible_queryset(category=category, slots=slots, busy=busy)
        workers = eligible.select_related("user", "division").filter(in_box)
        if excluded:
            workers = workers.exclude(pk__in=excluded)
        return _candidates(
            _exact(workers, slots=slots, **point), latitude=latitude, longitude=longitude
        )

    # Growing boxes: the best `limit` found so far set a score every answer must reach, and
    # only workers within the planar reach of that score (ranking.reach_for_score) can still
    # beat it; the box grows (doubling) until it covers that reach or the maximum distance.
    probe = EligibleProbe(category=category, slots=slots, busy=busy)
    reach = max_distance_km / FIRST_REACH_DIVISOR
    threshold: float | None = None
    needed = math.inf
    while True:
        reach = min(reach, max_distance_km)
        box = bounding_box(latitude, longitude, reach)
        if needed < math.inf:
            box = intersect(box, planar_box(latitude, longitude, needed)) or box
        survivors = _best(
            box,
            excluded=excluded,
            eligible=probe,
            category=category,
            limit=limit,
            point=point,
            slots=slots,
            min_score=threshold,
            planar_reach=needed,
        )
        if len(survivors) >= limit:
            threshold = survivors[limit - 1][0] - 2 * SCORE_MARGIN
            needed = reach_for_score(score=threshold, max_distance_km=max_distance_km)
        if reach >= max_distance_km or needed <= inner_planar_radius(reach):
            break
        if threshold is None:
            # Too few yet: grow the box by the area that should hold `limit` (2x to 4x wide).
            growth = math.sqrt(2 * limit / max(len(survivors), 1))
            reach *= min(4.0, max(2.0, growth))
            continue

        # Jump straight to the reach that settles it when that is near; otherwise double.
        covering = reach_covering_planar(needed)
        reach = covering if covering <= JUMP_FACTOR * reach else 2 * reach
    workers = WorkerProfile.objects.select_related("user", "division").in_bulk(
        [pk for _, pk in survivors]
    )
    return _candidates(
        [_Scored(workers[pk], score) for score, pk in survivors if pk in workers],
        latitude=latitude,
        longitude=longitude,
    )


def _best(
    box: BoundingBox,
    *,
    excluded: list[int],
    eligible: EligibleProbe,
    category: Category,
    limit: int,
    point: dict,
    slots: Sequence[Slot],
    min_score: float | None = None,
    planar_reach: float = math.inf,
) -> list[tuple[float, int]]:
    """The best `limit` eligible workers with a base in `box` as (score, id), best first.

    The database ranks the box by score and hands over a head of rows; the head gets the exact
    distance and availability checks, then one query applies the credential and busy EXISTS
    filters to the head's ids. The head grows until the `limit`-th survivor beats the last
    fetched score, or the box is exhausted.
    """
    sql, params = ranked_sql(
        box,
        category=category,
        point=point,
        excluded=excluded,
        min_score=min_score,
        planar_reach=planar_reach,
    )
    availability_field = WorkerProfile._meta.get_field("availability")
    survivors: list[tuple[float, int]] = []
    offset = 0
    page = max(FIRST_HEAD_MULTIPLE * limit, MIN_HEAD)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, page, offset])
            head = cursor.fetchall()
        near = {}
        for row in head:
            availability = availability_field.from_db_value(row[4], None, connection)
            scored = _exact_row(row, availability, slots=slots, **point)
            if scored is not None:
                near[row[0]] = scored
        if near:
            for pk in eligible.among(list(near)):
                survivors.append((near[pk], pk))
            survivors.sort(key=lambda item: (-item[0], item[1]))
        if len(head) < page or (
            len(survivors) >= limit and survivors[limit - 1][0] > head[-1][-1] + SCORE_MARGIN
        ):
            return survivors[:limit]
        offset += page
        page *= 4


def _exact_row(
    row: tuple, availability, *, latitude: float, longitude: float, max_distance_km: float, slots
) -> float | None:
    """The score of a head row that passes the exact distance and availability checks."""
    (_, base_lat, base_lon, radius, _, r_sum, r_count, jobs, no_shows, late, asked) = row[:11]
    distance = great_circle_km(latitude, longitude, base_lat, base_lon)
    if not within_radius(distance, min(radius, max_distance_km)):
        return None
    if not is_available(availability, slots):
        return None
    return match_score(
        latitude=latitude,
        longitude=longitude,
        max_distance_km=max_distance_km,
        base_latitude=base_lat,
        base_longitude=base_lon,
        service_radius_km=radius,
        rating_sum=r_sum,
        rating_count=r_count,
        completed_jobs=jobs,
        no_shows=no_shows,
        late_cancellations=late,
        asked_again=asked,
    )
