"""Bounding box and distances: the box must hold the whole circle at any latitude."""

import math
import random

import pytest

from marketplace import geo


def _circle_points(lat, lon, radius_km, steps=360):
    return [
        geo.destination(lat, lon, bearing, radius_km) for bearing in range(0, 360, 360 // steps)
    ]


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [
        (36.8494, 115.7061, 20),
        (0.0, 0.0, 50),
        (69.6, 18.9, 30),  # Tromsø
        (-54.8, -68.3, 200),  # Ushuaia
        (85.0, 10.0, 200),
        (64.8, 179.9, 40),  # Anadyr side of the antimeridian
        (-16.5, -179.95, 25),  # Fiji
    ],
)
def test_bounding_box_holds_the_whole_circle(lat, lon, radius):
    box = geo.bounding_box(lat, lon, radius)
    for point in _circle_points(lat, lon, radius * 0.999999):
        assert box.contains(*point), point
    # and it is tight: just outside the extreme north/south points is outside the box
    north = geo.destination(lat, lon, 0, radius * 1.01)
    if north[0] < 90 and box.max_latitude < 90:
        assert not box.contains(*north)


def test_longitude_span_grows_with_latitude():
    equator = geo.bounding_box(0, 100, 20)
    north = geo.bounding_box(60, 100, 20)
    width = lambda box: sum(high - low for low, high in box.longitude_ranges)  # noqa: E731
    assert width(north) == pytest.approx(width(equator) / math.cos(math.radians(60)), rel=1e-3)


def test_box_reaching_a_pole_spans_every_longitude():
    box = geo.bounding_box(89.9, 0, 50)
    assert box.max_latitude == 90.0
    assert box.longitude_ranges == ((-180.0, 180.0),)


def test_box_across_the_antimeridian_is_split():
    box = geo.bounding_box(-17.0, 179.9, 50)
    assert len(box.longitude_ranges) == 2
    (low1, high1), (low2, high2) = box.longitude_ranges
    assert high1 == 180.0 and low2 == -180.0
    assert box.contains(-17.0, -179.8)  # east of the line, 21 km away
    assert box.contains(-17.0, 179.7)
    assert not box.contains(-17.0, 0.0)


def test_great_circle_matches_geodesic_within_about_half_a_percent():
    rng = random.Random(7)
    for _ in range(200):
        lat1, lon1 = rng.uniform(-80, 80), rng.uniform(-180, 180)
        lat2, lon2 = geo.destination(lat1, lon1, rng.uniform(0, 360), rng.uniform(1, 200))
        assert geo.great_circle_km(lat1, lon1, lat2, lon2) == pytest.approx(
            geo.geodesic_km(lat1, lon1, lat2, lon2), rel=6e-3
        )


def test_destination_is_at_the_requested_great_circle_distance():
    lat, lon = geo.destination(36.85, 115.7, 45, 20)
    assert geo.great_circle_km(36.85, 115.7, lat, lon) == pytest.approx(20, abs=1e-9)
    assert geo.within_radius(geo.great_circle_km(36.85, 115.7, lat, lon), 20)


def test_planar_box_and_covering_reach():
    planar = geo.planar_box(36.85, 115.7, 10)
    covering = geo.bounding_box(36.85, 115.7, geo.reach_covering_planar(10))
    assert covering.min_latitude <= planar.min_latitude
    assert covering.longitude_ranges[0][0] <= planar.longitude_ranges[0][0]
    assert geo.inner_planar_radius(10) <= 10
    both = geo.intersect(geo.bounding_box(36.85, 115.7, 20), planar)
    assert both is not None and both.max_latitude == planar.max_latitude
    assert geo.intersect(geo.bounding_box(0, 0, 1), geo.bounding_box(10, 10, 1)) is None
