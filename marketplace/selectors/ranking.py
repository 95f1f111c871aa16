"""The matching score and its parts, in one place for matching, reviews and profiles.

score = 0.55 * distance + 0.25 * rating + 0.10 * experience + 0.10 * reliability, each part in
[0, 1] for an eligible worker (higher is better); ties are broken by the smaller worker id.

- distance = 1 - d / R, where R = min(worker's service radius, request's maximum distance)
  and d is the local planar (equirectangular) distance from her base to the service point,
  measured with the cosine of the service point's latitude. Within the 200 km maximum radius it
  is within a fraction of a percent of the great-circle distance at the county's latitudes; it
  only orders workers (who is within range is decided by the exact great-circle distance), and
  being pure arithmetic it ranks the same in SQL (SQLite, PostgreSQL) and in Python.
- rating = (bayesian_rating - 1) / 4, where bayesian_rating = (5 × 4.0 + rating_sum) /
  (5 + rating_count): a newcomer counts as 4.0 and each review moves her towards her own mean.
- experience = completed_jobs / (completed_jobs + 20): 0 for a newcomer, 0.5 after 20 jobs,
  saturating towards 1 (diminishing returns, like a log scale, but computable in plain SQL).
- reliability = 0.75 × record + 0.25 × return, where record = (completed_jobs + 1) /
  (completed_jobs + 1 + 2 × no_shows + late_cancellations) (1.0 with a clean record; a no-show
  weighs twice a late cancellation) and return = asked_again / (asked_again + 3), asked_again
  being the number of distinct households that booked her again ("再约一次"): 0 for a
  newcomer, 0.5 after three households came back. A newcomer with a clean record scores 0.75.
"""

from __future__ import annotations

import math

from marketplace.geo import KM_PER_DEGREE

RATING_PRIOR_MEAN = 4.0
RATING_PRIOR_WEIGHT = 5
EXPERIENCE_HALF_JOBS = 20.0
NO_SHOW_WEIGHT = 2.0
LATE_CANCELLATION_WEIGHT = 1.0
RECORD_SHARE = 0.75
RETURN_SHARE = 0.25
RETURN_HALF_HOUSEHOLDS = 3.0

WEIGHT_DISTANCE = 0.55
WEIGHT_RATING = 0.25
WEIGHT_EXPERIENCE = 0.10
WEIGHT_RELIABILITY = 0.10


def bayesian_rating(rating_sum: int, rating_count: int) -> float:
    """The rating shown and ranked: a 4.0 prior worth five reviews, then her own reviews."""
    return (RATING_PRIOR_WEIGHT * RATING_PRIOR_MEAN + float(rating_sum)) / (
        float(RATING_PRIOR_WEIGHT) + float(rating_count)
    )


def incident_record(completed_jobs: int, no_shows: int, late_cancellations: int) -> float:
    """Share of good outcomes, with one free good job so a clean newcomer starts at 1.0."""
    good = float(completed_jobs) + 1.0
    return good / (
        good
        + NO_SHOW_WEIGHT * float(no_shows)
        + LATE_CANCELLATION_WEIGHT * float(late_cancellations)
    )


def households_returning(asked_again: int) -> float:
    """0 for nobody, 0.5 after three households booked her again, saturating towards 1."""
    returning = float(asked_again)
    return returning / (returning + RETURN_HALF_HOUSEHOLDS)


def reliability(
    completed_jobs: int, no_shows: int, late_cancellations: int, asked_again: int = 0
) -> float:
    """Her incident record, blended with how many households came back to her."""
    return RECORD_SHARE * incident_record(
        completed_jobs, no_shows, late_cancellations
    ) + RETURN_SHARE * households_returning(asked_again)


def experience(completed_jobs: int) -> float:
    jobs = float(completed_jobs)
    return jobs / (jobs + EXPERIENCE_HALF_JOBS)


def longitude_scale(latitude: float) -> float:
    """Kilometres per degree of longitude at the service point."""
    return KM_PER_DEGREE * math.cos(math.radians(latitude))


def _wrapped(delta_longitude: float) -> float:
    if delta_longitude > 180.0:
        return delta_longitude - 360.0
    if delta_longitude < -180.0:
        return delta_longitude + 360.0
    return delta_longitude


def planar_distance_squared(
    latitude: float, longitude: float, base_latitude: float, base_longitude: float
) -> float:
    dy = (base_latitude - latitude) * KM_PER_DEGREE
    dx = _wrapped(base_longitude - longitude) * longitude_scale(latitude)
    return dy * dy + dx * dx


