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

from mongolmap.geo.features import Mark, build_marks, dataset_label, dataset_metadata, feature_properties, span
from mongolmap.geo.geometry import window_parts, wrap_lon
from mongolmap.geo.load import Catalogue
from mongolmap.geo.output import atomic_write_bytes

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


def feature_collection(feats: list[dict[str, Any]], dataset: dict[str, str] | None = None) -> dict[str, Any]:
    """A FeatureCollection; ``dataset`` (:func:`geo.features.dataset_metadata`), when
    given, is a foreign member naming the data set and its version (RFC 7946 §6.1)."""
    if dataset is None:
        return {"type": "FeatureCollection", "features": feats}
    return {"type": "FeatureCollection", "dataset": dataset, "features": feats}


def geojson_text(collection: dict[str, Any]) -> str:
    """Compact UTF-8 GeoJSON (orjson: the same text as the json module, faster)."""
    return orjson.dumps(collection).decode("utf-8") + "\n"


_COLLECTION_TAIL = b"]}\n"


def geojson_files(catalogue: Catalogue, marks: list[Mark] | None = None) -> dict[str, bytes]:
    """File name to UTF-8 GeoJSON: one FeatureCollection per layer and ``all.geojson``,
    each the text ``geojson_text(feature_collection(features(...), dataset_metadata(catalogue)))`` gives.

    Each feature is encoded as it is made, straight into its files: at 100,000
    records, keeping every feature's dictionary (or its bytes) until the end
    cost hundreds of megabytes.
    """
    marks = build_marks(catalogue) if marks is None else marks
    head = orjson.dumps(feature_collection([], dataset_metadata(catalogue)))[: -len(b"]}")]
    everything = io.BytesIO()
    by_layer = {style.key: io.BytesIO() for style in catalogue.sorted_layers()}
    for buffer in (everything, *by_layer.values()):
        buffer.write(head)
    dumps = orjson.dumps
    for feature in iter_features(catalogue, marks):
        data = dumps(feature)
        for buffer in (everything, by_layer[feature["properties"]["layer"]]):
            if buffer.tell() > len(head):
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


# --- CSV: every feature, text cells safe for spreadsheets --------------------

CSV_COLUMNS = (
    "feature_id", "id", "feature", "role", "layer", "record_type", "kind", "title", "description",
    "start", "end", "date_precision", "date_label", "place", "place_name", "country", "country_name",
    "location_precision", "uncertainty_km", "participant", "participants", "sources", "lon", "lat", "wkt",
)
# OWASP CSV injection: a cell a spreadsheet would read as a formula starts with one of
# these (full-width forms too, which some spreadsheets fold to ASCII).
_FORMULA_START = tuple("=+-@\t\r\n") + tuple("＝＋－＠")


def spreadsheet_safe(text: str) -> str:
    """Text that a spreadsheet shows as text: a cell that could start a formula
    gets a leading apostrophe (the OWASP rule).

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-1"), spreadsheet_safe("Khaan Quest")
    ("'=HYPERLINK(1)", "'-1", 'Khaan Quest')
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def citation_text(citation: dict[str, Any]) -> str:
    """One citation as a readable line: title, author, publisher, date, locator, quote, address, note."""
    parts = [citation["title"]]
    parts += [citation[k] for k in ("author", "publisher", "published") if citation.get(k)]
    if citation.get("ref"):
        parts.append(f"ref {citation['ref']}")
    if citation.get("quote"):
        parts.append(f"“{citation['quote']}”")
    if citation.get("address"):
        parts.append(citation["address"])
    if citation.get("note"):
        parts.append(f"note: {citation['note']}")
    return "; ".join(parts)


def csv_row(feature: dict[str, Any]) -> dict[str, Any]:
    """A feature as one CSV row: lists as '; '-joined text, citations as readable lines
    (one per line), geometry as WKT (and lon, lat for points)."""
    props = feature["properties"]
    row: dict[str, Any] = {k: props.get(k) for k in CSV_COLUMNS if k in props}
    row["feature_id"] = feature["id"]
    row["participants"] = "; ".join(props["participants"])
    row["sources"] = "\n".join(citation_text(c) for c in props["citations"])
    geometry = feature["geometry"]
    if geometry["type"] == "Point":
        row["lon"], row["lat"] = geometry["coordinates"]
    row["wkt"] = shapely.geometry.shape(geometry).wkt
    return row


def csv_bytes(feats: list[dict[str, Any]], dataset: dict[str, str] | None = None) -> bytes:
    """UTF-8 with a BOM (spreadsheets then read it as UTF-8), every text cell quoted and
    neutralised against formulas, numbers as numbers, CRLF between rows. The data set's
    version on every row (``dataset_version``): the one place for it that every
    spreadsheet keeps."""
    import csv

    columns = CSV_COLUMNS + ("dataset_version",) if dataset else CSV_COLUMNS
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(columns)
    for feature in feats:
        row = csv_row(feature)
        if dataset:
            row["dataset_version"] = dataset["version"]
        cells = []
        for column in columns:
            value = row.get(column)
            if value is None:
                cells.append("")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(value)
            else:
                cells.append(spreadsheet_safe(str(value)))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


# --- KML: record text as text, styled per layer --------------------------------


def _kml_colour(hex_colour: str, alpha: str = "ff") -> str:
    """'#rrggbb' to KML's 'aabbggrr'."""
    rr, gg, bb = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{alpha}{bb}{gg}{rr}".lower()


