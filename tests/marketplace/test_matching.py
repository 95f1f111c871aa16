"""Location-based matching: radii, box edges, any latitude, ranking, and a brute-force oracle."""

import datetime as dt
import importlib
import random
from functools import partial
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace import geo
from marketplace.models import WorkerProfile
from marketplace.selectors import box_search, eligibility, eligible_probe, matching, ranking
from orders.selectors import busy_visits
from tests import factories

find_matches = partial(matching.find_matches, busy=busy_visits)
worker_eligibility = partial(eligibility.worker_eligibility, busy=busy_visits)

pytestmark = pytest.mark.django_db

SEAT = factories.CITY_SEAT


def slots(days=2):
    start = factories.future(24 * days)
    return [(start, start + dt.timedelta(hours=3))]


def worker_at(lat, lon, **kwargs):
    return factories.WorkerFactory(base_latitude=lat, base_longitude=lon, **kwargs)


def match_ids(lat=SEAT[0], lon=SEAT[1], *, max_distance_km=20, code="housekeeper", **kwargs):
    kwargs.setdefault("slots", slots())
    found = find_matches(
        category=factories.category(code),
        latitude=lat,
        longitude=lon,
        max_distance_km=max_distance_km,
        **kwargs,
    )
    return [candidate.worker.pk for candidate in found]


def test_a_worker_nearby_is_matched_with_her_geodesic_distance():
    point = geo.destination(*SEAT, 90, 3)
    worker = worker_at(*point)
    [candidate] = find_matches(
        category=factories.category(),
        latitude=SEAT[0],
        longitude=SEAT[1],
        max_distance_km=20,
        slots=slots(),
    )
    assert candidate.worker == worker
    assert candidate.distance_km == round(geo.geodesic_km(*SEAT, *point), 2)
    assert candidate.rating == 4.0
    # user and division come with the worker (no extra queries for the caller)
    with CaptureQueriesContext(connection) as queries:
        assert candidate.worker.user.username and candidate.worker.division.code
    assert len(queries) == 0


def test_both_radii_apply():
    own_small = worker_at(*geo.destination(*SEAT, 0, 7), service_radius_km=5)
    own_large = worker_at(*geo.destination(*SEAT, 180, 7), service_radius_km=15)
    assert match_ids(max_distance_km=20) == sorted([own_large.pk])
    assert match_ids(max_distance_km=6) == []
    assert match_ids(max_distance_km=6, limit=5) == []
    assert own_small.pk not in match_ids(max_distance_km=200)


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 225, 315])
def test_exactly_at_the_radius_is_in_and_just_beyond_is_out(bearing):
    at_edge = worker_at(*geo.destination(*SEAT, bearing, 10), service_radius_km=30)
    beyond = worker_at(*geo.destination(*SEAT, bearing, 10.01), service_radius_km=30)
    assert geo.bounding_box(*SEAT, 10).contains(beyond.base_latitude, beyond.base_longitude) or (
        bearing in (0, 90, 180, 270)
    )
    for limit in (None, 1, 5):
        found = match_ids(max_distance_km=10, limit=limit)
        assert at_edge.pk in found
        assert beyond.pk not in found


def test_box_corner_inside_the_box_but_outside_the_circle_is_excluded():
    box = geo.bounding_box(*SEAT, 10)
    corner = (box.max_latitude - 0.001, box.longitude_ranges[0][1] - 0.001)
    assert box.contains(*corner)
    assert geo.great_circle_km(*SEAT, *corner) > 10
    worker = worker_at(*corner, service_radius_km=30)
    assert worker.pk not in match_ids(max_distance_km=10)
    assert worker.pk not in match_ids(max_distance_km=10, limit=3)


def test_high_latitude():
    tromso = (69.65, 18.96)
    east = worker_at(*geo.destination(*tromso, 90, 19.5), service_radius_km=30)
    north = worker_at(*geo.destination(*tromso, 0, 19.5), service_radius_km=30)
    too_far = worker_at(*geo.destination(*tromso, 90, 20.5), service_radius_km=30)
    # degrees of longitude are short up here: 19.5 km east is ~0.5° of longitude
    assert east.base_longitude - tromso[1] > 0.45
    found = match_ids(*tromso, max_distance_km=20)
    assert set(found) == {east.pk, north.pk}
    assert too_far.pk not in match_ids(*tromso, max_distance_km=20, limit=5)


