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
   (marketplace.selectors.ranking, plain arithmetic) and returns a bounded head of ids; only
   that head goes through the credential and busy-time EXISTS filters (EligibleProbe: the
   ORM rules compiled once per request shape), the exact great-circle
   distance check and the availability check. The head grows until the best `limit` survivors
   provably beat everything not yet fetched (the SQL order is the score order, so unfetched
   rows never outrank the `limit`-th survivor), so the result equals the full search's head.
   Without a `limit`: every worker in the box goes through the same filters.
3. Exact filter: great-circle (haversine) distance ≤ min(service radius, maximum distance),
   a worker at exactly the radius included.
4. The distance shown is geopy's ellipsoidal geodesic, rounded to 0.01 km.

Ranking (marketplace.selectors.ranking): 0.55 × distance (1 - d/R) + 0.25 × Bayesian rating
((5 × 4.0 + rating_sum) / (5 + rating_count), scaled to 0..1) + 0.10 × experience
(jobs / (jobs + 20)) + 0.10 × reliability ((jobs + 1) / (jobs + 1 + 2 × no-shows + late
cancellations)); higher is better, ties broken by the smaller worker id.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from marketplace.geo import (
    BoundingBox,
    bounding_box,
    cells_for_box,
    geodesic_km,
    great_circle_km,
    inner_planar_radius,
    intersect,
    planar_box,
    reach_covering_planar,
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


def bounding_box_filter(box: BoundingBox) -> Q:
    """A WorkerProfile filter for the box: its grid cells (index `worker_cell_point`), then the
    box's own bounds on the base point columns.

    A worker whose `geo_cell` is still NULL (a row written by a path that did not set it) is
    still found, by the box bounds alone, rather than silently missed.
    """
    longitudes = Q(pk__in=[])
    for low, high in box.longitude_ranges:
        longitudes |= Q(base_longitude__gte=low, base_longitude__lte=high)
    in_box = Q(base_latitude__gte=box.min_latitude, base_latitude__lte=box.max_latitude)
    cells = cells_for_box(box)
    if cells is not None:
        in_box &= Q(geo_cell__in=cells) | Q(geo_cell__isnull=True)
    return in_box & longitudes


def cell_filter_sql(box: BoundingBox, *, alias: str) -> tuple[str, list]:
    """The box as raw SQL: its grid cells (NULL cells included, see `bounding_box_filter`)
    and its latitude/longitude bounds."""
    longitudes = " OR ".join(
        f"({alias}.base_longitude >= %s AND {alias}.base_longitude <= %s)"
        for _ in box.longitude_ranges
    )
    latitudes = f"{alias}.base_latitude >= %s AND {alias}.base_latitude <= %s"
    params: list = [box.min_latitude, box.max_latitude]
    cells = cells_for_box(box)
    if cells is None:
        sql = latitudes
    else:
        sql = (
            f"({alias}.geo_cell IN ({', '.join(['%s'] * len(cells))}) AND {latitudes}"
            f" OR {alias}.geo_cell IS NULL AND {latitudes})"
        )
        params = [*cells, *params, *params]
    params += [bound for pair in box.longitude_ranges for bound in pair]
    return f"{sql} AND ({longitudes})", params


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
    point = {"latitude": latitude, "longitude": longitude, "max_distance_km": max_distance_km}

    if limit is None:
        in_box = bounding_box_filter(bounding_box(latitude, longitude, max_distance_km))
        eligible = _eligible_queryset(category=category, slots=slots)
        workers = eligible.select_related("user", "division").filter(in_box)
        if excluded:
            workers = workers.exclude(pk__in=excluded)
        return _candidates(
            _exact(workers, slots=slots, **point), latitude=latitude, longitude=longitude
        )

    # Growing boxes: the best `limit` found so far set a score every answer must reach, and
    # only workers within the planar reach of that score (ranking.reach_for_score) can still
    # beat it; the box grows (doubling) until it covers that reach or the maximum distance.
    probe = EligibleProbe(category=category, slots=slots)
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
            needed = ranking.reach_for_score(score=threshold, max_distance_km=max_distance_km)
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


_ROW_FIELDS = (
    "pk",
    "base_latitude",
    "base_longitude",
    "service_radius_km",
    "availability",
    "rating_sum",
    "rating_count",
    "completed_jobs",
    "no_shows",
    "late_cancellations",
)


_ROW_COLUMNS = (
    "id",
    "base_latitude",
    "base_longitude",
    "service_radius_km",
    "availability",
    "rating_sum",
    "rating_count",
    "completed_jobs",
    "no_shows",
    "late_cancellations",
)


def _ranked_sql(
    box: BoundingBox,
    *,
    category: Category,
    point: dict,
    excluded: list[int],
    min_score: float | None,
    planar_reach: float,
) -> tuple[str, list]:
    """The box's workers ranked by score in SQL (built by hand: the ORM spends longer compiling
    this expression than the database spends running it)."""
    wrap = len(box.longitude_ranges) > 1 or box.longitude_ranges[0] == (-180.0, 180.0)
    score, planar, score_params, planar_params = ranking.score_sql(**point, wrap=wrap, alias="w")
    table = WorkerProfile._meta.db_table
    through = WorkerProfile.categories.through._meta.db_table
    in_box, params = cell_filter_sql(box, alias="w")
    # Cheapest tests first (SQLite evaluates the terms in this order): the planar reach reads
    # only indexed columns, the trade needs an index probe per row.
    where = [in_box]
    if planar_reach < math.inf:
        where.append(f"{planar} <= %s")
        params += [*planar_params, planar_reach * planar_reach]
    where.append("w.is_verified = %s AND w.is_accepting_offers = %s")
    params += [True, True]
    if min_score is not None:
        where.append(f"{score} >= %s")
        params += [*score_params, min_score]
    where.append(
        f"EXISTS (SELECT 1 FROM {through} t WHERE t.workerprofile_id = w.id"  # noqa: S608
        " AND t.category_id = %s)"
    )
    params.append(category.pk)
    if excluded:
        where.append(f"w.id NOT IN ({', '.join(['%s'] * len(excluded))})")
        params += excluded
    columns = ", ".join(f"w.{name}" for name in _ROW_COLUMNS)
    sql = (
        f"SELECT {columns}, {score} AS match_score FROM {table} w"  # noqa: S608 (no user text)
        f" WHERE {' AND '.join(where)} ORDER BY match_score DESC, w.id ASC LIMIT %s OFFSET %s"
    )
    return sql, [*score_params, *params]


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
    sql, params = _ranked_sql(
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


def _eligible_queryset(
    *, category: Category, slots: Sequence[Slot], dates: tuple[dt.date, dt.date] | None = None
) -> QuerySet:
    """The credential and busy-time rules of a request (dates: its service dates by default)."""
    starts_on, ends_on = dates or service_dates(slots)
    return eligible_workers(category=category, starts_on=starts_on, ends_on=ends_on).filter(
        not_busy(slots)
    )


# Stand-ins for the request's values while a probe's SQL is compiled once per shape: values
# that no constant of the eligibility rules can equal (see EligibleProbe).
_STAND_IN_CATEGORY_PK = -918_273_645
_STAND_IN_EPOCH = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


@dataclass(frozen=True)
class _ProbeTemplate:
    sql: str
    params: tuple
    roles: tuple  # per parameter: None (a constant), "ids", "category", or a stand-in index


class EligibleProbe:
    """Which of some worker ids pass the credential and busy-time rules of a request.

    The rules are `eligible_workers(...)` and `not_busy(slots)`, the ORM querysets, compiled to
    SQL once per shape (database, whether the trade needs a certificate, number of slots) with
    stand-in values, and the ids as one array parameter (SQLite: json_each over a JSON list;
    PostgreSQL: unnest of a bigint array). A request then only swaps its own values into the
    parameter list: compiling the ORM expression costs several times more than running it.
    The swap is checked when the template is made (every stand-in must be found, each in its
    place); if not, or on another database, the probe falls back to the ORM on every call.
    Answers are remembered, so a worker seen in an earlier box is not asked about again.
    """

    _ARRAY_SQL = {
        "sqlite": "SELECT value FROM json_each(%s)",
        "postgresql": "SELECT unnest(%s::bigint[])",
    }
    _templates: dict[tuple, _ProbeTemplate | None] = {}

    def __init__(self, *, category: Category, slots: Sequence[Slot]):
        self.category = category
        self.slots = list(slots)
        self.known: dict[int, bool] = {}
        key = (connection.alias, connection.vendor, category.requires_certificate, len(slots))
        if key not in self._templates:
            self._templates[key] = self._template(category.requires_certificate, len(slots))
        self.template = self._templates[key]
        if self.template is not None:
            values = self._values(category.pk, *service_dates(self.slots), self.slots)
            self.params = [
                value if role is None or role == "ids" else values[role]
                for value, role in zip(self.template.params, self.template.roles, strict=True)
            ]

    @staticmethod
    def _stand_ins(slot_count: int) -> tuple[dt.date, dt.date, list[Slot]]:
        hour = dt.timedelta(hours=1)
        slots = [
            (_STAND_IN_EPOCH + (2 * k + 2) * hour, _STAND_IN_EPOCH + (2 * k + 3) * hour)
            for k in range(slot_count)
        ]
        return _STAND_IN_EPOCH.date(), _STAND_IN_EPOCH.date() + dt.timedelta(days=400), slots

    @staticmethod
    def _values(category_pk: int, starts_on, ends_on, slots) -> dict:
        """Parameter values keyed by role: the category pk and each date/time, as the database
        adapter receives them."""
        ops = connection.ops
        values: dict = {"category": category_pk, 0: ops.adapt_datefield_value(starts_on)}
        values[1] = ops.adapt_datefield_value(ends_on)
        for index, (begins, ends) in enumerate(slots):
            values[2 + 2 * index] = ops.adapt_datetimefield_value(begins)
            values[3 + 2 * index] = ops.adapt_datetimefield_value(ends)
        return values

    @classmethod
    def _template(cls, requires_certificate: bool, slot_count: int) -> _ProbeTemplate | None:
        array_sql = cls._ARRAY_SQL.get(connection.vendor)
        if array_sql is None:
            return None
        category = Category(pk=_STAND_IN_CATEGORY_PK, requires_certificate=requires_certificate)
        starts_on, ends_on, slots = cls._stand_ins(slot_count)
        marker = object()
        ids = RawSQL(array_sql, [marker])  # noqa: S611 (constant SQL, the ids as a parameter)
        queryset = _eligible_queryset(category=category, slots=slots, dates=(starts_on, ends_on))
        queryset = queryset.filter(pk__in=ids).values_list("pk", flat=True)
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
        stand_ins = cls._values(category.pk, starts_on, ends_on, slots)
        by_value = {value: role for role, value in stand_ins.items()}
        roles = []
        for value in params:
            if value is marker:
                roles.append("ids")
            elif isinstance(value, Hashable) and value in by_value:
                roles.append(by_value[value])
            else:
                roles.append(None)
        # Every stand-in must be a parameter of its own (never folded into the SQL text).
        if set(by_value.values()) | {"ids"} != {role for role in roles if role is not None}:
            return None
        return _ProbeTemplate(sql=sql, params=tuple(params), roles=tuple(roles))

    def among(self, ids: list[int]) -> list[int]:
        unknown = [pk for pk in ids if pk not in self.known]
        if unknown:
            for pk in unknown:
                self.known[pk] = False
            for pk in self._query(unknown):
                self.known[pk] = True
        return [pk for pk in ids if self.known[pk]]

    def _query(self, ids: list[int]) -> list[int]:
        if self.template is None:
            queryset = _eligible_queryset(category=self.category, slots=self.slots)
            return list(queryset.filter(pk__in=ids).values_list("pk", flat=True))
        params = [
            (json.dumps(ids) if connection.vendor == "sqlite" else ids) if role == "ids" else value
            for value, role in zip(self.params, self.template.roles, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.template.sql, params)
            return [row[0] for row in cursor.fetchall()]


def _exact_row(
    row: tuple, availability, *, latitude: float, longitude: float, max_distance_km: float, slots
) -> float | None:
    """The score of a head row that passes the exact distance and availability checks."""
    (_, base_lat, base_lon, radius, _, r_sum, r_count, jobs, no_shows, late) = row[:10]
    distance = great_circle_km(latitude, longitude, base_lat, base_lon)
    if not within_radius(distance, min(radius, max_distance_km)):
        return None
    if not is_available(availability, slots):
        return None
    return ranking.match_score(
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
    )
