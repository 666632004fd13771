"""Geometry: the display window, the antimeridian cut, geodesic arcs."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from mongolmap.geo.geometry import (
    GEOD,
    arc_lines,
    arc_lonlat,
    delta_ints,
    delta_lines,
    shape_to_window,
    to_window,
    window_arrays,
    window_parts,
    wrap_lon,
)


@pytest.mark.parametrize("seam", [-180.0, -30.0])
def test_vectorised_window_agrees_with_the_plain_one(seam):
    rng = np.random.default_rng(7)
    for _ in range(500):
        n = int(rng.integers(2, 25))
        xs, ys = rng.uniform(-180, 180, n), rng.uniform(-80, 80, n)
        fast = window_parts(shapely.LineString(np.column_stack([xs, ys])), seam, 4)
        plain = to_window(list(zip(xs.tolist(), ys.tolist())), seam)
        assert len(fast) == len(plain)
        for a, b in zip(fast, plain):
            assert np.allclose(a, b, atol=1e-4)


@pytest.mark.parametrize("seam", [-180.0, -30.0])
def test_delta_lines_agree_with_one_line_at_a_time_and_decode_to_window_parts(seam):
    rng = np.random.default_rng(11)
    lines = []
    for _ in range(300):
        n = int(rng.integers(2, 25))
        lines.append(shapely.LineString(np.column_stack([rng.uniform(-180, 180, n), rng.uniform(-80, 80, n)])))
    many = delta_lines(lines, seam, 3)
    assert sum(len(parts) > 1 for parts in many) > 50  # the cut lines are exercised
    for line, encoded in zip(lines, many):
        assert encoded == delta_ints(window_arrays(line, seam), 3)
        # What the page does (app.js undelta): running sums divided by 1000.
        decoded = [
            np.column_stack([np.cumsum(part[0::2]) / 1000, np.cumsum(part[1::2]) / 1000]).tolist() for part in encoded
        ]
        assert decoded == window_parts(line, seam, 3)


@pytest.mark.parametrize("seam", [-180.0, -30.0])
def test_window_parts_stay_inside_and_never_jump(seam):
    line = shapely.LineString(arc_lonlat((-77.04, 38.9), (106.9, 47.9)) + arc_lonlat((106.9, 47.9), (4.35, 50.85))[1:])
    for part in window_parts(line, seam, 4):
        xs = [x for x, _ in part]
        assert all(seam <= x <= seam + 360 for x in xs)
        assert all(abs(b - a) <= 180 for a, b in zip(xs, xs[1:]))


def test_mongolia_to_alaska_is_continuous_in_the_display_window():
    arc = arc_lonlat((106.9, 47.9), (-147.7, 64.8))
    parts = window_parts(shapely.LineString(arc), -30.0, 4)
    assert len(parts) == 1
    assert parts[0][-1][0] == pytest.approx(wrap_lon(-147.7, -30.0))


def test_arc_vertices_lie_on_the_geodesic():
    arc = arc_lonlat((106.9, 47.9), (-77.04, 38.9))
    _, _, total = GEOD.inv(106.9, 47.9, -77.04, 38.9)
    along = sum(GEOD.inv(a[0], a[1], b[0], b[1])[2] for a, b in zip(arc, arc[1:]))
    assert along == pytest.approx(total, rel=1e-4)
    assert len(arc) > len(arc_lonlat((106.9, 47.9), (116.4, 39.9)))  # longer arc, more vertices


def test_arcs_drawn_together_are_the_arcs_drawn_one_by_one():
    """``arc_lines`` (one geodesic call for all) has ``arc_lonlat``'s vertices, exactly."""
    rng = np.random.default_rng(11)
    ends = [((106.9, 47.9), (106.9, 47.9)), ((106.9, 47.9), (106.95, 47.92)), ((170.0, 60.0), (-170.0, 62.0)),
            ((106.9, 47.9), (-73.9, -40.0)), ((0.0, 0.0), (179.9, 0.1))]  # fmt: skip
    ends += [tuple(zip(rng.uniform(-180, 180, 2).tolist(), rng.uniform(-85, 85, 2).tolist())) for _ in range(300)]
    lines = arc_lines(ends)
    assert len(lines) == len(ends)
    for (start, end), line in zip(ends, lines):
        assert list(line.coords) == arc_lonlat(start, end)
    assert {len(line.coords) for line in lines} >= {2, 48}  # the shortest and the longest arcs are among them
    assert len(arc_lines([])) == 0


def test_russia_is_drawn_whole_in_the_window():
    from mongolmap.geo.countries import COUNTRIES_110M, country_shapes

    russia = shape_to_window(country_shapes(COUNTRIES_110M)["RUS"])
    minx, _, maxx, _ = russia.bounds
    assert minx > 15 and maxx > 180  # Chukotka continues east of 180 instead of wrapping to -180
    assert russia.area == pytest.approx(country_shapes(COUNTRIES_110M)["RUS"].area, rel=1e-6)


@pytest.mark.parametrize("code", ["RUS", "FJI"])
@pytest.mark.parametrize("scale", ["50m", "110m"])
def test_countries_cut_at_the_antimeridian_match_the_antimeridian_package(code, scale):
    """Our fast cut of world-atlas' stitched rings gives what the antimeridian package gives."""
    import antimeridian
    import pyogrio

    from mongolmap.geo.countries import COUNTRIES_50M, COUNTRIES_110M, read_topojson

    path = COUNTRIES_50M if scale == "50m" else COUNTRIES_110M
    frame = pyogrio.read_dataframe(path, layer="countries")
    numeric = {"RUS": "643", "FJI": "242"}[code]
    raw = frame[frame["id"] == numeric].geometry.iloc[0]
    fixed = []
    for part in getattr(raw, "geoms", [raw]):
        x0, _, x1, _ = part.bounds
        result = antimeridian.fix_polygon(part, fix_winding=True, great_circle=False) if x1 - x0 > 180 else part
        fixed.extend(getattr(result, "geoms", [result]))
    expected = shapely.MultiPolygon(fixed)
    ours = read_topojson(path)[code]  # the cut, before the UN boundaries take Crimea from Russia
    assert ours.bounds == pytest.approx(expected.bounds, abs=1e-6)
    assert ours.area == pytest.approx(expected.area, rel=1e-9)
    assert shapely.symmetric_difference(ours, expected).area < 1e-9
    assert all(p.bounds[2] - p.bounds[0] <= 180 for p in ours.geoms)
