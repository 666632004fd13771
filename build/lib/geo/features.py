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

from geo.countries import COUNTRIES_110M, country_names, country_shapes
from geo.dates import parse_partial_date, span_label
from geo.geometry import GEOD, LonLat, arc_lonlat
from geo.load import Catalogue
from geo.models import Event, Link, uncertainty_km

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
    """First and last year a record covers; None for an open end.

    Examples
    --------
    >>> from geo.models import Link
    >>> link = Link.model_construct(since="1999", until=None)
    >>> record_years(link)
    (1999, None)
    """
    if isinstance(record, Event):
        first = parse_partial_date(record.start).year
        last = parse_partial_date(record.end).year if record.end else first
        return first, last
    first = parse_partial_date(record.since).year if record.since else None
    last = parse_partial_date(record.until).year if record.until else None
    return first, last


def span(catalogue: Catalogue, record_id: str) -> tuple[int | None, int | None]:
    """``record_years`` of a record by id, computed once per catalogue."""
    years = catalogue.spans.get(record_id)
    if years is None:
        record = catalogue.events.get(record_id) or catalogue.links[record_id]
        years = catalogue.spans[record_id] = record_years(record)
    return years


def time_keys(records: list[Event | Link]) -> list[str]:
    """Each record's sort key in time order: its first date's text (undated links
    first). Partial dates sort as their ISO texts do ('2019' before '2019-03'
    before '2019-03-05')."""
    return [r.start if r.__class__ is Event else (r.since or "") for r in records]


def _lonlat(catalogue: Catalogue, place_id: str) -> LonLat:
    place = catalogue.places[place_id]
    return (place.lon, place.lat)


def _record_countries(catalogue: Catalogue, record: Event | Link) -> set[str]:
    actors = record.participants if isinstance(record, Event) else (record.a, record.b)
    return {catalogue.actors[a].country for a in actors if catalogue.actors[a].country}


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
        if record.__class__ is Event:
            for place in record.places:
                groups[("place", layer, place)].append(i)
            if layer in plain:
                continue
        style = layers[layer]
        if isinstance(record, Link):
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
    marks = []
    ids = [r.id for r in records_all]
    by_time = time_keys(records_all).__getitem__
    for key, positions in groups.items():
        role, layer = key[0], key[1]
        # Each record once (an event may name a place twice), in time order:
        # positions were added in id order and the sort is stable, so records
        # of the same date stay in id order. Keys by a list's own __getitem__
        # keep the look-ups of 100,000 records out of Python.
        records = tuple(map(ids.__getitem__, sorted(dict.fromkeys(positions), key=by_time)))
        if role == "place":
            place = key[2]
            marks.append(Mark(f"{layer}.{place}", layer, role, points[place], records, place=place))
        elif role == "participant":
            actor, site = key[2], key[3]
            line = shapely.linestrings(arc_lonlat(_lonlat(catalogue, catalogue.actors[actor].place), _lonlat(catalogue, site)))
            marks.append(Mark(f"{layer}.{actor}.{site}", layer, role, line, records, place=site, actor=actor))
        elif role == "link":
            a, b = key[2], key[3]
            line = shapely.linestrings(
                arc_lonlat(_lonlat(catalogue, catalogue.actors[a].place), _lonlat(catalogue, catalogue.actors[b].place))
            )
            marks.append(Mark(f"{layer}.{a}.{b}", layer, role, line, records, pair=(a, b)))
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
            }
        )
    return out


def feature_properties(catalogue: Catalogue, mark: Mark, record_id: str) -> dict[str, Any]:
    """The properties every export gives one record drawn as one mark.

    The map's in-page export (``layers/static/app.js``, ``featureProperties``)
    builds the same dictionary; a browser test compares the two.
    """
    record = catalogue.events.get(record_id) or catalogue.links[record_id]
    if isinstance(record, Event):
        start, end = record.start, record.end
        participants = record.participants
    else:
        start, end = record.since, record.until
        participants = (record.a, record.b)
    precision_date = parse_partial_date(start).precision if start else None
    place = catalogue.places[mark.place] if mark.place else None
    country = mark.country or (place.country if place else None)
    return {
        "id": record.id,
        "feature": mark.id,
        "role": mark.role,
        "layer": record.layer,
        "record_type": "event" if isinstance(record, Event) else "link",
        "kind": record.kind,
        "title": record.title,
        "description": record.description,
        "start": start,
        "end": end,
        "date_precision": precision_date,
        "date_label": span_label(start, end),
        "place": place.id if place else None,
        "place_name": place.name if place else None,
        "country": country,
        "country_name": country_names().get(country) if country else None,
        "location_precision": place.precision if place else None,
        "uncertainty_km": uncertainty_km(place) if place else None,
        "participant": catalogue.actors[mark.actor].name if mark.actor else None,
        "participants": [catalogue.actors[a].name for a in participants],
        "citations": citation_properties(catalogue, record),
    }


def years_covered(catalogue: Catalogue) -> tuple[int, int] | None:
    """First and last year any record covers (the year filter's range)."""
    # The smallest and largest date texts (validated ISO texts sort by date),
    # not record_years: this runs over every record of a large data set.
    events, links = catalogue.events.values(), catalogue.links.values()
    texts = [e.start for e in events]
    texts += [e.end for e in events if e.end]
    texts += [t for link in links for t in (link.since, link.until) if t]
    return (int(min(texts)[:4]), int(max(texts)[:4])) if texts else None