def balloon_html(props: dict[str, Any]) -> str:
    """The HTML a KML viewer shows in a placemark's balloon, every record text escaped
    as HTML (the XML writer escapes it once more, so after XML parsing it is still text)."""
    from html import escape

    def text(value: Any) -> str:
        return escape(str(value), quote=True)

    rows = [
        ("Date", props.get("date_label")),
        ("Place", props.get("place_name")),
        ("Location precision", props.get("location_precision")),
        ("Participants", ", ".join(props.get("participants") or ()) or None),
        ("Layer", props.get("layer")),
        ("Kind", props.get("kind")),
    ]
    parts = [f"<p>{text(props['description'])}</p>" if props.get("description") else ""]
    parts.append("<table>" + "".join(
        f"<tr><th>{text(k)}</th><td>{text(v)}</td></tr>" for k, v in rows if v
    ) + "</table>")
    sources = []
    for citation in props.get("citations") or ():
        line = text(citation_text({**citation, "address": None}))
        address = citation.get("address")
        if address and address.startswith(("https://", "http://")):
            line += f' <a href="{text(address)}">{text(address)}</a>'
        sources.append(f"<li>{line}</li>")
    if sources:
        parts.append("<p>Sources:</p><ol>" + "".join(sources) + "</ol>")
    return "".join(parts)


def _kml_coords(points: list[list[float]]) -> str:
    return " ".join(f"{lon!r},{lat!r}" for lon, lat in points)


def _kml_geometry(geometry: dict[str, Any]) -> str:
    kind, coords = geometry["type"], geometry["coordinates"]

    def polygon(rings: list) -> str:
        outer = f"<outerBoundaryIs><LinearRing><coordinates>{_kml_coords(rings[0])}</coordinates></LinearRing></outerBoundaryIs>"
        inner = "".join(
            f"<innerBoundaryIs><LinearRing><coordinates>{_kml_coords(r)}</coordinates></LinearRing></innerBoundaryIs>"
            for r in rings[1:]
        )
        return f"<Polygon>{outer}{inner}</Polygon>"

    if kind == "Point":
        return f"<Point><coordinates>{_kml_coords([coords])}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><tessellate>1</tessellate><coordinates>{_kml_coords(coords)}</coordinates></LineString>"
    if kind == "MultiLineString":
        return "<MultiGeometry>" + "".join(
            f"<LineString><tessellate>1</tessellate><coordinates>{_kml_coords(c)}</coordinates></LineString>"
            for c in coords
        ) + "</MultiGeometry>"
    if kind == "Polygon":
        return polygon(coords)
    return "<MultiGeometry>" + "".join(polygon(p) for p in coords) + "</MultiGeometry>"


