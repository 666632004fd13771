"""The data contract between Python and the page: what the map's scripts read.

One JSON document, written once per page by :func:`wire_data` and read by
``static/mdm.js`` (``MDM.wire``), which checks :data:`WIRE_VERSION` before
anything is drawn. Tables are columns (one list per field, the same length),
because at 100,000 records a column of titles parses faster and packs smaller
than 100,000 objects; every field has a name, and a script reads
``records.title[i]`` or ``places.name[p]``, never a position in a row.
References are row numbers into another table, named after it.

Version 1, field by field (``row`` means a 0-based index into the named table):

``version``
    :data:`WIRE_VERSION`. The page refuses any other and says so.
``title``, ``subtitle``, ``about``
    Text of the title bar and the About panel; ``about`` ends with the data set's
    version, licence and how to cite it (``geo.features.dataset_label``), when
    the folder has a ``dataset.yaml``.
``dataset``
    The data set's title, version, release, licence and citation
    (``geo.features.dataset_metadata``), or null; the in-map export writes it
    into its FeatureCollection as the command line's export does.
``years``
    ``[first, last]`` year any record covers (the year filter's range), or null.
``line_digits``
    Decimals of line coordinates (``geo.export.LINE_DIGITS``), used when the
    page cuts a line at ±180° for export.
``feature_keys``
    Property names of an exported feature, in export order
    (``geo.features.FEATURE_KEYS``).
``details``
    ``[{key, label}]``: record fields the details show under their own label
    (``geo.features.DETAIL_LABELS``).
``layers``
    ``[{key, label, colour, symbol, description, shade_by_count}]`` in drawing order.
``sources``
    Columns ``id, kind, title, author, publisher, published, published_label, address``.
``places``
    Columns ``id, name, local_name, country, precision, uncertainty_km``;
    ``lon, lat``: the point as exported (RFC 7946, 6 decimals); ``x``: its
    longitude in the display window (``geo.geometry.display_point``).
``actors``
    Columns ``id, name``.
``records``
    Events and links. ``fields``: the names of the plain columns that follow,
    every key of ``geo.features.record_fields`` (``id, record_type, kind,
    title, description, start, end, date_precision, date_label``); then the
    references: ``layer`` (row of ``layers``), ``actors`` (rows: participants,
    or a link's two ends), ``places`` (rows: an event's places; empty for a
    link), ``citations`` (``[{source: row, quote?, ref?, note?}]``), and
    ``years`` (``[first, last]``, null for an open end: the filter's input).
``marks``
    What is drawn. ``id``; ``layer`` (row); ``role`` (``place``,
    ``participant``, ``link``, ``country``); ``records`` (rows, in time
    order); ``place`` (row or null: the symbol's place, or an arc's site);
    ``line`` (parts ``[[[lon, lat], ...], ...]`` in the display window, or null);
    ``polygons`` (display ``[[[[lon, lat], ...]]]``, or null); ``export`` (the
    RFC 7946 geometry, given where the page should not derive it: countries,
    and lines the display window or the ±180° meridian cuts; null otherwise,
    and the page rounds the display line with the one mirrored function,
    ``toWindow``);
    ``props``: columns of every key of ``geo.features.mark_properties``.
"""

from __future__ import annotations

import base64
import zlib
from typing import Any

import numpy as np
import orjson
import shapely

from mongolmap.geo.countries import country_names
from mongolmap.geo.dates import date_label
from mongolmap.geo.export import LINE_DIGITS, mark_geometry
from mongolmap.geo import features
from mongolmap.geo.features import Mark, mark_properties, years_of
from mongolmap.geo.geometry import DISPLAY_SEAM, display_point, polygon_rings, shape_to_window, window_arrays, wrap_lon
from mongolmap.geo.load import Catalogue
from mongolmap.geo.models import uncertainty_km

WIRE_VERSION = 1

ABOUT = (
    "Each symbol, arc and shaded country stands for records of Mongolia's defence "
    "partnerships: what happened, when, where, who took part, and who says so. "
    "Facts from the two seed articles quote them word for word; facts from elsewhere "
    "name their source. Click a place or a line to read its records; the year filter "
    "and the layer list choose what is shown, and 'Export GeoJSON' downloads exactly that. "
    "Where a location is known only approximately, a dashed ring shows the uncertainty."
)


