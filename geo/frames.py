"""The records and the partners table as pandas frames, and GeoParquet.

:func:`records_frame` has one row per exported feature, made by the same
generator as the GeoJSON export (:func:`geo.export.iter_features`), so its rows,
geometries and columns are the GeoJSON's: the feature's id as ``feature_id``,
then every property, then ``first_year`` and ``last_year``. Columns get the
dtypes an analyst would choose: dates stay text in their own precision (a
'2014' is not 1 January 2014) beside ``date_precision``, a Categorical;
closed vocabularies are Categoricals with every allowed value; years are
nullable integers (an open-ended link has none); ``participants`` and
``citations`` hold Python lists and dicts, as in the GeoJSON, and GeoParquet
stores them as nested list and struct columns, not JSON text.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, get_args

from mongolmap.geo.dates import DatePrecision
from mongolmap.geo.export import iter_features
from mongolmap.geo.features import Mark, Role, build_marks, span
from mongolmap.geo.load import Catalogue
from mongolmap.geo.models import EventKind, LinkKind, Precision
from mongolmap.geo.partners import blocs, partners_by_year
from mongolmap.geo.speed import batch_gc

if TYPE_CHECKING:
    import geopandas
    import pandas
    import pyarrow

CRS = "EPSG:4326"  # RFC 7946 coordinates: WGS84, longitude first

# The GeoJSON properties, in the export's order (tests check this against it).
PROPERTY_COLUMNS = (
    "id", "feature", "role", "layer", "record_type", "kind", "title", "description", "start",
    "end", "date_precision", "date_label", "place", "place_name", "country", "country_name",
    "location_precision", "uncertainty_km", "participant", "participants", "citations",
)  # fmt: skip
YEAR_COLUMNS = ("first_year", "last_year")
CITATION_FIELDS = ("source", "title", "author", "publisher", "published", "address", "quote", "ref", "note")

_TEXT = ("id", "feature", "title", "description", "start", "end", "date_label", "place",
         "place_name", "country", "country_name", "participant")  # fmt: skip


def _categories(catalogue: Catalogue) -> dict[str, tuple[tuple[str, ...], bool]]:
    """Column to (every allowed value, ordered?): fixed, so frames of different
    selections concatenate without turning categories into objects."""
    return {
        "role": (get_args(Role), False),
        "layer": (tuple(s.key for s in catalogue.sorted_layers()), False),
        "record_type": (("event", "link"), False),
        "kind": (tuple(sorted({*get_args(EventKind), *get_args(LinkKind)})), False),
        "date_precision": (get_args(DatePrecision), True),  # year < month < day
        "location_precision": (get_args(Precision), True),  # exact < ... < country
    }


def _without_nulls(kind: pyarrow.DataType) -> pyarrow.DataType:
    """``kind`` with every null type (a field no row fills) made a string, so a
    column's type does not depend on which records were selected."""
    import pyarrow as pa

    if pa.types.is_null(kind):
        return pa.string()
    if pa.types.is_list(kind):
        return pa.list_(_without_nulls(kind.value_type))
    if pa.types.is_struct(kind):
        return pa.struct([pa.field(f.name, _without_nulls(f.type)) for f in kind])
    return kind


def _nested_types() -> dict[str, pyarrow.DataType]:
    """The Arrow types of the nested columns when no row tells them (an empty selection)."""
    import pyarrow as pa

    assessment = pa.struct([("status", pa.string()), ("sources", pa.list_(pa.string())), ("note", pa.string())])
    citation = pa.struct([(k, pa.string()) for k in CITATION_FIELDS] + [("assessment", assessment)])
    return {"participants": pa.list_(pa.string()), "citations": pa.list_(citation)}


def records_frame(
    catalogue: Catalogue,
    layers: list[str] | None = None,
    years: tuple[int, int] | None = None,
    marks: list[Mark] | None = None,
) -> geopandas.GeoDataFrame:
    """The exported features as a GeoDataFrame, one row per feature, in feature id order.

    Parameters
    ----------
    catalogue
        A validated catalogue.
    layers, years
        The export's filters: only these layer keys; only records overlapping
        these years (inclusive).
    marks
        The catalogue's marks, when already built.

    Returns
    -------
    A GeoDataFrame in EPSG:4326 (longitude, latitude), geometry as in the
    GeoJSON export (cut at the antimeridian).
    """
    with batch_gc():  # every property dictionary stays alive: a third of the time at 100,000 records
        return _records_frame(catalogue, layers, years, marks)


