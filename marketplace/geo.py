"""Geometry for distance search: bounding boxes, great-circle distance, geodesic display distance.

The search pipeline (marketplace.selectors.matching) is: a bounding box on the indexed
`base_latitude`/`base_longitude` columns, then the exact great-circle (haversine) filter, then
geopy's ellipsoidal geodesic for the distance shown to people. The box is built on the same
sphere as the haversine formula, so every point within `radius_km` of the centre lies in it,
at any latitude, near the poles and across the antimeridian.

The grid (`cell_for`, `cells_for_box`): fixed cells of CELL_LATITUDE_DEGREES of latitude by
CELL_LONGITUDE_DEGREES of longitude, numbered `row * GRID_COLUMNS + column`, with
row = floor((latitude + 90) / CELL_LATITUDE_DEGREES) (0 at the south pole; latitude 90 joins
the last row) and column = floor((longitude + 180) / CELL_LONGITUDE_DEGREES) taken modulo
GRID_COLUMNS (0 at the antimeridian, so longitude 180 and -180 share column 0). Every worker's
`geo_cell` holds the cell of her base point (NULL without one); a search reads only the cells
its box covers (index `worker_cell_point`: geo_cell, base_latitude, base_longitude, ...), then
the box's own latitude/longitude bounds, then the exact distance. Cells are tall and narrow on
purpose: inside a cell the index is ordered by latitude, so the latitude bounds cut each cell
exactly and only the column width decides how much more than the box is read (at most one
column on each side); the rows just keep the list of cells short. Both the point's cell and a
box's cells come from the same monotone functions, so a point on a cell border (or on the
box's edge) always falls in a cell the box lists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geographiclib.geodesic import Geodesic

# The mean Earth radius (IUGG), used by both the box and the haversine filter.
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
# Floating-point slack: a point at exactly the radius counts as inside, and the box is widened
# by far less than a millimetre so rounding never drops a point that lies on its edge.
DISTANCE_TOLERANCE_KM = 1e-9
_BOX_SLACK_DEGREES = 1e-9


@dataclass(frozen=True)
class BoundingBox:
    """Latitude range plus one or two longitude ranges (two when it crosses the antimeridian)."""

    min_latitude: float
    max_latitude: float
    longitude_ranges: tuple[tuple[float, float], ...]

    def contains(self, latitude: float, longitude: float) -> bool:
        if not self.min_latitude <= latitude <= self.max_latitude:
            return False
        return any(low <= longitude <= high for low, high in self.longitude_ranges)


def normalize_longitude(longitude: float) -> float:
    """Map a longitude into [-180, 180)."""
    return (longitude + 180.0) % 360.0 - 180.0


def bounding_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """The smallest latitude/longitude box holding the spherical cap of `radius_km`.

    Longitude half-width is asin(sin(r) / cos(lat)) (the meridians tangent to the circle), which
    grows with 1/cos(lat). When the cap reaches a pole every longitude is included; when it
    crosses the antimeridian the longitude range is split in two.
    """
    if radius_km < 0:
        raise ValueError("radius_km must not be negative")
    angular = radius_km / EARTH_RADIUS_KM  # radians
    lat = math.radians(latitude)
    min_lat = lat - angular
    max_lat = lat + angular
    full = ((-180.0, 180.0),)
    if angular >= math.pi or max_lat >= math.pi / 2 or min_lat <= -math.pi / 2:
        # The cap contains a pole: every meridian crosses it.
        return BoundingBox(
            min_latitude=max(math.degrees(min_lat), -90.0),
            max_latitude=min(math.degrees(max_lat), 90.0),
            longitude_ranges=full,
        )
    delta_lon = math.degrees(math.asin(min(1.0, math.sin(angular) / math.cos(lat))))
    delta_lon += _BOX_SLACK_DEGREES
    min_latitude = math.degrees(min_lat) - _BOX_SLACK_DEGREES
    max_latitude = math.degrees(max_lat) + _BOX_SLACK_DEGREES
    if delta_lon >= 180.0:
        return BoundingBox(min_latitude, max_latitude, full)
    centre = normalize_longitude(longitude)
    low, high = centre - delta_lon, centre + delta_lon
    if low < -180.0:
        ranges: tuple[tuple[float, float], ...] = ((low + 360.0, 180.0), (-180.0, high))
    elif high > 180.0:
        ranges = ((low, 180.0), (-180.0, high - 360.0))
    else:
        ranges = ((low, high),)
    return BoundingBox(min_latitude, max_latitude, ranges)


# The grid: 0.1° of latitude (≈ 11 km) by 0.02° of longitude (≈ 2.2 km at the equator,
# ≈ 1.8 km at 37° N); a 20 km search at 37° N lists about 5 × 23 cells.
GRID_ROWS_PER_DEGREE = 10
GRID_COLUMNS_PER_DEGREE = 50
CELL_LATITUDE_DEGREES = 1 / GRID_ROWS_PER_DEGREE
CELL_LONGITUDE_DEGREES = 1 / GRID_COLUMNS_PER_DEGREE
GRID_ROWS = 180 * GRID_ROWS_PER_DEGREE
GRID_COLUMNS = 360 * GRID_COLUMNS_PER_DEGREE
# Beyond this many cells (a box near a pole or a huge radius) a search skips the cell filter
# and narrows by the base point index alone.
MAX_SEARCH_CELLS = 1500


def _grid_row(latitude: float) -> int:
    row = math.floor((latitude + 90.0) * GRID_ROWS_PER_DEGREE)
    return min(max(row, 0), GRID_ROWS - 1)


def _grid_column(longitude: float) -> int:
    # Python's float % gives a result in [0, 360] (360 only by rounding a tiny negative), and
    # the integer modulo folds that, and longitude 180, onto column 0 with -180.
    return math.floor(((longitude + 180.0) % 360.0) * GRID_COLUMNS_PER_DEGREE) % GRID_COLUMNS


def cell_for(latitude: float | None, longitude: float | None) -> int | None:
    """The grid cell of a point (module docstring), or None when the point is not set.

    The one function that computes `WorkerProfile.geo_cell`: every path that sets or changes a
    base point stores `cell_for(base_latitude, base_longitude)` with it.
    """
    if latitude is None or longitude is None:
        return None
    return _grid_row(latitude) * GRID_COLUMNS + _grid_column(longitude)


def _columns(low: float, high: float) -> list[int]:
    """The columns of the longitude range [low, high], walking east (wrapping past 180)."""
    if high - low >= 360.0 - 2 * CELL_LONGITUDE_DEGREES:
        return list(range(GRID_COLUMNS))
    first, last = _grid_column(low), _grid_column(high)
    if first <= last:
        return list(range(first, last + 1))
    return [*range(first, GRID_COLUMNS), *range(0, last + 1)]


def cells_for_box(box: BoundingBox, *, max_cells: int = MAX_SEARCH_CELLS) -> list[int] | None:
    """Every cell that holds a point of `box`, sorted; None when more than `max_cells`.

    A box crossing the antimeridian (two longitude ranges) lists the cells on both sides.
    """
    rows = range(_grid_row(box.min_latitude), _grid_row(box.max_latitude) + 1)
    columns: set[int] = set()
    for low, high in box.longitude_ranges:
        columns.update(_columns(low, high))
    if len(rows) * len(columns) > max_cells:
        return None
    return sorted(row * GRID_COLUMNS + column for row in rows for column in columns)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on the mean-radius sphere, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# geopy's geodesic, without importing geopy (its package imports every geocoder and their HTTP
# clients, a quarter of a second of start-up): the same geographiclib solver on the same
# ellipsoid in the same unit (WGS-84 in kilometres, geopy.distance.ELLIPSOIDS), so the same
# floats. Built once: building one per call costs half as much as measuring.
_WGS84 = Geodesic(6378.137, 1 / 298.257223563)


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The ellipsoidal (WGS-84) distance that people are shown, in kilometres (equal to
    geopy.distance.geodesic)."""
    return _WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]


