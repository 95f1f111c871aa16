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


# --- the grid ------------------------------------------------------------------------------------


def _row_column(cell):
    return divmod(cell, geo.GRID_COLUMNS)


def test_cell_at_the_equator_and_prime_meridian():
    row, column = _row_column(geo.cell_for(0.0, 0.0))
    assert (row, column) == (90 * geo.GRID_ROWS_PER_DEGREE, 180 * geo.GRID_COLUMNS_PER_DEGREE)
    # the cell runs up to (not including) the next border
    assert geo.cell_for(0.0999, 0.0199) == geo.cell_for(0.0, 0.0)
    assert _row_column(geo.cell_for(0.1, 0.02)) == (row + 1, column + 1)
    assert _row_column(geo.cell_for(-1e-9, -1e-9)) == (row - 1, column - 1)
    assert geo.cell_for(None, 1.0) is None and geo.cell_for(1.0, None) is None


def test_cells_at_high_latitude_and_the_poles():
    assert _row_column(geo.cell_for(90.0, 10.0))[0] == geo.GRID_ROWS - 1
    assert _row_column(geo.cell_for(89.99, 10.0))[0] == geo.GRID_ROWS - 1
    assert _row_column(geo.cell_for(-90.0, 10.0))[0] == 0
    tromso = geo.cell_for(69.65, 18.96)
    assert _row_column(tromso) == (1596, 9948)
    # a degree of longitude is short up here, but the cells are the same degrees wide
    assert geo.cell_for(69.65, 18.98) - tromso == 1


def test_the_antimeridian_maps_to_valid_cells():
    assert geo.cell_for(-16.8, 180.0) == geo.cell_for(-16.8, -180.0)
    assert _row_column(geo.cell_for(-16.8, -180.0))[1] == 0
    assert _row_column(geo.cell_for(-16.8, 179.999))[1] == geo.GRID_COLUMNS - 1
    assert _row_column(geo.cell_for(-16.8, -179.999))[1] == 0
    assert geo.cell_for(-16.8, 190.0) == geo.cell_for(-16.8, -170.0)  # wraps, never overflows
    for longitude in (-180.0, -179.99, -1e-300, 0.0, 179.99, 180.0, 359.0, -360.0):
        for latitude in (-90.0, -16.8, 0.0, 64.8, 90.0):
            row, column = _row_column(geo.cell_for(latitude, longitude))
            assert 0 <= row < geo.GRID_ROWS and 0 <= column < geo.GRID_COLUMNS


def _points_in(box, rng, count=400):
    """Random points of the box plus its corners and edges, exactly on its bounds."""
    points = []
    for low, high in box.longitude_ranges:
        for lat in (box.min_latitude, box.max_latitude):
            for lon in (low, high):
                points.append((lat, lon))
        for _ in range(count):
            lat = rng.uniform(box.min_latitude, box.max_latitude)
            lon = rng.uniform(low, high)
            points += [(lat, lon), (box.min_latitude, lon), (lat, high), (lat, low)]
    return points


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [
        (36.8494, 115.7061, 20),  # Linqing
        (36.8, 115.7, 1.25),  # a small box whose centre is a cell corner
        (0.0, 0.0, 50),
        (69.6, 18.9, 30),  # Tromsø
        (-54.8, -68.3, 100),
        (64.8, 179.9, 40),  # across the antimeridian from the west
        (-16.8, -179.97, 25),  # ... and from the east (Fiji)
    ],
)
def test_cells_for_box_hold_every_point_of_the_box(lat, lon, radius):
    rng = random.Random(f"{lat}{lon}{radius}")
    box = geo.bounding_box(lat, lon, radius)
    cells = set(geo.cells_for_box(box, max_cells=10**6))
    for point in _points_in(box, rng):
        assert geo.cell_for(*point) in cells, point
    # and every point of the circle, the way matching uses it
    for point in _circle_points(lat, lon, radius):
        assert geo.cell_for(*point) in cells


def test_cells_for_box_is_tight():
    box = geo.bounding_box(36.8494, 115.7061, 20)
    cells = geo.cells_for_box(box)
    rows = {cell // geo.GRID_COLUMNS for cell in cells}
    columns = {cell % geo.GRID_COLUMNS for cell in cells}
    assert len(rows) <= 5 and len(columns) <= 25
    assert len(cells) == len(rows) * len(columns) == len(set(cells))
    # a cell just outside the box on each side is not listed
    outside = [
        (box.min_latitude - geo.CELL_LATITUDE_DEGREES, 115.7061),
        (box.max_latitude + geo.CELL_LATITUDE_DEGREES, 115.7061),
        (36.8494, box.longitude_ranges[0][0] - geo.CELL_LONGITUDE_DEGREES),
        (36.8494, box.longitude_ranges[0][1] + geo.CELL_LONGITUDE_DEGREES),
    ]
    for point in outside:
        assert geo.cell_for(*point) not in cells


def test_box_across_the_antimeridian_lists_cells_on_both_sides():
    box = geo.bounding_box(-16.8, 179.97, 10)
    columns = {cell % geo.GRID_COLUMNS for cell in geo.cells_for_box(box)}
    assert 0 in columns and geo.GRID_COLUMNS - 1 in columns
    assert len(columns) < 20  # not the whole world in between


def test_too_many_cells_means_no_cell_filter():
    polar = geo.bounding_box(89.95, 40.0, 20)  # reaches the pole: every longitude
    assert polar.longitude_ranges == ((-180.0, 180.0),)
    assert geo.cells_for_box(polar) is None
    everything = geo.cells_for_box(polar, max_cells=10**9)
    assert len(everything) % geo.GRID_COLUMNS == 0  # whole rows
    assert geo.cell_for(89.99, 40.0) in everything and geo.cell_for(89.9, -140.0) in everything


def test_display_distance_is_geopys_geodesic_to_the_last_bit():
    import random

    from geopy.distance import geodesic

    rng = random.Random(7)
    for _ in range(500):
        a = (rng.uniform(-89, 89), rng.uniform(-180, 180))
        b = (a[0] + rng.uniform(-1, 1), a[1] + rng.uniform(-1, 1))
        assert geo.geodesic_km(*a, *b) == geodesic(a, b).km
