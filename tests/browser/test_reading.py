"""Offline first, the legend, the timeline, and a page anyone can zoom."""

from __future__ import annotations

from playwright.sync_api import expect


def test_page_opens_on_the_outlines_and_asks_no_tile_server(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    assert watch.external == []  # no request left the machine
    assert watch.page.get_by_role("radio", name="Country outlines (offline)").is_checked()
    assert watch.js("() => document.documentElement.lang") == "en"
    viewport = watch.page.locator("meta[name=viewport]").get_attribute("content")
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport


def test_tiles_are_one_click_away_and_fall_back_to_outlines_offline(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    watch.page.get_by_role("radio", name="OpenStreetMap tiles").check()
    note = watch.page.get_by_role("status").filter(has_text="tiles could not be loaded")
    expect(note).to_be_visible()
    assert any("tile.openstreetmap.org" in url for _kind, url in watch.external)


def test_legend_greys_out_layers_that_are_off(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    label = shipped_catalogue.layers["nato"].label
    item = watch.page.locator(".mdm-legend li", has_text=label).first
    assert item.get_attribute("data-off") == "false"
    watch.page.get_by_role("checkbox", name=label, exact=True).uncheck()
    assert item.get_attribute("data-off") == "true"
    assert "(hidden)" in item.inner_text()


def test_legend_shows_only_the_symbols_the_map_uses(watch, tmp_path):
    import shutil
    from pathlib import Path

    import yaml

    from build_map import main as build_main

    root = Path(__file__).resolve().parents[2]
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    for path in data.glob("*.yaml"):  # keep only events drawn as symbols: no links, arcs, shading
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        doc.pop("links", None)
        if path.name == "styles.yaml":
            for layer in doc["layers"]:
                layer["participant_arcs"] = False
                layer["shade_participants"] = False
                layer["shade_countries"] = []
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert build_main(["--data", str(data), "--out", str(out), "--no-seeds", "--no-geojson"]) == 0
    watch.open(out / "map.html")
    keys = watch.page.locator(".mdm-legend-keys li").all_inner_texts()
    assert not any("link between partners" in k or "exercise site" in k or "shaded" in k for k in keys)
    assert any("bigger symbol" in k for k in keys)


def test_timeline_click_selects_a_year_and_drag_a_range(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    years = watch.js("() => window.MDM.app.years")
    svg = watch.page.locator(".mdm-timeline svg")
    box = svg.bounding_box()
    bar = (box["width"] - 8) / (years[1] - years[0] + 1)

    def x_of(year):
        return box["x"] + 4 + (year - years[0] + 0.5) * bar

    middle = box["y"] + box["height"] / 2
    watch.page.mouse.click(x_of(2014), middle)
    expect(watch.page.locator(".mdm-years-label")).to_have_attribute("data-from", "2014")
    expect(watch.page.locator(".mdm-years-label")).to_have_attribute("data-to", "2014")
    assert watch.page.locator(".mdm-year-from").input_value() == "2014"

    watch.page.mouse.move(x_of(2010), middle)
    watch.page.mouse.down()
    watch.page.mouse.move(x_of(2016), middle, steps=5)
    watch.page.mouse.up()
    expect(watch.page.locator(".mdm-years-label")).to_have_attribute("data-from", "2010")
    expect(watch.page.locator(".mdm-years-label")).to_have_attribute("data-to", "2016")
    assert watch.page.locator(".mdm-year-to").input_value() == "2016"
