"""The page runtime as folium elements: shared tables, base map, controls.

Record text travels to the browser once, as compact JSON tables (sources,
places, actors, records); each layer's marks refer to rows by index, and
popups are built from the tables on click. That keeps the page small at
100,000 records and gives one place where text meets the DOM (app.js).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.countries import country_names
from geo.export import LINE_DIGITS
from geo.features import Mark, years_covered
from geo.geometry import (
    DISPLAY_SEAM,
    delta_ints,
    delta_lines,
    display_point,
    polygon_rings,
    shape_to_window,
    simplified_world,
    window_arrays,
)
from geo.load import Catalogue
from geo.models import Event, uncertainty_km
from layers import assets
from layers.escape import html_text, script_json

DEFAULT_TITLE = "Mongolia's defence partnerships"
ABOUT = (
    "Each symbol, arc and shaded country stands for records of Mongolia's defence "
    "partnerships: what happened, when, where, who took part, and who says so. "
    "Facts from the two seed articles quote them word for word; facts from elsewhere "
    "name their source. Click a place or a line to read its records; the year filter "
    "and the layer list choose what is shown, and 'Export GeoJSON' downloads exactly that. "
    "Where a location is known only approximately, a dashed ring shows the uncertainty."
)


@dataclass
class Index:
    """Row numbers of every table, shared by all layers of one page."""

    sources: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    actors: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    layers: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, catalogue: Catalogue) -> Index:
        return cls(
            sources={k: i for i, k in enumerate(sorted(catalogue.sources))},
            places={k: i for i, k in enumerate(sorted(catalogue.places))},
            actors={k: i for i, k in enumerate(sorted(catalogue.actors))},
            records={r.id: i for i, r in enumerate(catalogue.records())},
            layers={s.key: i for i, s in enumerate(catalogue.sorted_layers())},
        )


def _round(value: float, digits: int) -> float:
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) else rounded


def _count(n: int, noun: str) -> str:
    """'1 source', '50 sources'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _trim(values: list) -> list:
    """A row without its trailing nulls (the runtime reads missing as null)."""
    while values and values[-1] is None:
        values.pop()
    return values


@lru_cache(maxsize=65536)
def date_number(text: str | None) -> int | None:
    """A partial date as the page carries it: a year alone as the number YYYY,
    otherwise YYYYMMDD with 00 for an unknown day. Years are at least 1, so
    any date with a month is 10100 or more and never reads as a year.

    >>> date_number("2014"), date_number("2023-08"), date_number("2024-02-15"), date_number(None)
    (2014, 20230800, 20240215, None)
    """
    if text is None:
        return None
    if len(text) == 10:
        return int(text.replace("-", ""))
    return int(text) if len(text) == 4 else int(text.replace("-", "")) * 100


def sparse(values: list) -> list[list]:
    """A mostly empty column as ``[rows, values]`` of its non-null entries.

    >>> sparse([None, "a", None, "b"])
    [[1, 3], ['a', 'b']]
    """
    rows = [i for i, v in enumerate(values) if v is not None]
    return [rows, [values[i] for i in rows]]