def _count(n: int, noun: str) -> str:
    """'1 source', '50 sources'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _columns(rows: list[dict[str, Any]]) -> dict[str, list]:
    """Dictionaries with the same keys as one list per key (a C-level transpose)."""
    if not rows:
        return {}
    return dict(zip(rows[0], map(list, zip(*(row.values() for row in rows)))))


def _covered(years: list[tuple[int | None, int | None]]) -> list[int] | None:
    """``[first, last]`` year of any record (``geo.features.years_covered``), from their years."""
    known = [y for pair in years for y in pair if y is not None]
    return [min(known), max(known)] if known else None


def _rounded(value: float, digits: int) -> float:
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) else rounded


def wire_data(catalogue: Catalogue, marks: list[Mark], title: str) -> dict[str, Any]:
    """The whole contract for one page (see the module docstring)."""
    layer_styles = catalogue.sorted_layers()
    layer_row = {s.key: i for i, s in enumerate(layer_styles)}
    source_ids, place_ids, actor_ids = sorted(catalogue.sources), sorted(catalogue.places), sorted(catalogue.actors)
    source_row = {k: i for i, k in enumerate(source_ids)}
    place_row = {k: i for i, k in enumerate(place_ids)}
    actor_row = {k: i for i, k in enumerate(actor_ids)}
    records = catalogue.records()
    record_row = {r.id: i for i, r in enumerate(records)}

    sources = [catalogue.sources[k] for k in source_ids]
    places = [catalogue.places[k] for k in place_ids]
    fields = _columns([features.record_fields(r) for r in records])
    used = sorted({p.country for p in places if p.country} | {m.country for m in marks if m.country})
    names = country_names()

    mark_props = [mark_properties(catalogue, m) for m in marks]
    # Each record's years from its date columns (the same texts as ``first``/``last``).
    record_years = list(map(years_of, fields.get("start", ()), fields.get("end", ()), fields.get("record_type", ())))
    return {
        "version": WIRE_VERSION,
        "title": title,
        "subtitle": f"{_count(len(records), 'record')} from {_count(len(sources), 'source')}",
        "about": " ".join(filter(None, (ABOUT, features.dataset_label(catalogue)))),
        "dataset": features.dataset_metadata(catalogue),
        "years": _covered(record_years),
        "line_digits": LINE_DIGITS,
        "feature_keys": list(features.FEATURE_KEYS),
        "details": [{"key": k, "label": v} for k, v in features.DETAIL_LABELS.items()],
        "layers": [
            {
                "key": s.key,
                "label": s.label,
                "colour": s.colour,
                "symbol": s.symbol,
                "description": s.description,
                "shade_by_count": s.shade_participants,
            }
            for s in layer_styles
        ],
        "sources": {
            "id": source_ids,
            "kind": [s.kind for s in sources],
            "title": [s.title for s in sources],
            "author": [s.author for s in sources],
            "publisher": [s.publisher for s in sources],
            "published": [s.published for s in sources],
            "published_label": [date_label(s.published) if s.published else None for s in sources],
            "address": [str(s.address) if s.address else None for s in sources],
        },
        "places": {
            "id": place_ids,
            "name": [p.name for p in places],
            "local_name": [p.local_name for p in places],
            "country": [p.country for p in places],
            "precision": [p.precision for p in places],
            "uncertainty_km": [uncertainty_km(p) for p in places],
            "lon": [round(wrap_lon(p.lon), 6) for p in places],
            "lat": [round(p.lat, 6) for p in places],
            "x": [_rounded(display_point(p.lon, p.lat)[0], 6) for p in places],
        },
        "actors": {"id": actor_ids, "name": [catalogue.actors[a].name for a in actor_ids]},
        "countries": {code: names[code] for code in used if code in names},
        "records": {
            "fields": list(fields),
            **fields,
            "layer": [layer_row[r.layer] for r in records],
            "actors": [[actor_row[a] for a in r.actors] for r in records],
            "places": [[place_row[p] for p in r.places] for r in records],
            "citations": [[_citation(c, source_row) for c in r.citations] for r in records],
            "years": record_years,
        },
        "marks": {
            "id": [m.id for m in marks],
            "layer": [layer_row[m.layer] for m in marks],
            "role": [m.role for m in marks],
            "records": [[record_row[r] for r in m.records] for m in marks],
            "place": [place_row[m.place] if m.place else None for m in marks],
            **_mark_geometry(marks),
            "props": _columns(mark_props),
        },
    }


def _citation(citation, source_row: dict[str, int]) -> dict[str, Any]:
    """``{source: row, quote?, ref?, note?}``: absent rather than null, as most are."""
    out: dict[str, Any] = {"source": source_row[citation.source]}
    if citation.quote is not None:
        out["quote"] = citation.quote
    if citation.ref is not None:
        out["ref"] = citation.ref
    if citation.note is not None:
        out["note"] = citation.note
    return out


def _mark_geometry(marks: list[Mark]) -> dict[str, list]:
    """The ``line``, ``polygons`` and ``export`` columns of the marks."""
    lines: list = [None] * len(marks)
    polygons: list = [None] * len(marks)
    export: list = [None] * len(marks)
    for i, mark in enumerate(marks):
        if mark.role == "country":
            polygons[i] = polygon_rings(shape_to_window(mark.geometry), digits=LINE_DIGITS)
            export[i] = mark_geometry(mark)
    rows = [i for i, mark in enumerate(marks) if mark.role in ("link", "participant")]
    for i, parts, cut in zip(rows, *_display_lines([marks[i].geometry for i in rows])):
        lines[i] = parts
        if cut:
            # Cut by the display window or at ±180°: its export is given, not derived. The page
            # would cut the rounded display line, and a crossing interpolated from rounded points
            # can differ from the CLI's in the last decimal (Tonga's Khaan Quest arc did).
            export[i] = mark_geometry(marks[i])
    return {"line": lines, "polygons": polygons, "export": export}


def _display_lines(geometries: list) -> tuple[list[list], list[bool]]:
    """Each line's parts in the display window, rounded to ``LINE_DIGITS``, and
    whether the display window or the ±180° meridian cuts it.

    :func:`geo.geometry.window_arrays` for every line, in one numpy pass over
    all their coordinates; only the few lines the display window cuts are done
    one by one (a line's parts are the same either way: the tests compare).
    """
    if not geometries:
        return [], []
    coords, owner = shapely.get_coordinates(geometries, return_index=True)
    same_line = owner[1:] == owner[:-1]
    shown = np.round((coords[:, 0] - DISPLAY_SEAM) % 360.0 + DISPLAY_SEAM, 9)
    true = np.round((coords[:, 0] + 180.0) % 360.0 - 180.0, 9)
    cut_shown = set(owner[1:][same_line & (np.abs(np.diff(shown)) > 180.0)].tolist())
    cut_true = set(owner[1:][same_line & (np.abs(np.diff(true)) > 180.0)].tolist())
    rounded = np.round(np.column_stack([shown, coords[:, 1]]), LINE_DIGITS)
    bounds = np.searchsorted(owner, np.arange(len(geometries) + 1)).tolist()
    parts = []
    for k, geometry in enumerate(geometries):
        if k in cut_shown:
            parts.append([np.round(p, LINE_DIGITS).tolist() for p in window_arrays(geometry, DISPLAY_SEAM)])
        else:
            parts.append([rounded[bounds[k] : bounds[k + 1]].tolist()])
    return parts, [k in cut_shown or k in cut_true for k in range(len(geometries))]


def encode(data: dict[str, Any]) -> str:
    """The contract as the page carries it: JSON, deflated (zlib), in base64.

    Deflate makes the 100,000-record page about a third of its plain JSON
    (repeated keys, ids and dates pack well), so the contract can name every
    field and reference instead of hand-packing them; the page inflates it
    with the browser's ``DecompressionStream``. zlib output depends only on
    its input, so builds stay byte-identical.
    """
    return base64.b64encode(zlib.compress(orjson.dumps(data), 1)).decode("ascii")


def decode(text: str) -> dict[str, Any]:
    """:func:`encode` undone (for tests and tools)."""
    import json

    return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))
