"""Features for other tools: RFC 7946 GeoJSON, and GeoPackage, CSV, KML through GDAL.

Every exported feature is one record drawn as one mark (see
:mod:`geo.features`), carrying the record's properties. Geometry follows
RFC 7946: WGS84 longitude-latitude, longitudes in [-180, 180], lines cut at
the antimeridian into a MultiLineString (§3.1.9), polygons counter-clockwise
outside (§3.1.6), 6 decimals for places and 3 for arcs and outlines.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import numpy as np
import orjson
import shapely
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from geo.features import Mark, build_marks, feature_properties, span
from geo.geometry import window_parts, wrap_lon
from geo.load import Catalogue
from geo.output import atomic_write_bytes, atomic_write_text

PLACE_DIGITS = 6
LINE_DIGITS = 3  # about 100 m: arcs are schematic geodesics, outlines 1:110m

FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "kml": ".kml", "parquet": ".parquet"}


def mark_geometry(mark: Mark) -> dict[str, Any]:
    """A mark's geometry as an RFC 7946 GeoJSON geometry object."""
    geom = mark.geometry
    if mark.role == "place":
        return {"type": "Point", "coordinates": [round(wrap_lon(geom.x), PLACE_DIGITS), round(geom.y, PLACE_DIGITS)]}
    if mark.role in ("link", "participant"):
        parts = window_parts(geom, -180.0, LINE_DIGITS)
        if len(parts) == 1:
            return {"type": "LineString", "coordinates": parts[0]}
        return {"type": "MultiLineString", "coordinates": parts}
    rounded = shapely.transform(geom, lambda c: np.round(c, LINE_DIGITS))
    polygons = [orient(p, sign=1.0) for p in getattr(rounded, "geoms", [rounded]) if not p.is_empty]
    shape = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    return json.loads(json.dumps(mapping(shape)))


def parse_years(text: str) -> tuple[int, int]:
    """'2005-2015' or '2014' to a pair of years.

    >>> parse_years("2005-2015")
    (2005, 2015)
    >>> parse_years("2014")
    (2014, 2014)
    """
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise ValueError(f"--years {text!r}: write FROM-TO, e.g. 2005-2015, or one year")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValueError(f"--years {text!r}: the last year comes before the first")
    return first, last


def in_years(catalogue: Catalogue, record_id: str, years: tuple[int, int] | None) -> bool:
    """Whether a record overlaps the years (open ends reach forever); mirrors app.js."""
    if years is None:
        return True
    first, last = span(catalogue, record_id)
    return (first is None or first <= years[1]) and (last is None or last >= years[0])


def iter_features(
    catalogue: Catalogue,
    marks: list[Mark],
    layers: list[str] | None = None,
    years: tuple[int, int] | None = None,
) -> Iterator[dict[str, Any]]:
    """GeoJSON Feature objects, one per record per mark, in feature id order,
    made one at a time (each mark's geometry once)."""
    if layers:
        unknown = sorted(set(layers) - set(catalogue.layers))
        if unknown:
            raise ValueError(f"unknown layer(s) {', '.join(unknown)}; known: {', '.join(sorted(catalogue.layers))}")
    order = sorted(
        (f"{record_id}@{mark.id}", n, record_id)
        for n, mark in enumerate(marks)
        if not layers or mark.layer in layers
        for record_id in mark.records
        if in_years(catalogue, record_id, years)
    )
    geometries: dict[int, dict[str, Any]] = {}
    for fid, n, record_id in order:
        mark = marks[n]
        geometry = geometries.get(n)
        if geometry is None:
            geometry = geometries[n] = mark_geometry(mark)
        yield {
            "type": "Feature",
            "id": fid,
            "geometry": geometry,
            "properties": feature_properties(catalogue, mark, record_id),
        }


