"""Records to map features ("marks") and their export properties.

A *mark* is one thing drawn on the map: a layer's symbol at a place, an arc
from a participant to an exercise site, an arc between two linked actors, or a
shaded country. Records that share a mark (every event at Ulaanbaatar in one
layer, every link between the United States and Mongolia) are listed in it, so
a click on a place shows what happened there and when.

The map and every export are built from the same marks, so they agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

import shapely
from shapely.geometry.base import BaseGeometry

from mongolmap.geo.countries import COUNTRIES_110M, country_names, country_shapes
from mongolmap.geo.dates import parse_partial_date, span_label
from mongolmap.geo.geometry import GEOD, LonLat, arc_lines
from mongolmap.geo.load import Catalogue
from mongolmap.geo.models import Event, Link, uncertainty_km
from mongolmap.geo.speed import memo

Role = Literal["place", "participant", "link", "country"]

# Participant arcs shorter than this are not drawn (Mongolia to a site near its capital).
MIN_ARC_KM = 50.0
# Tolerance when simplifying shaded country outlines, in degrees.
SHADE_SIMPLIFY_DEG = 0.05


@dataclass(frozen=True)
class Mark:
    """One drawn thing and the records it stands for, in true (lon, lat)."""

    id: str
    layer: str
    role: Role
    geometry: BaseGeometry
    records: tuple[str, ...]
    place: str | None = None
    actor: str | None = None
    country: str | None = None
    pair: tuple[str, str] | None = None  # a link's two actors, in id order


def record_years(record: Event | Link) -> tuple[int | None, int | None]:
    """First and last year a record covers; None for an open end (an event
    without an end lasts its first year).

    Examples
    --------
    >>> from mongolmap.geo.models import Link
    >>> link = Link.model_construct(since="1999", until=None)
    >>> record_years(link)
    (1999, None)
    """
    return _years(record.first, record.last, record.record_type == "event")


def years_of(first: str | None, last: str | None, record_type: str) -> tuple[int | None, int | None]:
    """:func:`record_years` from a record's date texts and type (``record_fields``'
    ``start``, ``end`` and ``record_type``), for columns of many records.

    >>> years_of("2019-06", None, "event"), years_of("1999", None, "link")
    ((2019, 2019), (1999, None))
    """
    return _years(first, last, record_type == "event")


@memo
def _years(first: str | None, last: str | None, event: bool) -> tuple[int | None, int | None]:
    start = int(first[:4]) if first else None  # validated ISO dates: the year is the first four digits
    end = int(last[:4]) if last else None
    return start, (start if event and end is None else end)


def overlaps(first: int | None, last: int | None, years: tuple[int, int] | None) -> bool:
    """Whether a record spanning ``first``..``last`` (None: open) falls in ``years``.

    The year filter's rule; the page applies the same one (``years.js``), and
    both are tested from ``tests/cases/mirrors.json``.

    >>> overlaps(None, 1990, (1991, 2000)), overlaps(1999, None, (1991, 2000))
    (False, True)
    """
    if years is None:
        return True
    return (first is None or first <= years[1]) and (last is None or last >= years[0])


def span(catalogue: Catalogue, record_id: str) -> tuple[int | None, int | None]:
    """``record_years`` of a record by id."""
    return record_years(catalogue.events.get(record_id) or catalogue.links[record_id])


def time_keys(records: list[Event | Link]) -> list[str]:
    """Each record's sort key in time order: its first date's text (undated links
    first). Partial dates sort as their ISO texts do ('2019' before '2019-03'
    before '2019-03-05')."""
    return [r.first or "" for r in records]


def _lonlat(catalogue: Catalogue, place_id: str) -> LonLat:
    place = catalogue.places[place_id]
    return (place.lon, place.lat)


def _record_countries(catalogue: Catalogue, record: Event | Link) -> set[str]:
    return {catalogue.actors[a].country for a in record.actors if catalogue.actors[a].country}


def _arc_ends(catalogue: Catalogue, key: tuple) -> tuple[LonLat, LonLat]:
    """Where a line mark's arc runs: from a participant to the event's site, or between two linked actors."""
    if key[0] == "participant":
        return _lonlat(catalogue, catalogue.actors[key[2]].place), _lonlat(catalogue, key[3])
    return _lonlat(catalogue, catalogue.actors[key[2]].place), _lonlat(catalogue, catalogue.actors[key[3]].place)


def build_marks(catalogue: Catalogue) -> list[Mark]:
    """Every mark of every layer, in a stable order (layer order, then id)."""
    # Marks list their records in time order: records are grouped by their
    # position in id order, then each group is sorted by date.
    groups: dict[tuple, list[int]] = defaultdict(list)
    layers = catalogue.layers
    # Layers whose events are only symbols at their places: the common case, kept short.
    plain = {k for k, s in layers.items() if not (s.participant_arcs or s.shade_participants or s.shade_countries)}
    records_all = catalogue.records()
    for i, record in enumerate(records_all):
        layer = record.layer
        for place in record.places:  # an event's places; a link has none
            groups[("place", layer, place)].append(i)
        if layer in plain and record.record_type == "event":
            continue
        style = layers[layer]
        if record.record_type == "link":
            a, b = sorted((record.a, record.b))
            pa, pb = catalogue.actors[a].place, catalogue.actors[b].place
            groups[("place", layer, pa) if pa == pb else ("link", layer, a, b)].append(i)
        else:
            if style.participant_arcs:
                site = record.places[0]
                for actor_id in record.participants:
                    actor = catalogue.actors[actor_id]
                    _, _, metres = GEOD.inv(*_lonlat(catalogue, actor.place), *_lonlat(catalogue, site))
                    if metres / 1000 >= MIN_ARC_KM:
                        groups[("participant", layer, actor_id, site)].append(i)
            if style.shade_participants:
                for code in sorted(_record_countries(catalogue, record)):
                    groups[("country", layer, code)].append(i)
        for code in style.shade_countries:
            if code in _record_countries(catalogue, record):
                groups[("country", layer, code)].append(i)
    for style in catalogue.layers.values():
        for code in style.shade_countries:
            groups[("country", style.key, code)]  # shaded even with no record yet

    # Shading is drawn at 1:110m; states too small for that scale (Singapore,
    # Tonga) come from 1:50m.
    fine, coarse = country_shapes(), country_shapes(COUNTRIES_110M)
    place_ids = sorted({key[2] for key in groups if key[0] == "place"})
    points = dict(
        zip(place_ids, shapely.points([_lonlat(catalogue, p) for p in place_ids]) if place_ids else [])
    )
    # Every arc at once (one geodesic and one shapely call), taken in the loop below in the same order.
    arcs = iter(arc_lines([_arc_ends(catalogue, key) for key in groups if key[0] in ("participant", "link")]))
    marks = []
    ids = [r.id for r in records_all]
    times = time_keys(records_all)
    for key, positions in groups.items():
        role, layer = key[0], key[1]
        # Each record once (an event may name a place twice), in time order:
        # positions were added in id order and the sort is stable, so records
        # of the same date stay in id order.
        records = tuple(ids[p] for p in sorted(dict.fromkeys(positions), key=lambda p: times[p]))
        if role == "place":
            place = key[2]
            marks.append(Mark(f"{layer}.{place}", layer, role, points[place], records, place=place))
        elif role == "participant":
            actor, site = key[2], key[3]
            marks.append(Mark(f"{layer}.{actor}.{site}", layer, role, next(arcs), records, place=site, actor=actor))
        elif role == "link":
            a, b = key[2], key[3]
            marks.append(Mark(f"{layer}.{a}.{b}", layer, role, next(arcs), records, pair=(a, b)))
        else:
            code = key[2]
            shape = coarse.get(code) or fine.get(code)
            if shape is None:
                continue
            outline = shapely.simplify(shape, SHADE_SIMPLIFY_DEG, preserve_topology=True)
            marks.append(Mark(f"{layer}.{code}", layer, role, outline, records, country=code))
    order = {style.key: (style.order, style.key) for style in catalogue.layers.values()}
    role_order = {"country": 0, "link": 1, "participant": 2, "place": 3}
    return sorted(marks, key=lambda m: (order[m.layer], role_order[m.role], m.id))


# The properties of an exported feature, in the order every export writes them:
# those of the record (``record_properties``) and those of the mark it is drawn
# as (``mark_properties``). The page's in-map export reads the same keys from
# the data contract (``layers/wire.py``) in this order.
FEATURE_KEYS = (
    "id", "feature", "role", "layer", "record_type", "kind", "title", "description",
    "start", "end", "date_precision", "date_label", "place", "place_name", "country",
    "country_name", "location_precision", "uncertainty_km", "participant",
    "participants", "citations",
)  # fmt: skip

# Record properties the page's details show under a label of their own, besides
# title, dates, place, participants, description and citations (which it lays
# out itself). A new field added to ``record_properties`` and named here reaches
# the export, the popup and the records panel without touching the page.
DETAIL_LABELS: dict[str, str] = {}


def citation_properties(catalogue: Catalogue, record: Event | Link) -> list[dict[str, Any]]:
    out = []
    for citation in record.citations:
        source = catalogue.sources[citation.source]
        out.append(
            {
                "source": source.id,
                "title": source.title,
                "author": source.author,
                "publisher": source.publisher,
                "published": source.published,
                "address": str(source.address) if source.address else None,
                "quote": citation.quote,
                "ref": citation.ref,
                "note": citation.note,
                "assessment": _assessment(citation.assessment),
            }
        )
    return out


def _assessment(check) -> dict[str, Any] | None:
    """A seed claim's assessment as exports carry it: status, the supporting sources' ids, note."""
    if check is None:
        return None
    return {"status": check.status, "sources": list(check.sources), "note": check.note}


@memo
def _dates(start: str | None, end: str | None) -> tuple[str | None, str]:
    """Precision of a start and the label of a span (cached: dates repeat)."""
    return (parse_partial_date(start).precision if start else None), span_label(start, end)


def record_fields(record: Event | Link) -> dict[str, Any]:
    """A record's own export properties: plain values, one column each on the
    page (``layers/wire.py`` sends every key of this dictionary as it is)."""
    start, end = record.first, record.last
    precision, label = _dates(start, end)
    return {
        "id": record.id,
        "record_type": record.record_type,
        "kind": record.kind,
        "title": record.title,
        "description": record.description,
        "start": start,
        "end": end,
        "date_precision": precision,
        "date_label": label,
    }


def record_properties(catalogue: Catalogue, record: Event | Link) -> dict[str, Any]:
    """Everything an export says about one record, whichever mark draws it."""
    return {
        **record_fields(record),
        "layer": record.layer,
        "participants": [catalogue.actors[a].name for a in record.actors],
        "citations": citation_properties(catalogue, record),
    }


def mark_properties(catalogue: Catalogue, mark: Mark) -> dict[str, Any]:
    """What an export says about the mark a record is drawn as."""
    place = catalogue.places[mark.place] if mark.place else None
    country = mark.country or (place.country if place else None)
    return {
        "feature": mark.id,
        "role": mark.role,
        "place": place.id if place else None,
        "place_name": place.name if place else None,
        "country": country,
        "country_name": country_names().get(country) if country else None,
        "location_precision": place.precision if place else None,
        "uncertainty_km": uncertainty_km(place) if place else None,
        "participant": catalogue.actors[mark.actor].name if mark.actor else None,
    }


def feature_properties(catalogue: Catalogue, mark: Mark, record_id: str) -> dict[str, Any]:
    """The properties every export gives one record drawn as one mark, in
    ``FEATURE_KEYS`` order.

    The map's in-page export (``layers/static/export.js``) builds the same
    dictionary from the data contract; a browser test compares the two.
    """
    record = catalogue.events.get(record_id) or catalogue.links[record_id]
    props = {**record_properties(catalogue, record), **mark_properties(catalogue, mark)}
    return {key: props[key] for key in FEATURE_KEYS}


def years_covered(catalogue: Catalogue) -> tuple[int, int] | None:
    """First and last year any record covers (the year filter's range)."""
    # The smallest and largest date texts (validated ISO texts sort by date),
    # not record_years: this runs over every record of a large data set.
    events, links = catalogue.events.values(), catalogue.links.values()
    texts = [e.start for e in events]
    texts += [e.end for e in events if e.end]
    texts += [t for link in links for t in (link.since, link.until) if t]
    return (int(min(texts)[:4]), int(max(texts)[:4])) if texts else None


def dataset_metadata(catalogue: Catalogue) -> dict[str, str] | None:
    """Which data set and version the records are (``data/dataset.yaml``), as
    every export and the page's About panel name it; None without dataset.yaml.

    Examples
    --------
    >>> dataset_metadata(Catalogue()) is None
    True
    """
    dataset = catalogue.dataset
    if dataset is None:
        return None
    return {
        "title": dataset.title,
        "version": dataset.version,
        "released": dataset.released,
        "licence": dataset.licence,
        "citation": dataset.citation,
    }


def dataset_label(catalogue: Catalogue) -> str | None:
    """One line naming the data set's version, for the About panel and document descriptions.

    Examples
    --------
    >>> dataset_label(Catalogue()) is None
    True
    """
    meta = dataset_metadata(catalogue)
    if meta is None:
        return None
    return (
        f"Data set version {meta['version']} (released {meta['released']}), "
        f"our records under {meta['licence']}. Cite as: {meta['citation']}"
    )