def record_columns(catalogue: Catalogue, index: Index) -> dict[str, Any]:
    """Events and links as columns, one list per field, in ``Index.records`` order.

    Columns rather than a row per record: at 100,000 records the page is a
    third smaller and parses faster. Years are not sent: the runtime derives
    them from the dates, as ``geo.dates`` does; nor are a record's layer and
    an event's places, which the runtime reads off the marks that list it
    (every record has at least one mark in its own layer).

    The encoding, which ``MapApp`` in ``static/app.js`` decodes once on load:
    ids, slugs by validation, are one string joined by spaces; a record's kind
    is one letter of a string (``a`` the first of ``kinds``), as its type is
    (``e`` event, ``l`` link); a start is its :func:`date_number`, an end the
    difference of its number from the start's (small: 0 for the same date, 14
    for a fortnight later in the same month, 100 for a month later; from 0 when
    there is no start); descriptions, mostly absent in large data sets, are
    :func:`sparse`; a citation is ``[source row, ref,
    quote, note]`` without its trailing nulls, a record with one citation
    (most of them) carries that row itself rather than a list of one, and one
    that only gives a ref in the source most records cite that way
    (``cite_source``, a data set such as MME) is just the ref.
    """
    records = catalogue.records()
    kinds = sorted({r.kind for r in records})
    kind_index = {k: chr(ord("a") + i) for i, k in enumerate(kinds)}  # 24 kinds in geo.models: a to x
    actor_row, sources = index.actors.__getitem__, index.sources

    # The source most records cite by a bare ref (a data set's rows, such as
    # MME's): those citations are sent as the ref alone.
    bare = Counter(
        c.source
        for r in records
        if len(r.citations) == 1
        for c in r.citations
        if c.ref is not None and c.quote is None and c.note is None
    )
    common = bare.most_common(1)[0][0] if bare else None

    def cites(citations: tuple) -> Any:
        if len(citations) == 1:
            c = citations[0]
            if c.quote is None and c.note is None:  # a data set's row: source and ref
                if c.source == common and c.ref is not None:
                    return c.ref
                return [sources[c.source], c.ref] if c.ref is not None else [sources[c.source]]
            return _trim([sources[c.source], c.ref, c.quote, c.note])
        return [_trim([sources[c.source], c.ref, c.quote, c.note]) for c in citations]

    # One pass over the records filling every column: at 100,000 records this
    # is the hot loop, and one pass took 0.21 s where a pass per column took 0.26 s.
    types, ids, kind, title, description, start, end, actor_rows, cite_rows = ([] for _ in range(9))
    for r in records:
        if r.__class__ is Event:
            types.append("e")
            start.append(r.start)
            end.append(r.end)
            actor_rows.append(list(map(actor_row, r.participants)))
        else:
            types.append("l")
            start.append(r.since)
            end.append(r.until)
            actor_rows.append([actor_row(r.a), actor_row(r.b)])
        ids.append(r.id)
        kind.append(kind_index[r.kind])
        title.append(r.title)
        description.append(r.description)
        cite_rows.append(cites(r.citations))
    columns: dict[str, Any] = {
        "id": " ".join(ids),
        "kind": "".join(kind),
        "title": title,
        "description": sparse(description),
        "start": list(map(date_number, start)),
        # A link may end without a start: then its end is its own number (a difference from 0).
        "end": [None if e is None else e - (s or 0) for s, e in zip(map(date_number, start), map(date_number, end))],
        "actors": actor_rows,
        "cites": cite_rows,
        "cite_source": sources[common] if common else None,
    }
    return {"type": "".join(types), "kinds": kinds, **columns}


def app_data(catalogue: Catalogue, index: Index, title: str, marks: list[Mark]) -> dict[str, Any]:
    """The shared tables the runtime reads; layer marks are written by each layer."""
    places = []
    for pid in index.places:
        p = catalogue.places[pid]
        x, y = display_point(p.lon, p.lat)
        places.append(
            [p.id, p.name, p.local_name, p.country, p.precision, _round(uncertainty_km(p), 3), _round(x, 6), _round(y, 6)]
        )
    records = record_columns(catalogue, index)
    sources = []
    for sid in index.sources:
        s = catalogue.sources[sid]
        sources.append(
            {
                "id": s.id,
                "kind": s.kind,
                "title": s.title,
                "author": s.author,
                "publisher": s.publisher,
                "published": s.published,
                "address": str(s.address) if s.address else None,
            }
        )
    used = sorted({p.country for p in catalogue.places.values() if p.country} | {m.country for m in marks if m.country})
    names = country_names()
    return {
        "title": title,
        "subtitle": f"{_count(len(catalogue.records()), 'record')} from {_count(len(sources), 'source')}",
        "about": ABOUT,
        "seam": DISPLAY_SEAM,
        "line_digits": LINE_DIGITS,
        "years": list(years_covered(catalogue) or ()) or None,
        "layers": [
            {
                "key": s.key,
                "label": s.label,
                "colour": s.colour,
                "symbol": s.symbol,
                "description": s.description,
                "shade_by_count": s.shade_participants,
            }
            for s in catalogue.sorted_layers()
        ],
        "sources": sources,
        "places": places,
        "actors": [[a, catalogue.actors[a].name] for a in index.actors],
        "countries": {code: names[code] for code in used if code in names},
        "records": records,
    }


