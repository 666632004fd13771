"""Disputed territory: borders as the UN recognises them, where places are
checked and in what the page draws (docs/methodology.md, "Disputed territory")."""

from __future__ import annotations

import re
from pathlib import Path

import shapely

from mongolmap.geo.features import build_marks
from mongolmap.geo.geometry import display_point
from mongolmap.geo.load import load_catalogue
from mongolmap.layers.units import basemap_outlines

ROOT = Path(__file__).resolve().parents[2]

SEVASTOPOL = (33.5254, 44.6167)  # lon, lat: MME v7 row mme2030 gives lat 44.61665, lon 33.5253671
KYIV = (30.5234, 50.4501)
MOSCOW = (37.6173, 55.7558)
LAAYOUNE = (-13.2, 27.15)


def place_file(country: str) -> str:
    lon, lat = SEVASTOPOL
    return f"""\
places:
  - id: sevastopol
    name: Sevastopol
    country: {country}
    lat: {lat}
    lon: {lon}
    precision: city
"""


def test_a_place_in_sevastopol_in_ukraine_validates(make_data, good_text):
    data = make_data({"records.yaml": good_text, "crimea.yaml": place_file("UKR")})
    catalogue, problems = load_catalogue(data, seeds_dir=None)
    assert [str(p) for p in problems] == []
    assert catalogue.places["sevastopol"].country == "UKR"


def test_a_place_in_sevastopol_in_russia_fails(make_data, good_text):
    text = place_file("RUS")
    data = make_data({"records.yaml": good_text, "crimea.yaml": text})
    _, problems = load_catalogue(data, seeds_dir=None)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (Path(problem.file).name, problem.line, problem.record, problem.field) == (
        "crimea.yaml", text.splitlines().index(f"    lat: {SEVASTOPOL[1]}") + 1, "sevastopol", "lat",
    )
    assert re.fullmatch(r"lat 44\.6167, lon 33\.5254 lies outside RUS \(it is in UKR\)", problem.message)


def _outlines_holding(lonlat: tuple[float, float]) -> list[shapely.Geometry]:
    """The base map's polygons (as the page gets them: rings in the display window) that hold a point."""
    point = shapely.Point(display_point(*lonlat))
    shapes = [shapely.MultiPolygon([(rings[0], rings[1:]) for rings in country]) for country in basemap_outlines()]
    return [shape for shape in shapes if shape.contains(point)]


def test_the_base_map_draws_crimea_as_ukraine():
    holding = _outlines_holding(SEVASTOPOL)
    assert len(holding) == 1
    ukraine = holding[0]
    assert ukraine.contains(shapely.Point(display_point(*KYIV)))
    assert not ukraine.contains(shapely.Point(display_point(*MOSCOW)))
    assert _outlines_holding(MOSCOW) != holding


def test_the_base_map_draws_western_sahara_apart_from_morocco():
    holding = _outlines_holding(LAAYOUNE)
    assert len(holding) == 1
    assert not holding[0].contains(shapely.Point(display_point(-7.59, 33.57)))  # Casablanca


def test_the_neighbours_layer_does_not_shade_crimea_as_russia():
    catalogue, problems = load_catalogue(ROOT / "data", seeds_dir=None)
    assert problems == []
    shaded = {m.country: m.geometry for m in build_marks(catalogue) if m.role == "country" and m.layer == "neighbours"}
    assert "RUS" in shaded
    assert not shaded["RUS"].intersects(shapely.Point(SEVASTOPOL).buffer(0.2))
    assert shaded["RUS"].contains(shapely.Point(MOSCOW))