def within_radius(distance_km: float, radius_km: float) -> bool:
    """A point at exactly the radius is inside."""
    return distance_km <= radius_km + DISTANCE_TOLERANCE_KM


def destination(latitude: float, longitude: float, bearing_degrees: float, distance_km: float):
    """The point `distance_km` along the great circle from a start at a bearing (for tests)."""
    angular = distance_km / EARTH_RADIUS_KM
    phi1 = math.radians(latitude)
    lambda1 = math.radians(longitude)
    theta = math.radians(bearing_degrees)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(angular) + math.cos(phi1) * math.sin(angular) * math.cos(theta)
    )
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(angular) * math.cos(phi1),
        math.cos(angular) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(phi2), normalize_longitude(math.degrees(lambda2))


def planar_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """The box holding every point within `radius_km` in the local planar (equirectangular)
    metric of marketplace.selectors.ranking (longitude scaled by cos of `latitude`)."""
    half_lat = radius_km / KM_PER_DEGREE + _BOX_SLACK_DEGREES
    scale = math.cos(math.radians(latitude))
    full = ((-180.0, 180.0),)
    min_latitude = max(latitude - half_lat, -90.0)
    max_latitude = min(latitude + half_lat, 90.0)
    if scale <= 1e-12:
        return BoundingBox(min_latitude, max_latitude, full)
    half_lon = radius_km / (KM_PER_DEGREE * scale) + _BOX_SLACK_DEGREES
    if half_lon >= 180.0:
        return BoundingBox(min_latitude, max_latitude, full)
    centre = normalize_longitude(longitude)
    low, high = centre - half_lon, centre + half_lon
    if low < -180.0:
        ranges: tuple[tuple[float, float], ...] = ((low + 360.0, 180.0), (-180.0, high))
    elif high > 180.0:
        ranges = ((low, 180.0), (-180.0, high - 360.0))
    else:
        ranges = ((low, high),)
    return BoundingBox(min_latitude, max_latitude, ranges)


def intersect(first: BoundingBox, second: BoundingBox) -> BoundingBox | None:
    """The overlap of two boxes, or None when they do not overlap."""
    min_latitude = max(first.min_latitude, second.min_latitude)
    max_latitude = min(first.max_latitude, second.max_latitude)
    ranges = tuple(
        (max(a_low, b_low), min(a_high, b_high))
        for a_low, a_high in first.longitude_ranges
        for b_low, b_high in second.longitude_ranges
        if max(a_low, b_low) <= min(a_high, b_high)
    )
    if min_latitude > max_latitude or not ranges:
        return None
    return BoundingBox(min_latitude, max_latitude, ranges)


def inner_planar_radius(radius_km: float) -> float:
    """The largest planar radius whose circle lies inside `bounding_box(…, radius_km)`.

    The box's half-width in planar kilometres is radius_km north-south and at least
    R·sin(radius_km / R) east-west, whatever the latitude.
    """
    angular = min(radius_km / EARTH_RADIUS_KM, math.pi / 2)
    return EARTH_RADIUS_KM * math.sin(angular)


def reach_covering_planar(planar_km: float) -> float:
    """The great-circle box radius whose box holds every point within `planar_km`."""
    if planar_km >= EARTH_RADIUS_KM:
        return math.inf
    return EARTH_RADIUS_KM * math.asin(planar_km / EARTH_RADIUS_KM) * (1 + 1e-12) + 1e-9
