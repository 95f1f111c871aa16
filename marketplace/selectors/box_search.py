"""The database side of a match search: the workers whose base lies in a bounding box, as an
ORM filter, and ranked by the documented score as hand-built SQL (marketplace.selectors.matching
drives both)."""

from __future__ import annotations

import math

from django.db.models import Q

from marketplace.geo import BoundingBox, cells_for_box
from marketplace.models import Category, WorkerProfile
from marketplace.selectors.ranking import score_sql


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
    "asked_again_count",
)


def ranked_sql(
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
    score, planar, score_params, planar_params = score_sql(**point, wrap=wrap, alias="w")
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
