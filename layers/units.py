"""The page as small units, each shaped like a folium plugin.

A unit is a small ``MacroElement`` whose ``__init__`` only stores options,
with a Jinja ``script`` macro of one line and its own script file in
``static/`` (``scripts``, as folium's ``default_js``), readable alone. Data
reaches scripts only through the one contract (:mod:`layers.wire`) or
``tojson``-style JSON (:func:`layers.escape.script_json`).

=================  =====================  ======================================
unit               script                 what it is
=================  =====================  ======================================
:class:`MapData`   ``mdm.js``             the contract, and the app every unit joins
:class:`Basemap`   ``basemap.js``         Natural Earth outlines, offline
:class:`RecordLayer` ``record-layer.js``  one map layer's marks (a folium Layer)
:class:`TitleBar`  ``title.js``           title, record count, About & sources
:class:`ExportButton` ``export.js``       'Export GeoJSON' of what is shown
:class:`Legend`    ``legend.js``          symbols and what lines and shades mean
:class:`YearFilter` ``years.js``          the year sliders and the count shown
:class:`Timeline`  ``timeline.js``        events per year, by layer
:class:`RecordsPanel` ``records.js``      the records table, search, sort, details
:class:`LayerList` ``layer-list.js``      folds the layer list (Leaflet's layer control)
:class:`Links`     ``links.js``           the view in the address (#...), Copy link
=================  =====================  ======================================

``details.js`` (popups, tooltips) and ``leaflet-private.js`` (every use of
Leaflet's private members, checked against the Leaflet version) serve them.
"""

from __future__ import annotations

import re
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import ElementAddToElement
from folium.map import Layer
from jinja2 import Template

from mongolmap.geo.geometry import DISPLAY_SEAM, polygon_rings, simplified_world
from mongolmap.geo.models import LayerStyle
from mongolmap.layers import assets
from mongolmap.layers.escape import html_text, script_json
from mongolmap.layers.ids import slug_id

DEFAULT_TITLE = "Mongolia's defence partnerships"
WIRE_ELEMENT_ID = "mdm-wire"
# Scripts every page carries before its units' own, in this order.
CORE_SCRIPTS = ("mdm.js", "leaflet-private.js", "details.js")


class Verbatim(Element):
    """Text already rendered, added to the page as it is.

    branca's ``MacroElement.render`` wraps each rendered macro in a new
    ``Element``, whose text is compiled as a Jinja template and rendered again:
    record text holding ``{{ ... }}`` would be evaluated at build time, and a
    large data script would be compiled as a template. Units add their output
    through this class instead.
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


class MapData(VerbatimMacro):
    """The contract, as a data block in the body, and the app that reads it."""

    scripts = ("mdm.js",)
    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/octet-stream" id="{{ this.element_id }}">{{ this.encoded }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = MDM.start({{ this._parent.get_name() }}, "{{ this.element_id }}");
        {% endmacro %}
        """
    )

    def __init__(self, encoded: str):
        super().__init__()
        self._name = "MapData"
        self.element_id = WIRE_ELEMENT_ID
        self.encoded = encoded


def basemap_outlines(seam: float = DISPLAY_SEAM) -> list[list]:
    """Each country's polygons as the page draws them: rings in the display window, 2 decimals."""
    return [rings for _code, shape in simplified_world(seam) if (rings := polygon_rings(shape, digits=2))]


