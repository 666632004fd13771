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


def _chronological_key(record: Event | Link) -> tuple[int, str]:
    """Sort key: first year (undated links first), then id. Read straight off
    the date text, which validation guarantees starts with its four-digit year."""
    first = record.start if isinstance(record, Event) else record.since
    return (int(first[:4]) if first else -10_000, record.id)


def _lonlat(catalogue: Catalogue, place_id: str) -> LonLat:
    place = catalogue.places[place_id]
    return (place.lon, place.lat)


def _record_countries(catalogue: Catalogue, record: Event | Link) -> set[str]:
    actors = record.participants if isinstance(record, Event) else (record.a, record.b)
    return {catalogue.actors[a].country for a in actors if catalogue.actors[a].country}


def build_marks(catalogue: Catalogue) -> list[Mark]:
    """Every mark of every layer, in a stable order (layer order, then id)."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    # Records in time order, once: every mark then lists its records in that order.
    chronological = sorted(catalogue.records(), key=_chronological_key)
    for record in chronological:
        style = catalogue.layers[record.layer]
        if isinstance(record, Link):
            a, b = sorted((record.a, record.b))
            pa, pb = catalogue.actors[a].place, catalogue.actors[b].place
            groups[("place", record.layer, pa) if pa == pb else ("link", record.layer, a, b)].append(record.id)
        else:
            for place in record.places:
                groups[("place", record.layer, place)].append(record.id)
            if style.participant_arcs:
                site = record.places[0]
                for actor_id in record.participants:
                    actor = catalogue.actors[actor_id]
                    _, _, metres = GEOD.inv(*_lonlat(catalogue, actor.place), *_lonlat(catalogue, site))
                    if metres / 1000 >= MIN_ARC_KM:
                        groups[("participant", record.layer, actor_id, site)].append(record.id)
            if style.shade_participants:
                for code in sorted(_record_countries(catalogue, record)):
                    groups[("country", record.layer, code)].append(record.id)
        for code in style.shade_countries:
            if code in _record_countries(catalogue, record):
                groups[("country", record.layer, code)].append(record.id)
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
    for key, record_ids in groups.items():
        role, layer = key[0], key[1]
        records = tuple(dict.fromkeys(record_ids))  # already in time order; once each
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
    # Read off the date text (validated: it starts with the year), not through
    # record_years: this runs over every record of a large data set.
    years = [
        int(text[:4])
        for r in catalogue.records()
        for text in ((r.start, r.end) if isinstance(r, Event) else (r.since, r.until))
        if text
    ]
    return (min(years), max(years)) if years else None
