"""The data set's version travels with the data: in every export format and the About panel."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest

from build_map import main as build_main
from mongolmap.geo.export import export_file, features
from mongolmap.geo.features import build_marks, dataset_label, dataset_metadata
from mongolmap.geo.load import load_or_raise
from mongolmap.layers.wire import wire_data

ROOT = Path(__file__).resolve().parents[2]
KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def catalogue():
    return load_or_raise(ROOT / "data", seeds_dir=None)


@pytest.fixture(scope="module")
def version(catalogue) -> str:
    assert catalogue.dataset is not None, "data/dataset.yaml is missing"
    return catalogue.dataset.version


def test_metadata_names_title_version_release_licence_and_citation(catalogue, version):
    assert dataset_metadata(catalogue) == {
        "title": catalogue.dataset.title,
        "version": version,
        "released": catalogue.dataset.released,
        "licence": "CC BY 4.0",
        "citation": catalogue.dataset.citation,
    }


def test_geojson_export_names_the_data_set_as_a_foreign_member(catalogue, version, tmp_path):
    out = export_file(catalogue, "geojson", tmp_path / "x.geojson", layers=["nato"])
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert list(collection) == ["type", "dataset", "features"]
    assert collection["dataset"]["version"] == version
    assert collection["dataset"]["title"] == catalogue.dataset.title
    assert len(collection["features"]) == len(features(catalogue, layers=["nato"])) > 0


def test_built_geojson_files_name_the_data_set(catalogue, version, tmp_path):
    assert build_main(["--data", str(ROOT / "data"), "--out", str(tmp_path), "--no-seeds"]) == 0
    for path in sorted((tmp_path / "geojson").glob("*.geojson")):
        collection = json.loads(path.read_text(encoding="utf-8"))
        assert collection["dataset"] == dataset_metadata(catalogue), path.name


def test_csv_has_a_dataset_version_column(catalogue, version, tmp_path):
    out = export_file(catalogue, "csv", tmp_path / "x.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and {row["dataset_version"] for row in rows} == {version}


def test_geopackage_layer_description_and_metadata(catalogue, version, tmp_path):
    out = export_file(catalogue, "gpkg", tmp_path / "x.gpkg")
    info = pyogrio.read_info(out, layer="features")
    assert info["layer_metadata"]["version"] == version
    assert info["layer_metadata"]["citation"] == catalogue.dataset.citation
    import sqlite3

    with sqlite3.connect(out) as db:
        (description,) = db.execute("SELECT description FROM gpkg_contents WHERE table_name = 'features'").fetchone()
    assert description == dataset_label(catalogue)
    assert set(pyogrio.read_dataframe(out)["dataset_version"]) == {version}


def test_kml_document_is_named_and_described_with_the_version(catalogue, version, tmp_path):
    out = export_file(catalogue, "kml", tmp_path / "x.kml", layers=["alaska"])
    document = ET.parse(out).getroot().find(f"{KML}Document")
    assert document.findtext(f"{KML}name") == catalogue.dataset.title
    assert f"version {version}" in document.findtext(f"{KML}description")
    # Still KML that GDAL reads, every placemark carrying the version in its ExtendedData.
    assert len(pyogrio.read_dataframe(out)) == len(features(catalogue, layers=["alaska"]))
    values = {d.findtext(f"{KML}value") for d in document.iter(f"{KML}Data") if d.get("name") == "dataset_version"}
    assert values == {version}


def test_about_panel_text_names_the_version(catalogue, version):
    data = wire_data(catalogue, build_marks(catalogue), "t")
    assert f"version {version} (released {catalogue.dataset.released})" in data["about"]
    assert data["about"].endswith(catalogue.dataset.citation)


def test_a_folder_without_dataset_yaml_exports_no_dataset(good_data, tmp_path):
    catalogue = load_or_raise(good_data, seeds_dir=None)
    collection = json.loads(export_file(catalogue, "geojson", tmp_path / "x.geojson").read_text(encoding="utf-8"))
    assert "dataset" not in collection
    rows = list(csv.DictReader(export_file(catalogue, "csv", tmp_path / "x.csv").open(encoding="utf-8")))
    assert rows and "dataset_version" not in rows[0]


def test_geoparquet_names_the_data_set_in_its_metadata(catalogue, version, tmp_path):
    import json

    import pyarrow.parquet as pq

    out = export_file(catalogue, "parquet", tmp_path / "x.parquet", layers=["nato"])
    metadata = pq.read_schema(out).metadata
    assert json.loads(metadata[b"dataset"]) == dataset_metadata(catalogue)
    assert json.loads(metadata[b"geo"])["primary_column"] == "geometry"