class Basemap(VerbatimMacro):
    """Country outlines drawn under everything, so the map reads with no network."""

    scripts = ("basemap.js",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        MDM.basemap({{ this._parent.get_name() }}, {{ this.outlines_json }});
        {% endmacro %}
        """
    )

    def __init__(self, seam: float = DISPLAY_SEAM):
        super().__init__()
        self._name = "Basemap"
        self.outlines_json = script_json(basemap_outlines(seam))


class RecordLayer(Layer):
    """One map layer (a folium Layer, so the LayerControl lists it); its marks
    are the contract's marks of this layer row, drawn by ``record-layer.js``."""

    scripts = ("record-layer.js",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = MDM.recordLayer({{ this.app.get_name() }}, {{ this.row }});
        {% endmacro %}
        """
    )

    def __init__(self, style: LayerStyle, row: int, app: MapData):
        super().__init__(name=layer_label(style.label), overlay=True, control=True, show=True)
        self._name = "Layer"
        self._id = slug_id(style.key)
        self.row = row
        self.app = app

    def render(self, **kwargs: Any) -> None:
        # folium's Layer.render adds the layer to the map, then renders through
        # MacroElement, which would read the rendered script as a template again.
        if self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        VerbatimMacro.render(self, **kwargs)


class AppUnit(VerbatimMacro):
    """A control that joins the app: ``app.use(MDM.<function>)``, run once the
    contract is read. Subclasses name their function and script file."""

    function = ""
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.app.get_name() }}.use(MDM.{{ this.function }});
        {% endmacro %}
        """
    )

    def __init__(self, app: MapData):
        super().__init__()
        self._name = type(self).__name__
        self.app = app


class TitleBar(AppUnit):
    function, scripts = "titleBar", ("title.js",)


class ExportButton(AppUnit):
    function, scripts = "exportButton", ("export.js",)


class Legend(AppUnit):
    function, scripts = "legend", ("legend.js",)


class YearFilter(AppUnit):
    function, scripts = "years", ("years.js",)


class Timeline(AppUnit):
    function, scripts = "timeline", ("timeline.js",)


class RecordsPanel(AppUnit):
    function, scripts = "recordsPanel", ("records.js",)


class LayerList(AppUnit):
    """Folds folium's LayerControl (added before it) under a 'Layers' heading."""

    function, scripts = "layerList", ("layer-list.js",)


class Links(AppUnit):
    function, scripts = "links", ("links.js",)


# What folium's Map writes, and what the page needs instead: a language, and a
# viewport that lets readers zoom (WCAG 1.4.4). folium is pinned, so these are exact.
FOLIUM_HTML_OPEN = "<html>\n"
FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport" content="width=device-width,\s+initial-scale=1.0, maximum-scale=1.0, user-scalable=no" />')


def readable_page(html: str) -> str:
    """The rendered page with ``<html lang="en">`` and a zoomable viewport."""
    assert html.count(FOLIUM_HTML_OPEN) >= 1 and FOLIUM_VIEWPORT.search(html), "folium's page head changed"
    html = html.replace(FOLIUM_HTML_OPEN, '<html lang="en">\n', 1)
    return FOLIUM_VIEWPORT.sub('<meta name="viewport" content="width=device-width, initial-scale=1.0">', html, count=1)


def _units(element: Element) -> list[Element]:
    found = []
    for child in element._children.values():
        found.append(child)
        found.extend(_units(child))
    return found


class PageAssets(VerbatimMacro):
    """Leaflet, the page's style sheet and every unit's script in the page head,
    inline (or Leaflet from a pinned CDN with SRI)."""

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
        {%- for script in this.scripts %}
        <script>{{ script }}</script>
        {%- endfor %}
        {% endmacro %}
        """
    )

    CSP_PLACEHOLDER = "@@CSP@@"

    def __init__(self, cdn: bool):
        super().__init__()
        self._name = "PageAssets"
        self.assets = assets.leaflet_assets(cdn)
        self.app_css = assets.app_css()
        self.csp_placeholder = self.CSP_PLACEHOLDER

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "PageAssets must be added to a Map in a Figure"
        names = list(CORE_SCRIPTS)
        for unit in _units(self._parent):
            names.extend(n for n in getattr(unit, "scripts", ()) if n not in names)
        self.scripts = [assets.static_text(name) for name in names]
        for text in [self.app_css, *self.scripts, *(a.text for a in self.assets if a.text)]:
            if re.search(r"</(script|style)|<!--", text, flags=re.IGNORECASE):
                raise ValueError("an inlined asset would close its own element; it cannot be inlined")
        figure.header.add_child(
            Verbatim(self._template.module.header(self, kwargs)), name="page_assets", index=0
        )


def layer_label(text: str) -> str:
    """A label for Leaflet's layer control, which writes it as HTML from a folium
    template: escaped for HTML, and with braces as entities so no template
    syntax survives.

    >>> layer_label("<b>{{ 7*7 }}</b>")
    '&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt;'
    """
    return html_text(text).replace("{", "&#123;").replace("}", "&#125;")