def test_near_the_pole():
    point = (89.95, 40.0)
    # 5.6 km to the pole, then 2.4 km down the other side
    across = worker_at(*geo.destination(*point, 0, 8))
    across.refresh_from_db()
    assert abs(across.base_longitude - point[1]) > 90
    assert match_ids(*point, max_distance_km=20) == [across.pk]
    assert match_ids(*point, max_distance_km=20, limit=3) == [across.pk]


def test_across_the_antimeridian():
    fiji = (-16.8, 179.97)
    east = worker_at(*geo.destination(*fiji, 90, 8))
    west = worker_at(*geo.destination(*fiji, 270, 8))
    east.refresh_from_db()
    assert east.base_longitude < 0  # stored as -179.9x
    assert set(match_ids(*fiji, max_distance_km=10)) == {east.pk, west.pk}
    assert set(match_ids(*fiji, max_distance_km=10, limit=2)) == {east.pk, west.pk}
    assert match_ids(-16.8, -179.99, max_distance_km=10, limit=1)[0] == east.pk


def test_ranking_prefers_closer_then_better_rated_and_breaks_ties_by_id():
    near = worker_at(*geo.destination(*SEAT, 10, 1))
    far = worker_at(*geo.destination(*SEAT, 10, 8))
    far_but_loved = worker_at(
        *geo.destination(*SEAT, 10, 4), rating_sum=250, rating_count=50, completed_jobs=120
    )
    twin_a = worker_at(*geo.destination(*SEAT, 200, 6))
    twin_b = worker_at(*geo.destination(*SEAT, 200, 6))
    ranked = find_matches(
        category=factories.category(),
        latitude=SEAT[0],
        longitude=SEAT[1],
        max_distance_km=20,
        slots=slots(),
    )
    order = [c.worker.pk for c in ranked]
    assert order.index(far_but_loved.pk) < order.index(near.pk)  # reputation outweighs 3 km
    assert order.index(near.pk) < order.index(twin_a.pk) < order.index(far.pk)
    assert order.index(twin_a.pk) + 1 == order.index(twin_b.pk)  # equal scores: smaller id first
    assert twin_a.pk < twin_b.pk
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    assert match_ids(max_distance_km=20, limit=3) == order[:3]


def test_bayesian_rating_and_reliability_formulas():
    assert ranking.bayesian_rating(0, 0) == 4.0
    assert ranking.bayesian_rating(5, 1) == pytest.approx(25 / 6)
    assert ranking.bayesian_rating(50, 10) == pytest.approx(70 / 15)
    assert ranking.incident_record(0, 0, 0) == 1.0
    assert ranking.incident_record(9, 1, 0) == pytest.approx(10 / 12)
    assert ranking.incident_record(9, 0, 2) == pytest.approx(10 / 12)
    assert ranking.reliability(0, 0, 0) == 0.75
    assert ranking.reliability(0, 0, 0, asked_again=3) == pytest.approx(0.75 + 0.25 * 0.5)
    assert ranking.reliability(9, 1, 0, asked_again=1) == pytest.approx(
        0.75 * 10 / 12 + 0.25 * 1 / 4
    )


def test_busy_and_ineligible_workers_are_not_matched():
    free = worker_at(*geo.destination(*SEAT, 0, 2))
    busy = worker_at(*geo.destination(*SEAT, 0, 2))
    cancelled = worker_at(*geo.destination(*SEAT, 0, 2))
    uncertified = worker_at(*geo.destination(*SEAT, 0, 2), credentials=False)
    wanted = slots()
    start, end = wanted[0]
    factories.OrderFactory(
        worker=busy, status="confirmed", request__starts_at=start, request__ends_at=end
    )
    factories.OrderFactory(
        worker=cancelled, status="cancelled", request__starts_at=start, request__ends_at=end
    )
    for limit in (None, 1, 10):
        found = match_ids(slots=wanted, limit=limit)
        assert busy.pk not in found and uncertified.pk not in found
        assert set(found) == ({free.pk, cancelled.pk} if limit != 1 else set(found))
    assert len(match_ids(slots=wanted, limit=1)) == 1


