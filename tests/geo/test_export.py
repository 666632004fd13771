"""Exports are correct GeoJSON that other tools read: RFC 7946, GDAL, a maintained validator."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geojson_validator
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from build_map import main as build_main
from mongolmap.geo.export import export_file, feature_collection, features, geojson_text, parse_years
from mongolmap.geo.features import dataset_metadata
from mongolmap.geo.load import load_or_raise

ROOT = Path(__file__).resolve().parents[2]

PROPERTY_KEYS = {
    "id", "feature", "role", "layer", "record_type", "kind", "title", "description", "start", "end",
    "date_precision", "date_label", "place", "place_name", "country", "country_name",
    "location_precision", "uncertainty_km", "participant", "participants", "citations",
}


@pytest.fixture(scope="module")
def catalogue():
    return load_or_raise(ROOT / "data", seeds_dir=None)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export-build")
    assert build_main(["--data", str(ROOT / "data"), "--out", str(out), "--no-seeds"]) == 0
    return out / "geojson"


def test_build_files_are_the_export_of_every_feature_and_of_each_layer(built, catalogue):
    """The build encodes features one at a time into its files; the text is what
    encoding the sorted feature list whole gives, filtered by layer for each file."""
    everything = features(catalogue)
    meta = dataset_metadata(catalogue)
    assert (built / "all.geojson").read_bytes() == geojson_text(feature_collection(everything, meta)).encode()
    for key in catalogue.layers:
        mine = [f for f in everything if f["properties"]["layer"] == key]
        assert (built / f"{key}.geojson").read_bytes() == geojson_text(feature_collection(mine, meta)).encode()


def segments(geometry):
    for line in _lines(geometry):
        yield from zip(line, line[1:])


def _lines(geometry):
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return []
    if kind == "LineString":
        return [coords]
    if kind in ("MultiLineString", "Polygon"):
        return coords
    return [ring for polygon in coords for ring in polygon]


def test_build_writes_one_file_per_layer_and_all(built, catalogue):
    names = sorted(p.name for p in built.glob("*.geojson"))
    assert names == sorted(["all.geojson", *(f"{key}.geojson" for key in catalogue.layers)])
    total = sum(len(json.loads(p.read_text())["features"]) for p in built.glob("*.geojson") if p.name != "all.geojson")
    assert total == len(json.loads((built / "all.geojson").read_text())["features"])


def test_every_file_passes_the_validator_and_gdal_reads_it(built):
    for path in sorted(built.glob("*.geojson")):
        collection = json.loads(path.read_text(encoding="utf-8"))
        assert geojson_validator.validate_structure(collection) == {}, path.name
        result = geojson_validator.validate_geometries(collection)
        assert result["invalid"] == {}, path.name
        # The validator folds 180 into -180 before comparing neighbours, so it
        # flags the very cut RFC 7946 §3.1.9 asks for (a part ending at 180.0,
        # the next starting at -180.0); test_no_segment_jumps_across_the_antimeridian
        # checks the real rule.
        problematic = {k: v for k, v in result["problematic"].items() if k != "crosses_antimeridian"}
        assert problematic == {}, path.name
        frame = pyogrio.read_dataframe(path)
        assert len(frame) == len(collection["features"]), path.name


def test_coordinates_are_lonlat_within_range(built):
    collection = json.loads((built / "all.geojson").read_text())
    for feature in collection["features"]:
        for line in _lines(feature["geometry"]) or [[feature["geometry"]["coordinates"]]]:
            for lon, lat in line:
                assert -180 <= lon <= 180 and -90 <= lat <= 90, feature["id"]


def test_no_segment_jumps_across_the_antimeridian(built):
    collection = json.loads((built / "all.geojson").read_text())
    for feature in collection["features"]:
        for (x0, _), (x1, _) in segments(feature["geometry"]):
            assert abs(x1 - x0) <= 180, feature["id"]


def test_alaska_arc_is_split_at_the_antimeridian(built):
    collection = json.loads((built / "alaska.geojson").read_text())
    arcs = [
        f for f in collection["features"]
        if f["properties"]["id"] == "alaska-mongolia-state-partnership"
    ]
    assert len(arcs) == 1
    geometry = arcs[0]["geometry"]
    assert geometry["type"] == "MultiLineString"
    first, second = geometry["coordinates"]
    # Anchorage side ends on -180, the Mongolian side starts on 180, at one latitude.
    assert first[-1][0] == -180.0 and second[0][0] == 180.0
    assert first[-1][1] == second[0][1]
    assert first[0] == pytest.approx([-149.9, 61.22], abs=0.01)


def test_polygons_are_counter_clockwise_outside(built):
    collection = json.loads((built / "all.geojson").read_text())
    polygons = [f for f in collection["features"] if "Polygon" in f["geometry"]["type"]]
    assert polygons
    for feature in polygons:
        geom = shape(feature["geometry"])
        for polygon in getattr(geom, "geoms", [geom]):
            assert polygon.exterior.is_ccw, feature["id"]
            assert all(not ring.is_ccw for ring in polygon.interiors), feature["id"]


def test_places_keep_six_decimals_and_arcs_three(built):
    collection = json.loads((built / "all.geojson").read_text())
    for feature in collection["features"]:
        digits = 6 if feature["geometry"]["type"] == "Point" else 3
        text = json.dumps(feature["geometry"]["coordinates"])
        decimals = [len(n.split(".")[1]) for n in text.replace("[", " ").replace("]", " ").replace(",", " ").split() if "." in n]
        assert max(decimals, default=0) <= digits, feature["id"]


def test_features_carry_the_record_properties(catalogue, built):
    collection = json.loads((built / "all.geojson").read_text())
    by_record = {}
    for feature in collection["features"]:
        assert set(feature["properties"]) == PROPERTY_KEYS
        by_record.setdefault(feature["properties"]["id"], feature["properties"])
    event = catalogue.events["alaska-arctic-training-visit-2024"]
    props = by_record[event.id]
    assert props["title"] == event.title
    assert (props["start"], props["date_precision"], props["date_label"]) == ("2024-02-14", "day", "14 Feb 2024")
    assert props["place_name"] == catalogue.places[event.places[0]].name
    assert props["location_precision"] == catalogue.places[event.places[0]].precision
    assert props["citations"][0]["quote"] == event.citations[0].quote
    assert props["citations"][0]["title"] == catalogue.sources[event.citations[0].source].title
    # Every record with a place or a pair of actors is exported.
    assert set(by_record) == {r.id for r in catalogue.records()}


@pytest.mark.parametrize("fmt", ["gpkg", "kml", "geojson"])
def test_export_formats_read_back_with_gdal(catalogue, tmp_path, fmt):
    out = tmp_path / f"features.{fmt}"
    export_file(catalogue, fmt, out, layers=["alaska"])
    frame = pyogrio.read_dataframe(out)
    expected = features(catalogue, layers=["alaska"])
    assert len(frame) == len(expected)
    if fmt != "kml":  # KML keeps only name and description
        assert sorted(frame["id"]) == sorted(f["properties"]["id"] for f in expected)


def test_csv_has_every_feature_lon_lat_for_points_and_wkt(catalogue, tmp_path):
    out = tmp_path / "features.csv"
    export_file(catalogue, "csv", out, years=(2024, 2024))
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    expected = features(catalogue, years=(2024, 2024))
    assert len(rows) == len(expected) > 0
    assert {f["geometry"]["type"] for f in expected} > {"Point"}  # links and outlines as well
    for row, feature in zip(rows, expected, strict=True):
        assert row["feature_id"] == feature["id"]
        geometry = shapely.from_wkt(row["wkt"])
        assert geometry.equals(shape(feature["geometry"])), feature["id"]
        if feature["geometry"]["type"] == "Point":
            assert [float(row["lon"]), float(row["lat"])] == feature["geometry"]["coordinates"]
        else:
            assert row["lon"] == row["lat"] == ""
        first = feature["properties"]["citations"][0]
        assert row["sources"].splitlines()[0].startswith(first["title"])


def test_layer_and_year_filters(catalogue):
    selected = features(catalogue, layers=["nato", "diplomacy"], years=(2012, 2014))
    assert selected
    assert {f["properties"]["layer"] for f in selected} <= {"nato", "diplomacy"}
    for f in selected:
        start, end = f["properties"]["start"], f["properties"]["end"]
        assert start is None or int(start[:4]) <= 2014
        assert end is None or int(end[:4]) >= 2012
    everything = features(catalogue, years=(2012, 2014))
    assert len(everything) > len(selected)


def test_export_command(tmp_path):
    out = tmp_path / "x.gpkg"
    code = build_main(["export", "--no-seeds", "--format", "gpkg", "--layer", "nato", "--years", "2014", "--out", str(out)])
    assert code == 0
    frame = pyogrio.read_dataframe(out)
    assert set(frame["layer"]) == {"nato"}


def test_export_rejects_unknown_layer_and_bad_years(capsys, tmp_path):
    assert build_main(["export", "--no-seeds", "--layer", "natoo", "--out", str(tmp_path / "a.geojson")]) == 2
    assert "unknown layer(s) natoo" in capsys.readouterr().err
    assert build_main(["export", "--no-seeds", "--years", "2015-2010", "--out", str(tmp_path / "b.geojson")]) == 2
    assert not (tmp_path / "a.geojson").exists() and not (tmp_path / "b.geojson").exists()
    with pytest.raises(ValueError, match="FROM-TO"):
        parse_years("twenty")


def test_arc_geometry_follows_the_geodesic(catalogue):
    from mongolmap.geo.geometry import GEOD

    feats = features(catalogue, layers=["alaska"])
    arc = next(f for f in feats if f["properties"]["id"] == "alaska-mongolia-state-partnership")
    points = [p for part in arc["geometry"]["coordinates"] for p in part]
    start, end = points[0], points[-1]
    _, _, total = GEOD.inv(start[0], start[1], end[0], end[1])
    along = sum(GEOD.inv(a[0], a[1], b[0], b[1])[2] for a, b in zip(points, points[1:]))
    # A great-circle path: the vertices add up to the geodesic length (within rounding).
    assert along == pytest.approx(total, rel=1e-3)
    assert shapely.MultiLineString(arc["geometry"]["coordinates"]).is_valid