def kml_bytes(catalogue: Catalogue, feats: list[dict[str, Any]], dataset: dict[str, str] | None = None) -> bytes:
    """KML 2.2: one folder per layer with the layer's colours, a placemark per feature
    with its TimeSpan, the record's text and its sources in the balloon; the Document
    named after the data set and described with its version."""
    from xml.sax.saxutils import escape, quoteattr

    def text(value: Any) -> str:
        return escape(str(value))

    styles = catalogue.sorted_layers()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n',
        f"<name>{text((dataset or {}).get('title') or catalogue.title or 'Mongolia defence partnerships')}</name>\n",
    ]
    if dataset:
        out.append(f"<description>{text(dataset_label(catalogue))}</description>\n")
    for style in styles:
        colour = _kml_colour(style.colour)
        out.append(
            f"<Style id={quoteattr('layer-' + style.key)}><IconStyle><color>{colour}</color></IconStyle>"
            f"<LineStyle><color>{colour}</color><width>2</width></LineStyle>"
            f"<PolyStyle><color>{_kml_colour(style.colour, '59')}</color></PolyStyle></Style>\n"
        )
    by_layer: dict[str, list[dict[str, Any]]] = {}
    for feature in feats:
        by_layer.setdefault(feature["properties"]["layer"], []).append(feature)
    for style in styles:
        if style.key not in by_layer:
            continue
        out.append(f"<Folder><name>{text(style.label)}</name>\n")
        for feature in by_layer[style.key]:
            props = feature["properties"]
            span_xml = ""
            if props.get("start") or props.get("end"):
                begin = f"<begin>{text(props['start'])}</begin>" if props.get("start") else ""
                end = f"<end>{text(props['end'])}</end>" if props.get("end") else ""
                span_xml = f"<TimeSpan>{begin}{end}</TimeSpan>"
            data = "".join(
                f"<Data name={quoteattr(key)}><value>{text(props[key])}</value></Data>"
                for key in ("id", "layer", "kind", "start", "end", "place", "country")
                if props.get(key) is not None
            )
            if dataset:
                data += f"<Data name=\"dataset_version\"><value>{text(dataset['version'])}</value></Data>"
            out.append(
                f"<Placemark id={quoteattr(feature['id'])}><name>{text(props['title'])}</name>"
                f"<description>{text(balloon_html(props))}</description>{span_xml}"
                f"<styleUrl>#layer-{text(style.key)}</styleUrl>"
                f"<ExtendedData>{data}</ExtendedData>{_kml_geometry(feature['geometry'])}</Placemark>\n"
            )
        out.append("</Folder>\n")
    out.append("</Document>\n</kml>\n")
    return "".join(out).encode("utf-8")


# --- GeoPackage: through GDAL, reproducibly -------------------------------------

# GDAL writes the time of writing into a GeoPackage (gpkg_contents.last_change) unless
# OGR_CURRENT_DATE says otherwise; SOURCE_DATE_EPOCH (reproducible-builds.org) if set.
def _gpkg_date() -> str:
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _flat_properties(props: dict[str, Any]) -> dict[str, Any]:
    """Lists as '; '-joined text and citations as readable lines, for formats with flat columns."""
    flat = {}
    for key, value in props.items():
        if key == "citations":
            flat["sources"] = "\n".join(citation_text(c) for c in value)
        elif isinstance(value, (list, tuple)):
            flat[key] = "; ".join(str(v) for v in value)
        else:
            flat[key] = value
    return flat


def gpkg_bytes(
    feats: list[dict[str, Any]], folder: Path, dataset: dict[str, str] | None = None, description: str | None = None
) -> bytes:
    """A GeoPackage of the features, written by GDAL into ``folder`` and read back as bytes;
    the data set in the layer's description (gpkg_contents), metadata (gpkg_metadata) and a
    ``dataset_version`` column."""
    import tempfile

    import geopandas as gpd
    import pyogrio

    version = {"dataset_version": dataset["version"]} if dataset else {}
    rows = [_flat_properties(f["properties"]) | {"feature_id": f["id"]} | version for f in feats]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in feats]
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    options: dict[str, Any] = {}
    if dataset:
        options = {"layer_options": {"DESCRIPTION": description}, "layer_metadata": dataset}
    with tempfile.TemporaryDirectory(dir=folder, prefix=".export-gpkg-") as tmp:
        path = Path(tmp) / "features.gpkg"
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _gpkg_date()})
        try:
            frame.to_file(path, driver="GPKG", layer="features", engine="pyogrio", **options)
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
        return path.read_bytes()


def export_file(
    catalogue: Catalogue,
    fmt: str,
    out: Path | None,
    layers: list[str] | None = None,
    years: tuple[int, int] | None = None,
) -> Path:
    """Write the selected features in ``fmt``, all at once (a temporary file renamed into place).

    CSV holds every feature: points with lon and lat, every geometry (links and
    shaded countries too) as WKT in the ``wkt`` column.
    """
    from mongolmap.geo.output import check_file_target

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    out = Path(out) if out else Path("output") / f"export{FORMATS[fmt]}"
    check_file_target(out)
    if fmt == "parquet":  # GeoParquet, typed columns: geo.frames
        from mongolmap.geo.frames import parquet_bytes, records_frame

        data = parquet_bytes(records_frame(catalogue, layers, years), dataset_metadata(catalogue))
        atomic_write_bytes(out, data)
        return out
    feats = features(catalogue, layers=layers, years=years)
    meta = dataset_metadata(catalogue)
    if fmt == "geojson":
        data = geojson_text(feature_collection(feats, meta)).encode("utf-8")
    elif fmt == "csv":
        data = csv_bytes(feats, meta)
    elif fmt == "kml":
        data = kml_bytes(catalogue, feats, meta)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        data = gpkg_bytes(feats, out.parent, meta, dataset_label(catalogue))
    atomic_write_bytes(out, data)
    return out