def basemap_data(seam: float = DISPLAY_SEAM) -> list:
    """Country outlines for the offline base map: polygons of rings, [lon, lat]."""
    out = []
    for _code, shape in simplified_world(seam):
        rings = polygon_rings(shape, digits=2)
        if rings:
            out.append(rings)
    return out


ROLE_CODES = {"place": "p", "participant": "a", "link": "l", "country": "c"}


def mark_id(mark: Mark, index: Index) -> tuple[str, list[int] | None]:
    """The id the runtime derives for a mark from its rows (see ``makeMark``), and
    a link's actor rows, which it derives that from."""
    layer = mark.layer
    if mark.role == "place":
        return f"{layer}.{mark.place}", None
    if mark.role == "participant":
        return f"{layer}.{mark.actor}.{mark.place}", None
    if mark.role == "link" and mark.pair:
        return f"{layer}.{mark.pair[0]}.{mark.pair[1]}", [index.actors[a] for a in mark.pair]
    return f"{layer}.{mark.country}", None


def mark_spec(mark: Mark, index: Index, line: list[list[int]] | None = None) -> tuple[str, list]:
    """One mark as the runtime reads it: its role code and a row laid out by role,
    trailing nulls left out (a layer sends its marks grouped by role code):

    * ``p`` place: ``[record rows, place row, id]``; its point is the place row's;
    * ``a`` participant arc: ``[record rows, line, site place row, actor row, export line, id]``;
    * ``l`` link: ``[record rows, line, [actor row, actor row], export line, id]``;
    * ``c`` shaded country: ``[record rows, polygons, country code, id]``.

    Lines are :func:`geo.geometry.delta_ints` parts in the display window;
    only a line that window cuts in two carries its RFC 7946 export line, the
    same way encoded (the runtime wraps every other geometry back itself).
    The id is sent only when it is not the one the runtime derives from
    layer, place, actors or country (:func:`mark_id`).
    """
    geom = mark.geometry
    derived, pair = mark_id(mark, index)
    own_id = None if derived == mark.id else mark.id
    records = [index.records[r] for r in mark.records]
    role = ROLE_CODES[mark.role]
    if mark.role == "place":
        return role, _trim([records, index.places[mark.place], own_id])
    if mark.role == "country":
        return role, _trim([records, polygon_rings(shape_to_window(geom), digits=3), mark.country, own_id])
    if line is None:
        line = delta_lines([geom], DISPLAY_SEAM, LINE_DIGITS)[0]
    export = delta_ints(window_arrays(geom, -180.0), LINE_DIGITS) if len(line) > 1 else None
    if mark.role == "participant":
        return role, _trim([records, line, index.places[mark.place], index.actors[mark.actor], export, own_id])
    return role, _trim([records, line, pair, export, own_id])


def marks_by_role(marks: list[Mark], index: Index) -> dict[str, list]:
    """A layer's marks as the runtime reads them: :func:`mark_spec` rows grouped by
    role code, in drawing order (countries under lines under places), each
    group in the marks' own order."""
    groups: dict[str, list] = {code: [] for code in ("c", "l", "a", "p")}
    lines = [m for m in marks if m.role in ("link", "participant")]
    encoded = dict(zip(map(id, lines), delta_lines([m.geometry for m in lines], DISPLAY_SEAM, LINE_DIGITS)))
    for mark in marks:
        role, spec = mark_spec(mark, index, encoded.get(id(mark)))
        groups[role].append(spec)
    return {code: specs for code, specs in groups.items() if specs}


