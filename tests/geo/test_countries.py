"""The shipped outlines: the .npz files are exactly what `make outlines` derives
from the TopoJSON, on the boundaries the UN recognises (docs/methodology.md)."""

from __future__ import annotations

import pytest
import shapely

from mongolmap.geo.countries import (
    COUNTRIES_50M,
    COUNTRIES_110M,
    country_at,
    country_shapes,
    derive_shapes,
    read_topojson,
    un_boundaries,
)

SCALES = [pytest.param(COUNTRIES_50M, id="50m"), pytest.param(COUNTRIES_110M, id="110m")]


@pytest.mark.parametrize("path", SCALES)
def test_derived_outlines_match_a_fresh_derivation(path):
    """If the TopoJSON, the cut at ±180 or the disputed-territory policy changes, `make outlines` must be run."""
    shipped = country_shapes.__wrapped__(path)
    fresh = derive_shapes(path)
    assert list(shipped) == list(fresh)
    different = [code for code in fresh if shapely.to_wkb(shipped[code]) != shapely.to_wkb(fresh[code])]
    assert different == [], f"run `make outlines`: {different} differ"


def test_outlines_keep_single_polygons_and_cut_russia():
    shapes = country_shapes()
    assert shapes["MNG"].geom_type == "Polygon"
    assert shapes["RUS"].geom_type == "MultiPolygon"
    west, _, east, _ = shapes["RUS"].bounds
    assert (west, east) == (-180.0, 180.0)


# (name, lon, lat, country in Natural Earth's de facto outlines, country on the UN's boundaries)
DISPUTED = [
    pytest.param(33.5254, 44.6167, "RUS", "UKR", id="sevastopol"),
    pytest.param(34.1024, 44.9521, "RUS", "UKR", id="simferopol"),
    pytest.param(36.4700, 45.3600, "RUS", "UKR", id="kerch"),
    pytest.param(-13.2000, 27.1500, "MAR", "ESH", id="laayoune"),
    pytest.param(-15.9500, 23.7000, "MAR", "ESH", id="dakhla"),
    pytest.param(33.3200, 35.3400, "N. Cyprus", "CYP", id="kyrenia"),
    pytest.param(44.0600, 9.5600, "Somaliland", "SOM", id="hargeisa"),
    # Kept as Natural Earth draws them (docs/methodology.md says why).
    pytest.param(21.1700, 42.6700, "Kosovo", "Kosovo", id="pristina-kept"),
    pytest.param(-7.5900, 33.5700, "MAR", "MAR", id="casablanca-unchanged"),
    pytest.param(39.7200, 47.2400, "RUS", "RUS", id="rostov-unchanged"),
    pytest.param(30.5200, 50.4500, "UKR", "UKR", id="kyiv-unchanged"),
    pytest.param(37.8000, 48.0000, "UKR", "UKR", id="donetsk-unchanged"),
]


@pytest.mark.parametrize("path", SCALES)
@pytest.mark.parametrize(("lon", "lat", "de_facto", "un"), DISPUTED)
def test_un_boundaries_move_only_the_disputed_territory(path, lon, lat, de_facto, un):
    point = shapely.Point(lon, lat)
    raw, policy = read_topojson(path), country_shapes(path)
    assert [code for code, shape in raw.items() if shape.contains(point)] == [de_facto]
    assert [code for code, shape in policy.items() if shape.contains(point)] == [un]


@pytest.mark.parametrize("path", SCALES)
def test_un_boundaries_keep_every_piece_of_land(path):
    """Moving territory neither loses nor adds land, and no two outlines overlap where they met."""
    raw, policy = read_topojson(path), country_shapes(path)
    assert sum(s.area for s in policy.values()) == pytest.approx(sum(s.area for s in raw.values()), rel=1e-9)
    assert set(raw) - set(policy) == {"N. Cyprus", "Somaliland"}
    for a, b in [("RUS", "UKR"), ("MAR", "ESH"), ("CYP", "SOM")]:
        assert shapely.intersection(policy[a], policy[b]).area == pytest.approx(0.0, abs=1e-9)
    crimea = [part for part in raw["RUS"].geoms if part.within(shapely.box(32.0, 44.0, 36.7, 46.3))]
    assert len(crimea) == 1 and crimea[0].contains(shapely.Point(34.1024, 44.9521))
    assert policy["UKR"].area == pytest.approx(raw["UKR"].area + crimea[0].area, rel=1e-12)
    assert policy["RUS"].area == pytest.approx(raw["RUS"].area - crimea[0].area, rel=1e-12)


def test_un_boundaries_are_deterministic():
    raw = read_topojson(COUNTRIES_110M)
    first, second = un_boundaries(raw), un_boundaries(raw)
    assert all(shapely.to_wkb(first[c]) == shapely.to_wkb(second[c]) for c in first)
    assert raw["RUS"].contains(shapely.Point(33.5254, 44.6167)), "un_boundaries must not change its input"


def test_country_at_sevastopol_is_ukraine():
    assert country_at(33.5254, 44.6167) == "UKR"