def test_exclude_worker_ids():
    first = worker_at(*geo.destination(*SEAT, 0, 1))
    second = worker_at(*geo.destination(*SEAT, 0, 2))
    assert match_ids(limit=1) == [first.pk]
    assert match_ids(limit=1, exclude_worker_ids=[first.pk]) == [second.pk]
    assert match_ids(exclude_worker_ids={first.pk}) == [second.pk]


def test_the_bounding_box_prefilter_is_in_the_sql():
    worker_at(*geo.destination(*SEAT, 0, 1))
    for limit in (None, 5):
        with CaptureQueriesContext(connection) as queries:
            match_ids(limit=limit)
        sql = " ".join(q["sql"] for q in queries)
        assert 'base_latitude" >=' in sql or "base_latitude >=" in sql
        assert 'base_longitude" <=' in sql or "base_longitude <=" in sql


def _ranked_query_plan(max_distance_km):
    box = geo.bounding_box(*SEAT, max_distance_km)
    sql, params = box_search.ranked_sql(
        box,
        category=factories.category(),
        point={"latitude": SEAT[0], "longitude": SEAT[1], "max_distance_km": 20.0},
        excluded=[],
        min_score=None,
        planar_reach=float("inf"),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test table is tiny, so the planner would rightly scan it; forbid that for this
            # transaction to see which index the query can use.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, [*params, 10, 0])
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, [*params, 10, 0])
        return " ".join(str(row) for row in cursor.fetchall())


def test_the_ranked_query_reads_the_cells_through_the_cell_index():
    for _ in range(3):
        worker_at(*geo.destination(*SEAT, 0, 1))
    plan = _ranked_query_plan(20)
    if connection.vendor == "postgresql":
        # Without statistics on a tiny table PostgreSQL may pick either location index (the
        # cell list or the latitude range); what matters is that it never scans the table.
        assert "worker_cell_point" in plan or "worker_base_point" in plan
        assert "Seq Scan on marketplace_workerprofile" not in plan
    else:
        assert "worker_cell_point" in plan
        assert "SCAN w" not in plan  # no full scan of the worker table


def test_without_a_cell_list_the_query_uses_the_base_point_index(monkeypatch):
    """A box with too many cells (near a pole, a huge radius) narrows by the base point."""
    monkeypatch.setattr(
        box_search, "cells_for_box", lambda box: geo.cells_for_box(box, max_cells=1)
    )
    worker_at(*geo.destination(*SEAT, 0, 1))
    sql, _ = box_search.cell_filter_sql(geo.bounding_box(*SEAT, 20), alias="w")
    assert "geo_cell" not in sql
    assert "worker_base_point" in _ranked_query_plan(20)


# --- the grid cell is kept with the base point --------------------------------------------------


def test_a_worker_on_cell_borders_is_matched_like_the_reference():
    """Workers exactly on row and column borders of the grid and on the search box's edges."""
    centre = (36.8, 115.7)  # a cell corner: 36.8 N is a row border, 115.7 E a column border
    assert geo.cell_for(36.8, 115.7) != geo.cell_for(36.8 - 1e-9, 115.7 - 1e-9)
    row_borders = [36.8 + k * geo.CELL_LATITUDE_DEGREES for k in (-1, 0, 1)]
    column_borders = [115.7 + k * geo.CELL_LONGITUDE_DEGREES for k in range(-4, 5)]
    for lat in row_borders:
        for lon in column_borders:
            worker_at(lat, lon, service_radius_km=30)
    box = geo.bounding_box(*centre, 5)
    for lat in (box.min_latitude, box.max_latitude):
        worker_at(lat, centre[1], service_radius_km=30)
    low, high = box.longitude_ranges[0]
    for lon in (low, high):
        worker_at(centre[0], lon, service_radius_km=30)
    category = factories.category()
    for max_distance in (1.0, 5.0, 12.0):
        request = {
            "category": category,
            "latitude": centre[0],
            "longitude": centre[1],
            "max_distance_km": max_distance,
            "slots": slots(),
        }
        expected = reference(**request)
        assert expected  # the case is not vacuous
        assert [c.worker.pk for c in find_matches(**request)] == expected
        for limit in (1, 3, 7):
            got = [c.worker.pk for c in find_matches(**request, limit=limit)]
            assert got == expected[:limit], (max_distance, limit)