class Verbatim(Element):
    """Text already rendered, added to the page as it is.

    branca's ``MacroElement.render`` wraps each rendered macro in a new
    ``Element``, whose text is compiled as a Jinja template and rendered again:
    record text holding ``{{ ... }}`` would be evaluated at build time, and a
    13 MB data script would be compiled as a template. Our elements add their
    output through this class instead.
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class VerbatimMacro(MacroElement):
    """A MacroElement whose rendered macros are never read as templates again."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the Map inside its Figure"
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if part in module:
                getattr(figure, part).add_child(Verbatim(module[part](self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class SelfContainedMap(folium.Map):
    """folium's Map without its CDN scripts and style sheets (jQuery, Bootstrap,
    Font Awesome, awesome-markers): the page needs only Leaflet, which
    :class:`PageAssets` inlines."""

    default_js: list = []
    default_css: list = []


class PageAssets(VerbatimMacro):
    """Leaflet and the runtime in the page head, inline or from a pinned CDN with SRI."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="{{ this.csp_placeholder }}">
        <meta name="referrer" content="no-referrer">
        {%- for asset in this.assets %}
        {%- if asset.url and asset.kind == 'css' %}
        <link rel="stylesheet" href="{{ asset.url }}" integrity="{{ asset.integrity }}" crossorigin="anonymous">
        {%- elif asset.url %}
        <script src="{{ asset.url }}" integrity="{{ asset.integrity }}" crossorigin="anonymous"></script>
        {%- elif asset.kind == 'css' %}
        <style>{{ asset.text }}</style>
        {%- else %}
        <script>{{ asset.text }}</script>
        {%- endif %}
        {%- endfor %}
        <style>{{ this.app_css }}</style>
        <script>{{ this.app_js }}</script>
        {% endmacro %}
        """
    )

    CSP_PLACEHOLDER = "@@CSP@@"

    def __init__(self, cdn: bool):
        super().__init__()
        self._name = "PageAssets"
        self.assets = assets.leaflet_assets(cdn)
        self.app_css = assets.app_css()
        self.app_js = assets.app_js()
        for text in [self.app_css, self.app_js, *(a.text for a in self.assets if a.text)]:
            if re.search(r"</(script|style)|<!--", text, flags=re.IGNORECASE):
                raise ValueError("an inlined asset would close its own element; it cannot be inlined")
        self.csp_placeholder = self.CSP_PLACEHOLDER

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "PageAssets must be added to a Map in a Figure"
        figure.header.add_child(
            Verbatim(self._template.module.header(self, kwargs)), name="page_assets", index=0
        )


class MapAppElement(VerbatimMacro):
    """Creates the runtime over the map with the shared tables and the offline base map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new MapApp({{ this._parent.get_name() }}, {{ this.data_json }});
        {{ this.get_name() }}.basemap({{ this.basemap_json }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], basemap: list):
        super().__init__()
        self._name = "MapApp"
        self.data_json = script_json(data)
        self.basemap_json = script_json(basemap)


class AppReady(VerbatimMacro):
    """Last script on the page: controls, year filter, timeline."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.app.get_name() }}.ready();
        {% endmacro %}
        """
    )

    def __init__(self, app: MapAppElement):
        super().__init__()
        self._name = "AppReady"
        self.app = app


def layer_label(text: str) -> str:
    """A label for Leaflet's layer control, which writes it as HTML from a folium
    template: escaped for HTML, and with braces as entities so no template
    syntax survives.

    >>> layer_label("<b>{{ 7*7 }}</b>")
    '&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt;'
    """
    return html_text(text).replace("{", "&#123;").replace("}", "&#125;")