def features(
    catalogue: Catalogue,
    marks: list[Mark] | None = None,
    layers: list[str] | None = None,
    years: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    """GeoJSON Feature objects, one per record per mark, sorted by feature id."""
    marks = build_marks(catalogue) if marks is None else marks
    return list(iter_features(catalogue, marks, layers, years))


def feature_collection(feats: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": feats}


def geojson_text(collection: dict[str, Any]) -> str:
    """Compact UTF-8 GeoJSON (orjson: the same text as the json module, faster)."""
    return orjson.dumps(collection).decode("utf-8") + "\n"


_COLLECTION_HEAD = b'{"type":"FeatureCollection","features":['
_COLLECTION_TAIL = b"]}\n"


def geojson_files(catalogue: Catalogue, marks: list[Mark] | None = None) -> dict[str, bytes]:
    """File name to UTF-8 GeoJSON: one FeatureCollection per layer and ``all.geojson``,
    each the text ``geojson_text(feature_collection(features(...)))`` gives.

    Each feature is encoded as it is made, straight into its files: at 100,000
    records, keeping every feature's dictionary (or its bytes) until the end
    cost hundreds of megabytes.
    """
    marks = build_marks(catalogue) if marks is None else marks
    everything = io.BytesIO()
    by_layer = {style.key: io.BytesIO() for style in catalogue.sorted_layers()}
    for buffer in (everything, *by_layer.values()):
        buffer.write(_COLLECTION_HEAD)
    dumps = orjson.dumps
    for feature in iter_features(catalogue, marks):
        data = dumps(feature)
        for buffer in (everything, by_layer[feature["properties"]["layer"]]):
            if buffer.tell() > len(_COLLECTION_HEAD):
                buffer.write(b",")
            buffer.write(data)
    files = {"all.geojson": everything}
    files.update({f"{key}.geojson": buffer for key, buffer in by_layer.items()})
    out = {}
    for name, buffer in files.items():
        buffer.write(_COLLECTION_TAIL)
        out[name] = buffer.getvalue()
        buffer.close()
    return out


def _flat_properties(props: dict[str, Any]) -> dict[str, Any]:
    """Lists and citations as JSON text, for formats with flat columns."""
    flat = {}
    for key, value in props.items():
        flat[key] = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
    return flat


def export_file(
    catalogue: Catalogue,
    fmt: str,
    out: Path | None,
    layers: list[str] | None = None,
    years: tuple[int, int] | None = None,
) -> Path:
    """Write the selected features in ``fmt`` through geopandas/pyogrio (GeoJSON as text)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    out = Path(out) if out else Path("output") / f"export{FORMATS[fmt]}"
    if fmt == "parquet":  # GeoParquet, typed columns: geo.frames
        from geo.frames import parquet_bytes, records_frame

        atomic_write_bytes(out, parquet_bytes(records_frame(catalogue, layers, years)))
        return out
    feats = features(catalogue, layers=layers, years=years)
    if fmt == "geojson":
        atomic_write_text(out, geojson_text(feature_collection(feats)))
        return out

    import geopandas as gpd

    rows = [_flat_properties(f["properties"]) | {"feature_id": f["id"]} for f in feats]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in feats]
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    if fmt == "csv":
        frame = frame[frame.geometry.geom_type == "Point"].copy()
        frame.insert(0, "lon", frame.geometry.x)
        frame.insert(1, "lat", frame.geometry.y)
        data = frame.drop(columns="geometry").to_csv(index=False).encode("utf-8")
        atomic_write_bytes(out, data)
        return out
    tmp = out.with_name(f".{out.name}.tmp{FORMATS[fmt]}")
    tmp.unlink(missing_ok=True)
    try:
        if fmt == "gpkg":
            frame.to_file(tmp, driver="GPKG", layer="features", engine="pyogrio")
        else:
            # GDAL's KML driver labels placemarks from columns named Name and Description.
            frame = frame.assign(Name=frame["title"], Description=frame["description"])
            frame.to_file(tmp, driver="KML", engine="pyogrio")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
