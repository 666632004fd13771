"""Geometry from records: points, geodesic arcs, country shapes; no I/O, no styling.

Coordinates here are (longitude, latitude) pairs, in that order, as in
GeoJSON and shapely. Two frames are used:

* the *true* frame, longitudes in [-180, 180), for export (RFC 7946);
* a *display window* ``[seam, seam + 360)``: longitudes unwrapped around
  Mongolia so that the arcs to Alaska and Washington run continuously across
  the Pacific instead of breaking at the antimeridian.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import numpy as np
import shapely
import shapely.affinity
import shapely.ops
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")

# The display window's western edge: mid-Atlantic, so that East Asia, the
# Pacific and North America (east to Washington) are continuous.
DISPLAY_SEAM = -30.0

# One arc vertex per this many kilometres, within the bounds below.
ARC_STEP_KM = 300.0
ARC_MIN_POINTS = 2
ARC_MAX_POINTS = 48

LonLat = tuple[float, float]


def wrap_lon(lon: float, seam: float = -180.0) -> float:
    """Longitude moved by whole turns into ``[seam, seam + 360)``.

    Examples
    --------
    >>> wrap_lon(-147.7, seam=-30.0)
    212.3
    >>> wrap_lon(190.0)
    -170.0
    >>> wrap_lon(-180.0)
    -180.0
    """
    return round((lon - seam) % 360.0 + seam, 9)


def arc_lonlat(start: LonLat, end: LonLat, step_km: float = ARC_STEP_KM) -> list[LonLat]:
    """Geodesic (great-circle on WGS84) from ``start`` to ``end``, true frame.

    The vertex count grows with the length: short links stay light, long arcs
    stay smooth.

    Examples
    --------
    >>> arc = arc_lonlat((106.9, 47.9), (-147.7, 64.8))
    >>> arc[0], arc[-1]
    ((106.9, 47.9), (-147.7, 64.8))
    >>> 15 < len(arc) < 25
    True
    >>> arc_lonlat((1.0, 2.0), (1.0, 2.0))
    [(1.0, 2.0), (1.0, 2.0)]
    """
    _, _, metres = GEOD.inv(start[0], start[1], end[0], end[1])
    inner = min(ARC_MAX_POINTS, max(ARC_MIN_POINTS, math.ceil(metres / 1000 / step_km))) - 2
    if inner <= 0:
        return [tuple(start), tuple(end)]
    middle = np.round(np.asarray(GEOD.npts(start[0], start[1], end[0], end[1], inner)), 4)
    return [tuple(start), *map(tuple, middle.tolist()), tuple(end)]


def arc_lines(ends: Sequence[tuple[LonLat, LonLat]], step_km: float = ARC_STEP_KM) -> np.ndarray:
    """:func:`arc_lonlat` of many (start, end) pairs, as shapely LineStrings,
    vertex for vertex: the lengths in one geodesic call and the lines in one
    shapely call (a build of 100,000 records draws thousands of arcs).

    Examples
    --------
    >>> [list(line.coords) for line in arc_lines([((1.0, 2.0), (1.0, 2.0))])]
    [[(1.0, 2.0), (1.0, 2.0)]]
    """
    if not ends:
        return np.empty(0, dtype=object)
    a = np.asarray([start for start, _ in ends], dtype=float)
    b = np.asarray([end for _, end in ends], dtype=float)
    _, _, metres = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    inner = np.minimum(ARC_MAX_POINTS, np.maximum(ARC_MIN_POINTS, np.ceil(metres / 1000 / step_km))).astype(int) - 2
    coords: list = []
    sizes = []
    for (start, end), count in zip(ends, inner.tolist()):
        middle = GEOD.npts(start[0], start[1], end[0], end[1], count) if count > 0 else []
        coords.append(start)
        coords.extend(middle)
        coords.append(end)
        sizes.append(len(middle) + 2)
    xy = np.asarray(coords, dtype=float)
    # The inner vertices rounded as arc_lonlat rounds them; the ends kept as given.
    last = np.cumsum(sizes) - 1
    inside = np.ones(len(xy), dtype=bool)
    inside[last] = False
    inside[last - np.asarray(sizes) + 1] = False
    xy[inside] = np.round(xy[inside], 4)
    return shapely.linestrings(xy, indices=np.repeat(np.arange(len(ends)), sizes))


def to_window(coords: Sequence[LonLat], seam: float) -> list[list[LonLat]]:
    """A line in the window ``[seam, seam + 360)``, cut where it crosses the seam.

    The plain statement of the rule: :func:`window_parts` is its vectorised
    form (tested against it). The page never cuts a line: the data contract
    sends the parts of the lines a seam cuts (``layers.wire``).

    Each vertex is wrapped into the window; where two neighbours end up more
    than half a turn apart the line crossed the seam, so it is cut there, at
    the latitude interpolated on the crossing, and continues on the other edge.
    With ``seam=-180`` this is the antimeridian cut of RFC 7946 §3.1.9.

    Examples
    --------
    >>> to_window([(170.0, 60.0), (-170.0, 62.0)], seam=-180.0)
    [[(170.0, 60.0), (180.0, 61.0)], [(-180.0, 61.0), (-170.0, 62.0)]]
    >>> to_window([(170.0, 60.0), (-170.0, 62.0)], seam=-30.0)
    [[(170.0, 60.0), (190.0, 62.0)]]
    >>> to_window([], seam=-30.0)
    []
    """
    parts: list[list[LonLat]] = []
    current: list[LonLat] = []
    previous: LonLat | None = None
    east = seam + 360.0
    for lon, lat in coords:
        x = wrap_lon(lon, seam)
        if previous is not None and abs(x - previous[0]) > 180.0:
            px, py = previous
            # Unwrap the step, find where it meets the seam, cut there.
            step_x = x - 360.0 if x > px else x + 360.0
            edge_out, edge_in = (east, seam) if step_x > px else (seam, east)
            t = (edge_out - px) / (step_x - px)
            y = round(py + t * (lat - py), 6)
            current.append((edge_out, y))
            parts.append(current)
            current = [(edge_in, y)]
        current.append((x, lat))
        previous = (x, lat)
    if current:
        parts.append(current)
    return parts


def window_arrays(line: BaseGeometry, seam: float) -> list[np.ndarray]:
    """A LineString's coordinates in the window, unrounded, one (n, 2) array per
    part: :func:`to_window` vectorised with numpy, for the many lines of a
    large data set.

    >>> [part.tolist() for part in window_arrays(shapely.LineString([(170, 60), (-170, 62)]), seam=-180.0)]
    [[[170.0, 60.0], [180.0, 61.0]], [[-180.0, 61.0], [-170.0, 62.0]]]
    """
    coords = shapely.get_coordinates(line)
    x = np.round((coords[:, 0] - seam) % 360.0 + seam, 9)
    y = coords[:, 1]
    jumps = np.flatnonzero(np.abs(np.diff(x)) > 180.0)
    if not len(jumps):
        return [np.column_stack([x, y])]
    east = seam + 360.0
    parts, begin, carry = [], 0, None
    for i in jumps:
        px, py, nx, ny = x[i], y[i], x[i + 1], y[i + 1]
        step_x = nx - 360.0 if nx > px else nx + 360.0
        edge_out, edge_in = (east, seam) if step_x > px else (seam, east)
        cross = round(py + (edge_out - px) / (step_x - px) * (ny - py), 6)
        part = np.column_stack([x[begin : i + 1], y[begin : i + 1]])
        if carry is not None:
            part = np.vstack([carry, part])
        parts.append(np.vstack([part, [edge_out, cross]]))
        carry, begin = np.array([[edge_in, cross]]), i + 1
    last = np.column_stack([x[begin:], y[begin:]])
    parts.append(np.vstack([carry, last]))
    return parts


def window_parts(line: BaseGeometry, seam: float, digits: int) -> list[list[list[float]]]:
    """:func:`window_arrays` rounded to ``digits``, as lists.

    >>> window_parts(shapely.LineString([(170, 60), (-170, 62)]), seam=-30.0, digits=4)
    [[[170.0, 60.0], [190.0, 62.0]]]
    >>> window_parts(shapely.LineString([(170, 60), (-170, 62)]), seam=-180.0, digits=4)
    [[[170.0, 60.0], [180.0, 61.0]], [[-180.0, 61.0], [-170.0, 62.0]]]
    """
    return [np.round(part, digits).tolist() for part in window_arrays(line, seam)]


def delta_ints(parts: list[np.ndarray], digits: int) -> list[list[int]]:
    """Line parts as the page carries them: each part one flat list of integers,
    the first point in units of 10**-digits degrees, then each point's step from
    the one before (about half the characters of ``[lon, lat]`` pairs).

    The units are what ``np.round(part, digits)`` rounds to, so dividing the
    running sums by 10**digits gives exactly :func:`window_parts`' values.

    >>> delta_ints([np.array([[170.0, 60.0], [190.0004, 62.0], [191.5, 61.25]])], 3)
    [[170000, 60000, 20000, 2000, 1500, -750]]
    """
    scale = 10.0**digits
    out = []
    for part in parts:
        flat = np.rint(part * scale).astype(np.int64).ravel()
        steps = flat.copy()
        steps[2:] = flat[2:] - flat[:-2]
        out.append(steps.tolist())
    return out


def delta_lines(lines: list[BaseGeometry], seam: float, digits: int) -> list[list[list[int]]]:
    """``delta_ints(window_arrays(line, seam), digits)`` for many LineStrings at
    once: one numpy pass over every coordinate, with only the lines the window
    cuts done one by one.

    >>> delta_lines([shapely.LineString([(170, 60), (-170, 62)]), shapely.LineString([(0, 0), (1, 1)])], -180.0, 1)
    [[[1700, 600, 100, 10], [-1800, 610, 100, 10]], [[0, 0, 10, 10]]]
    """
    if not len(lines):
        return []
    coords, owner = shapely.get_coordinates(lines, return_index=True)
    x = np.round((coords[:, 0] - seam) % 360.0 + seam, 9)
    scale = 10.0**digits
    flat = np.empty(2 * len(x), dtype=np.int64)
    flat[0::2] = np.rint(x * scale)
    flat[1::2] = np.rint(coords[:, 1] * scale)
    steps = flat.copy()
    steps[2:] -= flat[:-2]
    starts = np.searchsorted(owner, np.arange(len(lines) + 1))
    steps[2 * starts[:-1]] = flat[2 * starts[:-1]]  # each line's first point in full
    steps[2 * starts[:-1] + 1] = flat[2 * starts[:-1] + 1]
    same_line = owner[1:] == owner[:-1]
    cut = set(owner[1:][same_line & (np.abs(np.diff(x)) > 180.0)].tolist())
    out = []
    for k, (begin, end) in enumerate(zip(starts[:-1].tolist(), starts[1:].tolist())):
        if k in cut:
            out.append(delta_ints(window_arrays(lines[k], seam), digits))
        else:
            out.append([steps[2 * begin : 2 * end].tolist()])
    return out


def display_line(geometry: dict, seam: float = DISPLAY_SEAM) -> list[list[list[float]]]:
    """An exported line (RFC 7946 ``LineString``, or ``MultiLineString`` cut at
    ±180°) as the map draws it when the display window does not cut it: one
    part, every longitude west of ``seam`` moved a turn east. The page's
    ``MDM.displayLine`` (``static/mdm.js``) mirrors it; both run the cases in
    ``tests/cases/mirrors.json``.

    >>> display_line({"type": "MultiLineString", "coordinates": [[[170.0, 60.0], [180.0, 61.0]], [[-180.0, 61.0], [-170.0, 62.0]]]})
    [[[170.0, 60.0], [180.0, 61.0], [180.0, 61.0], [190.0, 62.0]]]
    """
    parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
    return [[[x + 360.0 if x < seam else x, y] for part in parts for x, y in part]]


def display_point(lon: float, lat: float, seam: float = DISPLAY_SEAM) -> LonLat:
    return (wrap_lon(lon, seam), lat)


def shape_to_window(shape: BaseGeometry, seam: float = DISPLAY_SEAM) -> BaseGeometry:
    """A (multi)polygon in true longitudes, redrawn inside the display window.

    Copies one turn east and west are clipped to the window, so a country that
    straddles the antimeridian (Russia, Fiji) is drawn whole and a shape that
    straddles the seam is cut cleanly at the window's edges.
    """
    parts = []
    for shift in (-360.0, 0.0, 360.0):
        clipped = shapely.clip_by_rect(
            shapely.affinity.translate(shape, shift), seam, -90.0, seam + 360.0, 90.0
        )
        parts.extend(p for p in getattr(clipped, "geoms", [clipped]) if p.geom_type == "Polygon" and not p.is_empty)
    return shapely.MultiPolygon(parts)


def polygon_rings(shape: BaseGeometry, digits: int = 3) -> list[list[list[LonLat]]]:
    """Polygons as lists of rings of (lon, lat), outer ring counter-clockwise."""
    shape = shapely.orient_polygons(shape) if hasattr(shapely, "orient_polygons") else shape
    polygons = getattr(shape, "geoms", [shape])
    out = []
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings = [polygon.exterior, *polygon.interiors]
        out.append([[(round(x, digits), round(y, digits)) for x, y in ring.coords] for ring in rings])
    return out


@cache
def simplified_world(seam: float = DISPLAY_SEAM) -> tuple[tuple[str, BaseGeometry], ...]:
    """Natural Earth 1:110m country outlines in the display window, for the offline base map."""
    from mongolmap.geo.countries import COUNTRIES_110M, country_shapes

    return tuple(
        (code, shape_to_window(shape, seam))
        for code, shape in sorted(country_shapes(COUNTRIES_110M).items())
    )


def label_point(shape: BaseGeometry) -> tuple[float, float, float]:
    """Where a country's name goes on a Web Mercator map, and how large it looks there.

    The point is the pole of inaccessibility (shapely's ``polylabel``) of the
    largest polygon, found in Web Mercator so that it sits in the middle of
    what the reader sees; ``size`` is the square root of that polygon's
    Mercator area as a fraction of the world's width (the page labels a
    country once ``size`` times the world's width in pixels is wide enough for
    its name). Pure and deterministic.

    Returns
    -------
    (longitude, latitude, size), the point to 2 decimals (about a kilometre), ``size`` to 3 significant digits.

    Examples
    --------
    >>> island = shapely.Point(105.0, 0.0).buffer(5.0)
    >>> label_point(island)
    (105.0, 0.0, 0.0246)
    >>> label_point(shapely.MultiPolygon([island, shapely.Point(150.0, 60.0).buffer(1.0)]))
    (105.0, 0.0, 0.0246)
    >>> label_point(shapely.Polygon())
    Traceback (most recent call last):
    ...
    ValueError: an empty shape has no label point
    """
    polygons = [p for p in getattr(shape, "geoms", [shape]) if not p.is_empty]
    if not polygons:
        raise ValueError("an empty shape has no label point")

    def mercator(coords: np.ndarray) -> np.ndarray:
        lat = np.radians(np.clip(coords[:, 1], -85.0, 85.0))
        return np.column_stack([np.radians(coords[:, 0]), np.log(np.tan(np.pi / 4 + lat / 2))])

    projected = [shapely.transform(p, mercator) for p in polygons]
    largest = max(projected, key=lambda p: p.area)
    x, y = shapely.ops.polylabel(largest, tolerance=0.002).coords[0]
    lon, lat = math.degrees(x), math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)
    size = math.sqrt(largest.area) / (2 * math.pi)
    return round(lon, 2) + 0.0, round(lat, 2) + 0.0, float(f"{size:.3g}")
