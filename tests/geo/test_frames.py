"""The records as a GeoDataFrame and as GeoParquet: the GeoJSON export's rows, columns and
geometries, typed; round trips through geopandas and through pyarrow's own reader."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import geopandas
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from build_map import main as build_main
from mongolmap.geo.export import features
from mongolmap.geo.frames import PROPERTY_COLUMNS, parquet_bytes, partners_frame, records_frame
from mongolmap.geo.load import load_or_raise
from mongolmap.geo.partners import partners_by_year

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalogue():
    return load_or_raise(ROOT / "data", seeds_dir=None)


@pytest.fixture(scope="module")
def frame(catalogue):
    return records_frame(catalogue)


def plain(value):
    """A frame cell as the GeoJSON holds it: missing values None, arrays lists."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "tolist"):  # a numpy array (a list read back from Parquet) or scalar
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def test_columns_are_the_geojson_properties_in_order(catalogue, frame):
    first = features(catalogue)[0]["properties"]
    assert tuple(first) == PROPERTY_COLUMNS
    assert list(frame.columns) == ["feature_id", *PROPERTY_COLUMNS, "first_year", "last_year", "geometry"]


@pytest.mark.parametrize(
    ("layers", "years"),
    [
        pytest.param(None, None, id="everything"),
        pytest.param(["khaan_quest"], None, id="one layer"),
        pytest.param(None, (2005, 2010), id="years"),
        pytest.param(["nato", "alaska"], (2014, 2024), id="layers and years"),
    ],
)
def test_rows_are_the_geojson_features(catalogue, layers, years):
    """Every row is the GeoJSON feature in the same place: id, each property, geometry."""
    feats = features(catalogue, layers=layers, years=years)
    frame = records_frame(catalogue, layers, years)
    assert list(frame["feature_id"]) == [f["id"] for f in feats]
    for row, feature in zip(frame.itertuples(index=False), feats):
        props = feature["properties"]
        assert {k: plain(getattr(row, k)) for k in PROPERTY_COLUMNS} == props
        assert row.geometry.equals_exact(shape(feature["geometry"]), 0)


@pytest.mark.parametrize(
    ("column", "dtype"),
    [
        ("feature_id", "string"), ("id", "string"), ("title", "string"), ("start", "string"),
        ("end", "string"), ("date_label", "string"), ("country", "string"),
        ("uncertainty_km", "Float64"), ("first_year", "Int16"), ("last_year", "Int16"),
        ("participants", "object"), ("citations", "object"), ("geometry", "geometry"),
    ],
)
def test_dtypes(frame, column, dtype):
    assert str(frame[column].dtype) == dtype


@pytest.mark.parametrize(
    ("column", "ordered", "categories"),
    [
        ("date_precision", True, ["year", "month", "day"]),
        ("location_precision", True, ["exact", "installation", "city", "region", "country"]),
        ("record_type", False, ["event", "link"]),
        ("role", False, ["place", "participant", "link", "country"]),
        ("layer", False, ["khaan_quest", "alaska", "nato", "neighbours", "us_bilateral", "diplomacy",
                             "deployments", "third_neighbours"]),
    ],
)
def test_closed_vocabularies_are_categoricals_with_every_value(frame, column, ordered, categories):
    assert isinstance(frame[column].dtype, pd.CategoricalDtype)
    assert (frame[column].cat.ordered, list(frame[column].cat.categories)) == (ordered, categories)


def test_dates_stay_text_in_their_precision_and_years_are_nullable(catalogue, frame):
    by_id = frame.drop_duplicates("id").set_index("id")
    for record in catalogue.records():
        row = by_id.loc[record.id]
        start = getattr(record, "start", None) or getattr(record, "since", None)
        assert plain(row["start"]) == start
        first = int(start[:4]) if start else None
        assert plain(row["first_year"]) == first
    links_without_since = [r.id for r in catalogue.links.values() if r.since is None]
    assert links_without_since, "the shipped data has undated links; the test needs one"
    assert by_id.loc[links_without_since, "first_year"].isna().all()
    assert frame.crs == "EPSG:4326"


