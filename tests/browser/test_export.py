"""The map's 'Export GeoJSON' downloads exactly what is shown, as the CLI would export it."""

from __future__ import annotations

import json
from pathlib import Path

import geojson_validator

from mongolmap.geo.export import features
from mongolmap.geo.features import dataset_metadata

ROOT = Path(__file__).resolve().parents[2]


def export_from_page(watch):
    with watch.page.expect_download() as info:
        watch.page.get_by_role("button", name="Export GeoJSON").click()
    download = info.value
    assert download.suggested_filename.endswith(".geojson")
    return json.loads(open(download.path(), encoding="utf-8").read())


def assert_same_features(from_page, expected):
    assert [f["id"] for f in from_page["features"]] == [f["id"] for f in expected]
    for got, want in zip(from_page["features"], expected):
        assert got["properties"] == want["properties"], got["id"]
        assert list(got["properties"]) == list(want["properties"]), got["id"]  # the same key order
        assert got["geometry"]["type"] == want["geometry"]["type"], got["id"]
        if "Polygon" in want["geometry"]["type"]:
            # Country outlines: compare where they lie (the page sends the export's own).
            assert _close(_bbox(got["geometry"]), _bbox(want["geometry"]), tol=2e-3), got["id"]
        else:
            assert _close(got["geometry"]["coordinates"], want["geometry"]["coordinates"]), got["id"]


def _bbox(geometry):
    from shapely.geometry import shape

    return list(shape(geometry).bounds)


def _close(a, b, tol=1e-4):
    if isinstance(a, (int, float)):
        return abs(a - b) <= tol
    return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b))


def test_export_everything_then_a_filtered_view(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    everything = export_from_page(watch)
    assert geojson_validator.validate_structure(everything) == {}
    assert list(everything) == ["type", "dataset", "features"]
    assert everything["dataset"] == dataset_metadata(shipped_catalogue)
    assert_same_features(everything, features(shipped_catalogue))

    watch.page.get_by_role("checkbox", name=shipped_catalogue.layers["khaan_quest"].label, exact=True).uncheck()
    watch.page.locator(".mdm-year-from").fill("2010")
    watch.page.locator(".mdm-year-to").fill("2015")
    watch.page.locator(".mdm-years-label[data-from='2010'][data-to='2015']").wait_for()
    narrowed = export_from_page(watch)
    others = [key for key in shipped_catalogue.layers if key != "khaan_quest"]
    expected = features(shipped_catalogue, layers=others, years=(2010, 2015))
    assert 0 < len(expected) < len(everything["features"])
    assert_same_features(narrowed, expected)


def test_exported_lines_are_cut_at_the_antimeridian(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    collection = export_from_page(watch)
    arc = next(f for f in collection["features"] if f["properties"]["id"] == "alaska-mongolia-state-partnership")
    assert arc["geometry"]["type"] == "MultiLineString"
    for feature in collection["features"]:
        geometry = feature["geometry"]
        lines = {"LineString": [geometry["coordinates"]], "MultiLineString": geometry["coordinates"]}.get(geometry["type"], [])
        for line in lines:
            for (x0, _), (x1, _) in zip(line, line[1:]):
                assert abs(x1 - x0) <= 180 and -180 <= x0 <= 180, feature["id"]


EDGE_CASES = """
places:
  - id: sea-of-japan-test
    name: Sea of Japan (test)
    lat: 40.0
    lon: 135.0
    precision: region
events:
  - id: edge-mixed-precision
    kind: exercise
    title: Starts in a year, ends on a day
    start: "2019"
    end: "2019-08-15"
    places: [sea-of-japan-test]
    participants: [mongolia, japan]
    layer: diplomacy
    citations:
      - source: mme-v7
        ref: edge-1
      - source: miller-leveraging-mongolia
        quote: A quote and a note, no ref.
        note: A second citation without a ref.
  - id: edge-same-day
    kind: exercise
    title: One day
    start: "2021-03-09"
    end: "2021-03-09"
    places: [moscow]
    layer: neighbours
    citations:
      - source: mme-v7
        quote: A dataset cited by a quote, without a ref.
links:
  - id: edge-until-only
    kind: diplomatic relations
    title: Ends without a known start
    a: mongolia
    b: china
    until: "1990-06"
    layer: neighbours
    citations:
      - source: mme-v7
        ref: edge-2
  - id: edge-undated
    kind: dialogue format
    title: No dates at all
    a: mongolia
    b: russia
    layer: neighbours
    citations:
      - source: mme-v7
        ref: edge-3
"""


def test_export_of_encoding_edge_cases_matches_the_cli(watch, tmp_path):
    """The page's data contract (layers/wire.py) gives what the CLI exports, for records the shipped data lacks: a link with an
    end and no start, an undated link, mixed date precisions, a same-day event,
    several citations, a bare ref, a citation without a ref, a place at sea."""
    import shutil

    from build_map import main as build_main
    from mongolmap.geo.load import load_or_raise

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "edge.yaml").write_text(EDGE_CASES, encoding="utf-8")
    out = tmp_path / "out"
    assert build_main(["--data", str(data), "--out", str(out), "--no-seeds", "--no-geojson"]) == 0
    catalogue = load_or_raise(data, None)
    watch.open(out / "map.html")
    exported = export_from_page(watch)
    expected = features(catalogue)
    ids = {f["properties"]["id"] for f in expected}
    assert {"edge-mixed-precision", "edge-same-day", "edge-until-only", "edge-undated"} <= ids
    assert_same_features(exported, expected)
    until_only = next(f for f in exported["features"] if f["properties"]["id"] == "edge-until-only")
    assert (until_only["properties"]["start"], until_only["properties"]["end"]) == (None, "1990-06")
