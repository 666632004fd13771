"""The page runtime as folium elements: shared tables, base map, controls.

Record text travels to the browser once, as compact JSON tables (sources,
places, actors, records); each layer's marks refer to rows by index, and
popups are built from the tables on click. That keeps the page small at
100,000 records and gives one place where text meets the DOM (app.js).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.countries import country_names
from geo.export import LINE_DIGITS
from geo.features import Mark, years_covered
from geo.geometry import DISPLAY_SEAM, display_point, polygon_rings, shape_to_window, simplified_world, window_parts
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


def _trim(values: list) -> list:
    """A row without its trailing nulls (the runtime reads missing as null)."""
    while values and values[-1] is None:
        values.pop()
    return values


def record_columns(catalogue: Catalogue, index: Index) -> dict[str, Any]:
    """Events and links as columns, one list per field, in ``Index.records`` order.

    Columns rather than a row per record: at 100,000 records the page is a
    third smaller and parses faster. Years are not sent: the runtime derives
    them from the dates, as ``geo.dates`` does; nor are a record's layer and
    an event's places, which the runtime reads off the marks that list it
    (every record has at least one mark in its own layer).
    """
    records = catalogue.records()
    kinds = sorted({r.kind for r in records})
    kind_index = {k: i for i, k in enumerate(kinds)}
    actors, sources = index.actors, index.sources
    events = [isinstance(r, Event) for r in records]
    # One comprehension per column: at 100,000 records this is the hot loop.
    columns: dict[str, list] = {
        "id": [r.id for r in records],
        "kind": [kind_index[r.kind] for r in records],
        "title": [r.title for r in records],
        "description": [r.description for r in records],
        "start": [r.start if e else r.since for r, e in zip(records, events)],
        "end": [r.end if e else r.until for r, e in zip(records, events)],
        "actors": [
            [actors[a] for a in (r.participants if e else (r.a, r.b))] for r, e in zip(records, events)
        ],
        "cites": [
            [_trim([sources[c.source], c.quote, c.ref, c.note]) for c in r.citations] for r in records
        ],
    }
    types = ["e" if e else "l" for e in events]
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
    used = sorted({p.country for p in catalogue.places.values()} | {m.country for m in marks if m.country})
    names = country_names()
    return {
        "title": title,
        "subtitle": f"{len(records['id'])} records from {len(sources)} sources",
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


def mark_spec(mark: Mark, index: Index) -> list:
    """One mark as the runtime reads it, trailing nulls left out:

    ``[role, display geometry, record rows, place row, actor row, country, export geometry, id]``

    A place mark's id is its layer key and place id, which the runtime joins
    itself; only a line the display window cut in two carries its RFC 7946
    export geometry (the runtime wraps every other geometry back itself).
    """
    from geo.export import mark_geometry

    geom = mark.geometry
    export = None
    if mark.role == "place":
        x, y = display_point(geom.x, geom.y)
        coords: Any = [_round(x, 6), _round(y, 6)]
    elif mark.role == "country":
        coords = polygon_rings(shape_to_window(geom), digits=3)
    else:
        coords = window_parts(geom, DISPLAY_SEAM, digits=LINE_DIGITS)
        if len(coords) > 1:
            export = mark_geometry(mark)
    return _trim(
        [
            ROLE_CODES[mark.role],
            coords,
            [index.records[r] for r in mark.records],
            index.places[mark.place] if mark.place else None,
            index.actors[mark.actor] if mark.actor else None,
            mark.country,
            export,
            None if mark.role == "place" else mark.id,
        ]
    )


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
