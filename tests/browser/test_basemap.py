"""The outline base map reads on its own: Natural Earth's country names and the
names of the places shown, more of them as the reader zooms in, never two on top
of each other, never taking a click, never over tiles. The base map chosen is in
the link, and a build option opens the page on tiles."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from build_map import main as build_main

ROOT = Path(__file__).resolve().parents[2]
TILE_SERVER = "https://tile.openstreetmap.org/**"
# A 1×1 PNG: what a tile server that answers would send.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)

# The names placed, once the view has settled and the names are drawn.
PLACED = """([zoom, lat, lng]) => new Promise(done => {
  const app = window.MDM.app;
  if (zoom !== null) app.map.setView([lat, lng], zoom, { animate: false });
  requestAnimationFrame(() => requestAnimationFrame(() => done(app.names.placed)));
})"""


def names_at(watch, zoom=None, lat=0.0, lng=0.0) -> list[dict]:
    return watch.js(PLACED, [zoom, lat, lng])


def texts(placed: list[dict], kind: str) -> set[str]:
    return {n["text"] for n in placed if n["kind"] == kind}


def overlapping(placed: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(placed)
        for b in placed[i + 1 :]
        if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]


def serve_tiles(watch) -> None:
    """Tiles load (a later route wins over the harness's, which aborts everything off the machine)."""
    watch.page.route(TILE_SERVER, lambda route: route.fulfill(body=PNG, content_type="image/png"))


VIEWS = [
    pytest.param((2, 40.0, 105.0), id="world"),
    pytest.param((4, 47.0, 106.0), id="mongolia"),
    pytest.param((4, 0.0, 22.0), id="africa"),
    pytest.param((6, 50.8, 4.4), id="benelux"),
]


@pytest.mark.parametrize("size", [(1400, 850), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("view", VIEWS)
def test_names_never_overlap_and_stay_on_the_map(watch, shipped_build, size, view):
    watch.page.set_viewport_size({"width": size[0], "height": size[1]})
    watch.open(shipped_build / "map.html")
    placed = names_at(watch, *view)
    assert placed, "no names drawn"
    assert overlapping(placed) == []
    assert all(0 <= n["left"] and n["right"] <= size[0] and 0 <= n["top"] and n["bottom"] <= size[1] for n in placed)


def test_the_world_view_names_the_large_countries_and_zooming_in_names_more(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    world = names_at(watch, 2, 40.0, 105.0)
    assert {"Russia", "China", "Kazakhstan", "Australia"} <= texts(world, "country")
    assert "Belgium" not in texts(world, "country")
    assert "Ulaanbaatar" in texts(world, "place")  # the place with the most records
    # Its neighbours at the same spot are left to a closer view, as is Mongolia's name under them.
    assert "Five Hills Training Area" not in texts(world, "place")
    mongolia = names_at(watch, 6, 47.9, 106.9)
    assert {"Ulaanbaatar", "Five Hills Training Area"} <= texts(mongolia, "place")
    assert "Mongolia" in texts(mongolia, "country")
    assert len(texts(names_at(watch, 4, 47.0, 106.0), "place")) > len(texts(world, "place"))
    closer = names_at(watch, 6, 50.8, 4.4)
    assert {"Belgium", "Netherlands", "Luxembourg"} & texts(closer, "country") >= {"Belgium", "Netherlands"}
    # Natural Earth's own short names, as its TopoJSON carries them.
    assert "Dem. Rep. Congo" in texts(names_at(watch, 4, 0.0, 22.0), "country")


def test_place_names_follow_the_layers_and_years(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    watch.js("() => { window.MDM.app.map.setView([47.9, 106.9], 6, { animate: false }); }")
    assert "Ulaanbaatar" in texts(names_at(watch), "place")
    for box in watch.page.locator(".leaflet-control-layers-overlays input").all():
        box.uncheck()
    assert texts(names_at(watch), "place") == set()
    assert "Mongolia" in texts(names_at(watch), "country")


def test_names_take_no_clicks(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    placed = names_at(watch, 4, 47.0, 106.0)
    assert watch.js("() => getComputedStyle(window.MDM.app.map.getPane('mdmLabels')).pointerEvents") == "none"
    for name in placed:
        x, y = (name["left"] + name["right"]) / 2, (name["top"] + name["bottom"]) / 2
        hit = watch.js("([x, y]) => document.elementFromPoint(x, y).className", [x, y])
        assert "mdm-names" not in str(hit), name["text"]
    # A click on China's name reaches what lies under it: China, shaded by the records.
    china = next(n for n in placed if n["text"] == "China")
    watch.page.mouse.click((china["left"] + china["right"]) / 2, (china["top"] + china["bottom"]) / 2)
    expect(watch.page.locator(".leaflet-popup")).to_contain_text("China")


def test_no_names_over_tiles_and_back_with_the_outlines(watch, shipped_build):
    serve_tiles(watch)
    watch.open(shipped_build / "map.html")
    assert names_at(watch)
    watch.page.get_by_role("radio", name="OpenStreetMap tiles").check()
    watch.page.locator(".leaflet-tile-loaded").first.wait_for()
    assert names_at(watch) == []
    assert watch.js("() => window.MDM.app.names.shown") is False
    watch.page.get_by_role("radio", name="Country outlines (offline)").check()
    assert names_at(watch)


def reopen(watch) -> None:
    """Leave the page, then open its address again (as a reader following a shared link)."""
    url = watch.page.url
    watch.page.goto("about:blank")
    watch.page.goto(url)
    watch.page.wait_for_selector("body[data-map-ready='true']")


def test_the_link_remembers_the_base_map(watch, shipped_build):
    serve_tiles(watch)
    watch.open(shipped_build / "map.html")
    assert "base=" not in watch.page.url  # the page's default is not written
    watch.page.get_by_role("radio", name="OpenStreetMap tiles").check()
    expect(watch.page).to_have_url(re.compile(r"base=tiles"))
    reopen(watch)
    expect(watch.page.get_by_role("radio", name="OpenStreetMap tiles")).to_be_checked()
    watch.page.get_by_role("radio", name="Country outlines (offline)").check()
    expect(watch.page).not_to_have_url(re.compile(r"base="))


@pytest.fixture(scope="module")
def tiles_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiles-build")
    assert build_main(["--data", str(ROOT / "data"), "--out", str(out), "--no-seeds", "--no-geojson", "--tiles"]) == 0
    return out


def test_the_tiles_option_opens_on_tiles_and_the_link_can_ask_for_outlines(watch, tiles_build):
    serve_tiles(watch)
    watch.open(tiles_build / "map.html")
    expect(watch.page.get_by_role("radio", name="OpenStreetMap tiles")).to_be_checked()
    watch.page.locator(".leaflet-tile-loaded").first.wait_for()
    assert "base=" not in watch.page.url
    watch.page.get_by_role("radio", name="Country outlines (offline)").check()
    expect(watch.page).to_have_url(re.compile(r"base=outlines"))
    reopen(watch)
    expect(watch.page.get_by_role("radio", name="Country outlines (offline)")).to_be_checked()
    assert names_at(watch)


def test_the_tiles_option_falls_back_to_the_outlines_offline_and_says_so(watch, tiles_build):
    watch.open(tiles_build / "map.html")
    note = watch.page.get_by_role("status").filter(has_text="tiles could not be loaded")
    expect(note).to_be_visible()
    expect(watch.page.get_by_role("radio", name="Country outlines (offline)")).to_be_checked()
    assert any("tile.openstreetmap.org" in url for _kind, url in watch.external)
    assert names_at(watch)
