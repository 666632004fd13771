"""The map's 'Export GeoJSON' downloads exactly what is shown, as the CLI would export it."""

from __future__ import annotations

import json

import geojson_validator
import pytest

from geo.export import features


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
        assert got["geometry"]["type"] == want["geometry"]["type"], got["id"]
        if "Polygon" in want["geometry"]["type"]:
            # Display outlines keep 3 decimals, exports 4: compare where they lie.
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