def match_score(
    *,
    latitude: float,
    longitude: float,
    max_distance_km: float,
    base_latitude: float,
    base_longitude: float,
    service_radius_km: float,
    rating_sum: int,
    rating_count: int,
    completed_jobs: int,
    no_shows: int,
    late_cancellations: int,
    asked_again: int = 0,
) -> float:
    """The documented score (module docstring); same arithmetic as `score_expression`."""
    radius = min(float(service_radius_km), float(max_distance_km))
    distance_part = (
        1.0
        - math.sqrt(planar_distance_squared(latitude, longitude, base_latitude, base_longitude))
        / radius
    )
    rating_part = (bayesian_rating(rating_sum, rating_count) - 1.0) / 4.0
    return (
        WEIGHT_DISTANCE * distance_part
        + WEIGHT_RATING * rating_part
        + WEIGHT_EXPERIENCE * experience(completed_jobs)
        + WEIGHT_RELIABILITY
        * reliability(completed_jobs, no_shows, late_cancellations, asked_again)
    )


def reach_for_score(*, score: float, max_distance_km: float) -> float:
    """A planar distance beyond which no worker can score `score` or more.

    For a worker at planar distance d the distance part is at most 1 - d / max distance
    (her own radius can only be smaller) and every other part is below 1, so
    score ≤ W_d (1 - d / max) + (1 - W_d); solving for d gives the bound.
    """
    static_max = WEIGHT_RATING + WEIGHT_EXPERIENCE + WEIGHT_RELIABILITY
    share = (score - static_max) / WEIGHT_DISTANCE
    if share <= 0:
        return math.inf
    return max_distance_km * max(0.0, 1.0 - min(share, 1.0))


def score_sql(
    *, latitude: float, longitude: float, max_distance_km: float, wrap: bool = True, alias: str
) -> tuple[str, str, list[float], list[float]]:
    """`match_score` and the planar distance² as SQL on WorkerProfile columns (`alias`.col).

    Plain arithmetic and SQRT, valid on SQLite and PostgreSQL, in the same order of operations
    as `match_score`. Returns (score_sql, planar_squared_sql, score_params, planar_params).
    """
    column = f"{alias}.%s".__mod__
    lon, lat = column("base_longitude"), column("base_latitude")
    if wrap:
        delta_lon = (
            f"(CASE WHEN {lon} > %s THEN ({lon} - %s) - 360.0"
            f" WHEN {lon} < %s THEN ({lon} - %s) + 360.0 ELSE ({lon} - %s) END)"
        )
        lon_params = [longitude + 180.0, longitude, longitude - 180.0, longitude, longitude]
    else:
        delta_lon, lon_params = f"({lon} - %s)", [longitude]
    dy = f"(({lat} - %s) * %s)"
    dx = f"({delta_lon} * %s)"
    planar = f"({dy} * {dy} + {dx} * {dx})"
    dy_params = [latitude, KM_PER_DEGREE]
    dx_params = [*lon_params, longitude_scale(latitude)]
    planar_params = [*dy_params, *dy_params, *dx_params, *dx_params]

    def as_float(name: str) -> str:
        return f"CAST({column(name)} AS DOUBLE PRECISION)"

    own_radius = column("service_radius_km")
    radius = f"(CASE WHEN {own_radius} < %s THEN {own_radius} ELSE %s END)"
    jobs = as_float("completed_jobs")
    asked = as_float("asked_again_count")
    score = (
        f"%s * (1.0 - SQRT({planar}) / {radius})"
        f" + %s * ((((%s + {as_float('rating_sum')})"
        f" / (%s + {as_float('rating_count')})) - 1.0) / 4.0)"
        f" + %s * ({jobs} / ({jobs} + %s))"
        f" + %s * (%s * (({jobs} + 1.0) / ((({jobs} + 1.0) + %s * {as_float('no_shows')})"
        f" + %s * {as_float('late_cancellations')}))"
        f" + %s * ({asked} / ({asked} + %s)))"
    )
    params = [
        WEIGHT_DISTANCE,
        *planar_params,
        float(max_distance_km),
        float(max_distance_km),
        WEIGHT_RATING,
        RATING_PRIOR_WEIGHT * RATING_PRIOR_MEAN,
        float(RATING_PRIOR_WEIGHT),
        WEIGHT_EXPERIENCE,
        EXPERIENCE_HALF_JOBS,
        WEIGHT_RELIABILITY,
        RECORD_SHARE,
        NO_SHOW_WEIGHT,
        LATE_CANCELLATION_WEIGHT,
        RETURN_SHARE,
        RETURN_HALF_HOUSEHOLDS,
    ]
    return score, planar, params, planar_params