def _records_frame(
    catalogue: Catalogue,
    layers: list[str] | None,
    years: tuple[int, int] | None,
    marks: list[Mark] | None,
) -> geopandas.GeoDataFrame:
    import geopandas as gpd
    import numpy as np
    import orjson
    import pandas as pd
    import shapely

    marks = build_marks(catalogue) if marks is None else marks
    feature_ids, rows, geometry_of_row = [], [], []
    geometries: dict[str, int] = {}  # mark id -> position in mark_geojson: one geometry per mark
    mark_geojson = []
    for feature in iter_features(catalogue, marks, layers, years):
        props = feature["properties"]
        feature_ids.append(feature["id"])
        rows.append(props)
        n = geometries.get(props["feature"])
        if n is None:
            n = geometries[props["feature"]] = len(mark_geojson)
            mark_geojson.append(orjson.dumps(feature["geometry"]))
        geometry_of_row.append(n)
    # GEOS reads the GeoJSON text in one call: shapely.geometry.shape, one mark
    # at a time, was a third of the time at 100,000 records.
    shapes = shapely.from_geojson(mark_geojson) if mark_geojson else np.array([], dtype=object)
    keys = list(rows[0]) if rows else list(PROPERTY_COLUMNS)
    columns: dict[str, list[Any]] = {"feature_id": feature_ids}
    columns.update({key: [props.get(key) for props in rows] for key in keys})
    spans = catalogue.spans
    first_last = [spans.get(i) or span(catalogue, i) for i in columns["id"]]

    data: dict[str, Any] = {}
    categories = _categories(catalogue)
    for key, values in columns.items():
        if key in categories:
            allowed, ordered = categories[key]
            data[key] = pd.Categorical(values, categories=list(allowed), ordered=ordered)
        elif key in ("participants", "citations"):
            data[key] = pd.Series(values, dtype=object)
        elif key == "uncertainty_km":
            data[key] = pd.array(values, dtype="Float64")
        elif key in _TEXT or key == "feature_id":
            data[key] = pd.array(values, dtype="string")
        else:  # a property added to the export after this module: as it comes
            data[key] = pd.Series(values, dtype=object)
    data["first_year"] = pd.array([f for f, _ in first_last], dtype="Int16")
    data["last_year"] = pd.array([last for _, last in first_last], dtype="Int16")
    geometry = gpd.GeoSeries(shapes[np.asarray(geometry_of_row, dtype=np.intp)], crs=CRS)
    return gpd.GeoDataFrame(data, geometry=geometry)


def partners_frame(
    catalogue: Catalogue, layers: list[str] | None = None, years: tuple[int, int] | None = None
) -> pandas.DataFrame:
    """The partners-by-year table (:mod:`geo.partners` says how it counts) as a DataFrame.

    Columns: partner (actor id), partner_name, bloc (a Categorical in the blocs'
    order), bloc_label, year, records, record_ids (a tuple of record ids, to
    select the records in :func:`records_frame`).
    """
    import pandas as pd

    rows = partners_by_year(catalogue, layers, years)
    order = [b.id for b in blocs(catalogue)]
    return pd.DataFrame(
        {
            "partner": pd.array([r.partner for r in rows], dtype="string"),
            "partner_name": pd.array([r.partner_name for r in rows], dtype="string"),
            "bloc": pd.Categorical([r.bloc for r in rows], categories=order, ordered=True),
            "bloc_label": pd.array([r.bloc_label for r in rows], dtype="string"),
            "year": pd.array([r.year for r in rows], dtype="Int16"),
            "records": pd.array([r.records for r in rows], dtype="Int32"),
            "record_ids": pd.Series([r.record_ids for r in rows], dtype=object),
        }
    )


def parquet_bytes(frame: geopandas.GeoDataFrame, dataset: dict[str, str] | None = None) -> bytes:
    """The frame as a GeoParquet file: geopandas' writer ('geo' metadata, WKB
    geometry), with the nested columns' types made independent of the selection,
    and the data set (``geo.features.dataset_metadata``) as JSON under the file's
    ``dataset`` metadata key, beside 'geo'.

    pyarrow types a nested column by what its rows hold: a citation field no
    selected record fills would be of Arrow's null type, which readers take
    differently. So the table geopandas writes is read back, each null type
    made a string, and written again when anything changed (schema metadata,
    and so the 'geo' key, kept).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    table = pq.read_table(io.BytesIO(buffer.getvalue()))
    nested = _nested_types()
    fields = [
        field.with_type(nested[field.name])
        if field.name in nested and pa.types.is_null(field.type)
        else field.with_type(_without_nulls(field.type))
        for field in table.schema
    ]
    if [f.type for f in fields] == table.schema.types and not dataset:
        return buffer.getvalue()
    schema = table.schema
    for index, field in enumerate(fields):
        schema = schema.set(index, field)
    if dataset:
        import json

        schema = schema.with_metadata({**schema.metadata, b"dataset": json.dumps(dataset, sort_keys=True).encode()})
    out = io.BytesIO()
    pq.write_table(table.cast(schema), out, compression="snappy")
    return out.getvalue()