def test_an_empty_selection_has_the_same_columns_and_dtypes(make_data, good_text, frame):
    catalogue = load_or_raise(make_data({"records.yaml": good_text}), seeds_dir=None)
    empty = records_frame(catalogue, layers=["nato"])
    assert len(empty) == 0
    assert list(empty.columns) == list(frame.columns)
    same = [c for c in frame.columns if c != "layer"]  # layer categories follow the styles
    assert empty[same].dtypes.to_dict() == frame[same].dtypes.to_dict()
    table = pq.read_table(io.BytesIO(parquet_bytes(empty)))
    assert table.num_rows == 0
    assert table.schema.field("participants").type == pa.list_(pa.string())
    assert pa.types.is_struct(table.schema.field("citations").type.value_type)


# --- GeoParquet ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parquet(tmp_path_factory) -> Path:
    """The CLI's export, as a user would run it."""
    out = tmp_path_factory.mktemp("parquet") / "records.parquet"
    args = ["export", "--format", "parquet", "--data", str(ROOT / "data"), "--no-seeds", "--out", str(out)]
    assert build_main(args) == 0
    return out


def test_geopandas_reads_back_the_same_frame(parquet, frame):
    back = geopandas.read_parquet(parquet)
    assert back.crs == frame.crs
    assert back.dtypes.to_dict() == frame.dtypes.to_dict()
    nested = ["participants", "citations"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns=["geometry", *nested])),
        pd.DataFrame(frame.drop(columns=["geometry", *nested])),
    )
    for column in nested:
        assert [plain(v) for v in back[column]] == [plain(v) for v in frame[column]]
    assert back.geometry.geom_equals_exact(frame.geometry, 0).all()


def test_the_file_is_geoparquet_by_its_metadata(parquet, frame):
    """GDAL's wheel in pyogrio has no Parquet driver (checked below), so the file is checked
    against the GeoParquet specification with pyarrow alone: its 'geo' key, and the WKB
    geometries decoded by shapely without geopandas."""
    table = pq.read_table(parquet)
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["version"].startswith("1.")
    assert geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB"
    assert sorted(column["geometry_types"]) == sorted(set(frame.geometry.geom_type))
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}
    west, south, east, north = column["bbox"]
    assert -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    assert table.schema.field("geometry").type == pa.binary()
    decoded = shapely.from_wkb(table.column("geometry").to_pylist())
    assert all(a.equals_exact(b, 0) for a, b in zip(decoded, frame.geometry))
    assert table.column("feature_id").to_pylist() == list(frame["feature_id"])


def test_gdal_in_pyogrio_has_no_parquet_driver_so_no_gdal_round_trip_here():
    """If a pyogrio wheel ever ships GDAL's Parquet driver, this fails: then read the export
    through GDAL too (pyogrio.read_dataframe) and compare it with the frame."""
    assert "Parquet" not in pyogrio.list_drivers()


# --- The partners table as a frame ---------------------------------------------------------


def test_partners_frame_is_the_table(catalogue):
    table = partners_frame(catalogue, years=(2010, 2020))
    rows = partners_by_year(catalogue, years=(2010, 2020))
    assert list(table.columns) == ["partner", "partner_name", "bloc", "bloc_label", "year", "records", "record_ids"]
    assert [tuple(plain(v) if not isinstance(v, tuple) else v for v in r) for r in table.itertuples(index=False)] == [
        (r.partner, r.partner_name, r.bloc, r.bloc_label, r.year, r.records, r.record_ids) for r in rows
    ]
    assert {str(t) for t in table.dtypes} == {"string", "category", "Int16", "Int32", "object"}
    assert list(table["bloc"].cat.categories)[-1] == "other" and table["bloc"].cat.ordered
