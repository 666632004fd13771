"""The data contract between Python and the page: what the map's scripts read.

One JSON document, written once per page by :func:`wire_data` and read by
``static/mdm.js`` (``MDM.wire``), which checks :data:`WIRE_VERSION` before
anything is drawn. Tables are columns (one list per field, the same length),
because at 100,000 records a column of titles parses faster and packs smaller
than 100,000 objects; every field has a name, and a script reads
``records.title[i]`` or ``places.name[p]``, never a position in a row.
References are row numbers into another table, named after it.

Version 2, field by field (``row`` means a 0-based index into the named table).
The version goes up with any change a page of the previous version would read
wrongly or miss: a field added that the page needs, removed, or changed in
meaning. Version 2 added ``sources.seed``, citations' ``assessment``,
``series``, ``partners`` and ``display_seam``; it sends every line's export
geometry and display parts only for lines the display window cuts, and dropped
``line_digits``.

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
``display_seam``
    The western edge of the display window (``geo.geometry.DISPLAY_SEAM``):
    the page draws longitudes in ``[display_seam, display_seam + 360)``.
``feature_keys``
    Property names of an exported feature, in export order
    (``geo.features.FEATURE_KEYS``).
``details``
    ``[{key, label}]``: record fields the details show under their own label
    (``geo.features.DETAIL_LABELS``).
``layers``
    ``[{key, label, colour, symbol, description, shade_by_count}]`` in drawing order.
``sources``
    Columns ``id, kind, title, author, publisher, published, published_label, address``;
    ``seed``: whether the source is a seed article (``Source.seed`` is set): the
    claims view lists the citations of these.
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
    link), ``citations`` (``[{source: row, quote?, ref?, note?, assessment?}]``,
    ``assessment`` being ``{status, sources: [rows], note}``, given for the
    citations of a seed article: ``geo.models.ClaimCheck``), and ``years``
    (``[first, last]``, null for an open end: the filter's input).
``marks``
    What is drawn. ``id``; ``layer`` (row); ``role`` (``place``,
    ``participant``, ``link``, ``country``); ``records`` (rows, in time
    order); ``place`` (row or null: the symbol's place, or an arc's site);
    ``line`` (display parts ``[[[lon, lat], ...], ...]``, given only for the
    lines the display window cuts; null otherwise, and the page draws the
    ``export`` line with every longitude west of ``display_seam`` moved a
    turn east: ``MDM.geo.displayLine``, the one mirrored geometry function);
    ``polygons`` (display ``[[[[lon, lat], ...]]]``, or null); ``export`` (the
    RFC 7946 geometry the command line exports, byte for byte, for every line
    and country; null for a place, whose point is ``places.lon``/``lat``);
    ``props``: columns of every key of ``geo.features.mark_properties``.
``series``
    Recurring events (Khaan Quest): columns ``id, title``, ``layer`` (row),
    ``citations`` (as a record's) and ``records`` (rows of its events). The
    claims view lists a seed article's claims about a series with them.
``partners``
    The partners view's table, counted by ``geo.partners``' rule (the page
    applies it and does not restate it). ``how``: that rule in words, shown in
    the view. ``blocs``: ``[{id, label, description, csv}]`` in display order,
    'Other' last. ``actors``: the rows of ``actors`` that are partners (every
    actor but Mongolia's own), in the table's order (bloc, then name);
    ``bloc``: each one's bloc (row of ``blocs``); ``csv``: each one's name as
    its cell in ``partners_by_year.csv`` (``geo.partners.csv_cell``; a bloc's
    ``csv`` likewise), and ``csv_columns`` that file's header, so the page's
    'Download CSV' writes the same bytes. A partner's records are those whose
    ``records.actors`` list it. A record counts in each year of its
    ``records.years``, except those in ``counted``: ``{"row": [first, last]
    or null}`` (a link counts in its ``since`` year only; null: in no year).
    Sent as exceptions, because at 100,000 records nearly all are events, which
    count in every year of their span.
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
from mongolmap.geo import features, partners
from mongolmap.geo.features import Mark, mark_properties, years_of
from mongolmap.geo.geometry import DISPLAY_SEAM, display_point, polygon_rings, shape_to_window, window_arrays, wrap_lon
from mongolmap.geo.load import Catalogue
from mongolmap.geo.models import uncertainty_km

WIRE_VERSION = 2

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
        "display_seam": DISPLAY_SEAM,
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
            "seed": [s.seed is not None for s in sources],
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
        "series": _series(catalogue, layer_row, record_row, source_row),
        "partners": _partners(catalogue, actor_row, fields.get("record_type", ()), record_years),
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
    if citation.assessment is not None:
        check = citation.assessment
        out["assessment"] = {
            "status": check.status,
            "sources": [source_row[s] for s in check.sources],
            "note": check.note,
        }
    return out


def _series(
    catalogue: Catalogue, layer_row: dict[str, int], record_row: dict[str, int], source_row: dict[str, int]
) -> dict[str, list]:
    """The ``series`` member: recurring events, their citations and their records."""
    ids = sorted(catalogue.series)
    members: dict[str, list[int]] = {k: [] for k in ids}
    for event in catalogue.events.values():
        if event.series is not None:
            members[event.series].append(record_row[event.id])
    return {
        "id": ids,
        "title": [catalogue.series[k].title for k in ids],
        "layer": [layer_row[catalogue.series[k].layer] for k in ids],
        "citations": [[_citation(c, source_row) for c in catalogue.series[k].citations] for k in ids],
        "records": [sorted(members[k]) for k in ids],
    }


def _partners(
    catalogue: Catalogue, actor_row: dict[str, int], record_types: list[str], record_years: list[tuple]
) -> dict[str, Any]:
    """The ``partners`` member: who is a partner, in which bloc, and the records
    that count in other years than their span."""
    blocs = partners.blocs(catalogue)
    bloc_row = {b.id: i for i, b in enumerate(blocs)}
    group = partners.bloc_of(catalogue)
    ids = partners.partner_actors(catalogue)
    counted = {}
    for row, (kind, years) in enumerate(zip(record_types, record_years)):
        got = partners.counted_years(kind, *years)
        if got is None or got != tuple(years):
            counted[str(row)] = list(got) if got else None
    return {
        "how": partners.HOW_COUNTED,
        "blocs": [
            {"id": b.id, "label": b.label, "description": b.description, "csv": partners.csv_cell(b.label)}
            for b in blocs
        ],
        "actors": [actor_row[a] for a in ids],
        "bloc": [bloc_row[group[a].id] for a in ids],
        "csv": [partners.csv_cell(catalogue.actors[a].name) for a in ids],
        "csv_columns": list(partners.CSV_COLUMNS),
        "counted": counted,
    }


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
    for i, shown, exported in zip(rows, *_line_geometry([marks[i] for i in rows])):
        lines[i] = shown
        export[i] = exported
    return {"line": lines, "polygons": polygons, "export": export}


def _line_geometry(marks: list[Mark]) -> tuple[list, list[dict[str, Any]]]:
    """Each line mark's display parts, or None where the page shifts them from
    its export (``MDM.geo.displayLine``), and its RFC 7946 geometry.

    The export is :func:`geo.export.mark_geometry`'s, so the page's 'Export
    GeoJSON' writes the command line's bytes. It comes from one numpy pass over
    all the lines' coordinates (the ``window_arrays`` wrap at -180, rounded);
    only lines that ±180° cuts go through ``mark_geometry`` one by one. Display
    parts are sent only for lines the display window (:data:`DISPLAY_SEAM`)
    cuts; any other line is its export with every longitude west of the seam
    moved a turn east, which the page does itself.
    """
    if not marks:
        return [], []
    geometries = [mark.geometry for mark in marks]
    coords, owner = shapely.get_coordinates(geometries, return_index=True)
    same_line = owner[1:] == owner[:-1]
    shown = np.round((coords[:, 0] - DISPLAY_SEAM) % 360.0 + DISPLAY_SEAM, 9)
    true = np.round((coords[:, 0] + 180.0) % 360.0 - 180.0, 9)
    cut_shown = set(owner[1:][same_line & (np.abs(np.diff(shown)) > 180.0)].tolist())
    cut_true = set(owner[1:][same_line & (np.abs(np.diff(true)) > 180.0)].tolist())
    rounded = np.round(np.column_stack([true, coords[:, 1]]), LINE_DIGITS)
    bounds = np.searchsorted(owner, np.arange(len(geometries) + 1)).tolist()
    lines: list = [None] * len(marks)
    export: list = []
    for k, mark in enumerate(marks):
        if k in cut_shown:
            lines[k] = [np.round(p, LINE_DIGITS).tolist() for p in window_arrays(mark.geometry, DISPLAY_SEAM)]
        if k in cut_true:
            export.append(mark_geometry(mark))
        else:
            export.append({"type": "LineString", "coordinates": rounded[bounds[k] : bounds[k + 1]].tolist()})
    return lines, export


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
