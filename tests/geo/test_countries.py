"""The shipped outlines: the .npz files are exactly what the TopoJSON gives."""

from __future__ import annotations

import pytest
import shapely

from geo.countries import COUNTRIES_50M, COUNTRIES_110M, country_shapes, read_topojson


@pytest.mark.parametrize("path", [COUNTRIES_50M, COUNTRIES_110M], ids=["50m", "110m"])
def test_derived_outlines_match_the_topojson(path):
    """If the TopoJSON or the cut at ±180 changes, `make outlines` must be run."""
    shipped = country_shapes.__wrapped__(path)
    fresh = read_topojson(path)
    assert list(shipped) == list(fresh)
    different = [code for code in fresh if shapely.to_wkb(shipped[code]) != shapely.to_wkb(fresh[code])]
    assert different == [], f"run `make outlines`: {different} differ"


def test_outlines_keep_single_polygons_and_cut_russia():
    shapes = country_shapes()
    assert shapes["MNG"].geom_type == "Polygon"
    assert shapes["RUS"].geom_type == "MultiPolygon"
    west, _, east, _ = shapes["RUS"].bounds
    assert (west, east) == (-180.0, 180.0)
