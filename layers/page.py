"""The map page assembled: the folium Map of a catalogue, its units over the one
data contract, and the whole page as text with its Content-Security-Policy.

``build_map.py`` writes what :func:`render_page` returns; ``mongolmap.folium_map``
returns :func:`make_map`'s Map for notebooks.
"""

from __future__ import annotations

from collections.abc import Iterator

# Where the map opens: centred on Mongolia, at a zoom that shows its partners
# from Brussels to Alaska and Washington on a desktop screen.
MAP_CENTRE_LATLON = (40.0, 105.0)
MAP_ZOOM = 2


def make_map(catalogue, title: str | None = None, cdn: bool = False, marks=None, tiles: bool = False):
    """The folium Map for a catalogue: tiles, offline outlines, one layer per style,
    and the page's units over the one data contract (``layers.wire``). With
    ``tiles``, the OpenStreetMap tiles are the base map the page opens on.

    Element ids come from layer keys and creation order (``layers.ids``), so the
    same data always gives the same page.
    """
    import folium
    import xyzservices.providers as xyz

    from mongolmap.geo.features import build_marks
    from mongolmap.layers import units
    from mongolmap.layers.escape import html_text
    from mongolmap.layers.ids import deterministic_ids
    from mongolmap.layers.wire import encode, wire_data

    marks = build_marks(catalogue) if marks is None else marks
    title = title or catalogue.title or units.DEFAULT_TITLE
    with deterministic_ids():
        fmap = units.SelfContainedMap(
            location=MAP_CENTRE_LATLON, zoom_start=MAP_ZOOM, tiles=None, prefer_canvas=True,
            world_copy_jump=False, control_scale=True,
        )
        fmap.get_root().title = html_text(title)
        fmap.add_child(units.PageAssets(cdn))
        # Offline first, private by default: the outlines are the base map, and no
        # tile is requested until the reader picks the tiles in the layer list.
        folium.FeatureGroup(name="Country outlines (offline)", overlay=False, show=not tiles).add_to(fmap)
        folium.TileLayer(xyz.OpenStreetMap.Mapnik, name="OpenStreetMap tiles", overlay=False, show=tiles).add_to(fmap)
        app = units.MapData(encode(wire_data(catalogue, marks, title)))
        fmap.add_child(app)
        fmap.add_child(units.Basemap())
        for row, style in enumerate(catalogue.sorted_layers()):
            units.RecordLayer(style, row, app).add_to(fmap)
        folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
        for unit in (units.TitleBar, units.ExportButton, units.Legend, units.YearFilter, units.Timeline,
                     units.RecordsPanel, units.LayerList, units.Links):
            fmap.add_child(unit(app))
    return fmap


def _tile_origins(fmap) -> list[str]:
    import re

    import folium

    origins = set()
    for child in fmap._children.values():
        if isinstance(child, folium.TileLayer):
            url = child.tiles
            host = re.match(r"(https://[^/]+)", url).group(1)
            origins.add(host.replace("{s}.", "*."))
    return sorted(origins)


def _inline_scripts(html: str) -> Iterator[str]:
    """The body of every ``<script>`` element without attributes (str.find: a
    regular expression over a 20 MB page costs a tenth of a second more)."""
    start = html.find("<script>")
    while start != -1:
        end = html.index("</script>", start)
        yield html[start + len("<script>") : end]
        start = html.find("<script>", end)


def content_security_policy(html: str, tile_origins: list[str], cdn: bool) -> str:
    """A policy allowing exactly this page's own scripts (by hash), its styles and tiles."""
    import base64
    import hashlib

    from mongolmap.layers.assets import CDN_BASE

    hashes = []
    for body in _inline_scripts(html):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    cdn_origin = [CDN_BASE.split("/leaflet@")[0]] if cdn else []
    script_src = " ".join(sorted(set(hashes)) + cdn_origin)
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {script_src}",
            "style-src 'unsafe-inline'" + "".join(f" {o}" for o in cdn_origin),
            "img-src data: blob: " + " ".join(tile_origins),
            "font-src 'none'",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render_page(catalogue, title: str | None = None, cdn: bool = False, marks=None) -> str:
    """The whole map page as text, with its Content-Security-Policy filled in."""
    from mongolmap.layers.units import PageAssets, readable_page

    fmap = make_map(catalogue, title, cdn, marks)
    html = readable_page(fmap.get_root().render())
    csp = content_security_policy(html, _tile_origins(fmap), cdn)
    return html.replace(PageAssets.CSP_PLACEHOLDER, csp, 1)