def test_factories_and_the_profile_update_store_the_cell():
    worker = worker_at(*geo.destination(*SEAT, 0, 2))
    worker.refresh_from_db()
    assert worker.geo_cell == geo.cell_for(worker.base_latitude, worker.base_longitude)
    bare = factories.WorkerFactory(base_latitude=None, base_longitude=None)
    bare.refresh_from_db()
    assert bare.geo_cell is None


def test_a_worker_whose_cell_was_never_filled_is_still_matched():
    """A row written by a path that forgot geo_cell does not vanish from matching."""
    near = worker_at(*geo.destination(*SEAT, 90, 2))
    far = worker_at(*geo.destination(*SEAT, 90, 40))
    WorkerProfile.objects.filter(pk__in=[near.pk, far.pk]).update(geo_cell=None)
    assert match_ids() == [near.pk]
    assert match_ids(limit=3) == [near.pk]


def test_the_fill_migration_sets_every_cell():
    fill = importlib.import_module("marketplace.migrations.0004_geo_cell_fill").fill_geo_cells
    workers = [worker_at(*geo.destination(*SEAT, 45 * k, 3 * k)) for k in range(5)]
    bare = factories.WorkerFactory(base_latitude=None, base_longitude=None)
    WorkerProfile.objects.filter(pk=workers[0].pk).update(geo_cell=None)
    WorkerProfile.objects.filter(pk=workers[1].pk).update(geo_cell=12345)  # stale
    WorkerProfile.objects.filter(pk=bare.pk).update(geo_cell=777)
    fill(django_apps, SimpleNamespace(connection=connection))
    for worker in WorkerProfile.objects.all():
        assert worker.geo_cell == geo.cell_for(worker.base_latitude, worker.base_longitude)
    assert WorkerProfile.objects.get(pk=bare.pk).geo_cell is None


def test_moving_her_base_point_through_the_api_moves_her_in_matching(worker, worker_client):
    old_place = SEAT
    new_place = geo.destination(*SEAT, 90, 60)  # 60 km east: far outside the old searches
    assert match_ids(*old_place, limit=5) == [worker.pk]
    response = worker_client.patch(
        "/api/v1/workers/me/",
        {"base_latitude": new_place[0], "base_longitude": new_place[1]},
        format="json",
    )
    assert response.status_code == 200, response.content
    worker.refresh_from_db()
    assert worker.geo_cell == geo.cell_for(*new_place) != geo.cell_for(*old_place)
    for limit in (None, 5):
        assert match_ids(*new_place, limit=limit) == [worker.pk]
        assert match_ids(*old_place, limit=limit) == []


# --- brute-force oracle -------------------------------------------------------------------------


def reference(*, category, latitude, longitude, max_distance_km, slots, limit=None):
    """Every worker checked one by one with worker_eligibility and the exact distance."""
    found = []
    for worker in WorkerProfile.objects.select_related("user"):
        if worker.base_latitude is None:
            continue
        reach = min(worker.service_radius_km, max_distance_km)
        distance = geo.great_circle_km(
            latitude, longitude, worker.base_latitude, worker.base_longitude
        )
        if not geo.within_radius(distance, reach):
            continue
        if not worker_eligibility(worker=worker, category=category, slots=slots).is_eligible:
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
            asked_again=worker.asked_again_count,
        )
        found.append((-score, worker.pk))
    found.sort()
    ids = [pk for _, pk in found]
    return ids[:limit] if limit is not None else ids


@pytest.mark.parametrize(
    ("first_reach_divisor", "min_head", "head_multiple"),
    [(16, 32, 4), (2, 1, 1), (64, 2, 1)],
    ids=["defaults", "tiny-heads", "small-first-box"],
)
def test_find_matches_equals_a_brute_force_reference(
    monkeypatch, first_reach_divisor, min_head, head_multiple
):
    monkeypatch.setattr(matching, "FIRST_REACH_DIVISOR", first_reach_divisor)
    monkeypatch.setattr(matching, "MIN_HEAD", min_head)
    monkeypatch.setattr(matching, "FIRST_HEAD_MULTIPLE", head_multiple)
    rng = random.Random(20260601)
    wanted = slots()
    start, end = wanted[0]
    workers = []
    for _ in range(70):
        lat, lon = geo.destination(*SEAT, rng.uniform(0, 360), rng.uniform(0, 25))
        defect = rng.choice(["none"] * 6 + ["uncertified", "unverified", "paused", "evening"])
        worker = worker_at(
            lat,
            lon,
            service_radius_km=rng.choice([3, 5, 8, 10, 15, 30]),
            rating_sum=(count := rng.randint(0, 30)) * rng.randint(3, 5),
            rating_count=count,
            completed_jobs=rng.randint(0, 80),
            no_shows=rng.choice([0, 0, 0, 1]),
            late_cancellations=rng.choice([0, 0, 1, 2]),
            trades=rng.choice(
                [["housekeeper"], ["hourly_cleaning"], ["housekeeper", "hourly_cleaning"]]
            ),
            credentials=defect != "uncertified",
            is_verified=defect != "unverified",
            is_accepting_offers=defect != "paused",
            availability={str(d): [["18:00", "22:00"]] for d in range(7)}
            if defect == "evening"
            else {},
        )
        workers.append(worker)
    # some duplicates at one point with equal records: ties must break by id
    for _ in range(3):
        worker_at(*SEAT, service_radius_km=10)
    for busy in rng.sample(workers, 6):
        factories.OrderFactory(
            worker=busy, status="confirmed", request__starts_at=start, request__ends_at=end
        )
    for case in range(25):
        lat, lon = geo.destination(*SEAT, rng.uniform(0, 360), rng.uniform(0, 12))
        request = {
            "category": factories.category(rng.choice(["housekeeper", "hourly_cleaning"])),
            "latitude": lat,
            "longitude": lon,
            "max_distance_km": rng.choice([3.0, 5.0, 10.0, 20.0]),
            "slots": wanted,
        }
        expected = reference(**request)
        assert [c.worker.pk for c in find_matches(**request)] == expected, case
        for limit in (1, 3, 7):
            got = [c.worker.pk for c in find_matches(**request, limit=limit)]
            assert got == expected[:limit], (case, limit)


def test_the_eligibility_probe_swaps_each_request_value_into_its_compiled_sql():
    """The probe compiles the rules once per shape; each request must get its own answers."""
    start = factories.future(48)
    workers = [
        worker_at(*SEAT, trades=["housekeeper", "maternity_nurse"]),
        worker_at(*SEAT, trades=["hourly_cleaning"]),
        worker_at(*SEAT, trades=["maternity_nurse"], credentials=False),
        worker_at(*SEAT, is_verified=False),
    ]
    factories.OrderFactory(
        worker=workers[0],
        status="confirmed",
        request__starts_at=start,
        request__ends_at=start + dt.timedelta(hours=3),
    )
    ids = [w.pk for w in workers]
    answers = set()
    cases = [
        (days, count, code)
        for days in (0, 1, 1200)  # busy then (worker 0), free, credentials expired by then
        for count in (1, 3)
        for code in ("housekeeper", "hourly_cleaning", "maternity_nurse")
    ]
    for days, count, code in cases:
        first = start + dt.timedelta(days=days)
        wanted = [
            (first + dt.timedelta(days=7 * k), first + dt.timedelta(days=7 * k, hours=3))
            for k in range(count)
        ]
        category = factories.category(code)
        probe = eligible_probe.EligibleProbe(category=category, slots=wanted, busy=busy_visits)
        assert probe.template is not None  # the compiled path, not the ORM fallback
        starts_on, ends_on = eligibility.service_dates(wanted)
        expected = (
            eligibility.eligible_workers(category=category, starts_on=starts_on, ends_on=ends_on)
            .filter(eligibility.not_busy(wanted, busy=busy_visits), pk__in=ids)
            .values_list("pk", flat=True)
        )
        assert probe.among(ids) == sorted(expected), (category.code, wanted)
        answers.add(tuple(sorted(expected)))
    assert len(answers) >= 3  # the cases do tell requests apart
