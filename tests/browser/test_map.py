"""The built map in Chromium: layers, popups, the year filter, legend and timeline.

Expected figures come from the Python side (marks, records, years), computed
independently of the page, so a test fails when the two disagree.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mongolmap.geo.export import in_years
from mongolmap.geo.features import build_marks

ROOT = Path(__file__).resolve().parents[2]

# Marks drawn, by layer index: on the map (Leaflet's eachLayer) and not hidden by the year filter.
COUNT_DRAWN = """() => {
  const counts = {};
  window.MDM.app.map.eachLayer(l => { if (l.mdmMark && !l.mdmHidden) counts[l.mdmMark.layer] = (counts[l.mdmMark.layer] || 0) + 1; });
  return counts;
}"""

# Screen position of a mark after centring the map on it.
MARK_POSITION = """([id, zoom]) => {
  const app = window.MDM.app;
  const mark = app.marks.find(m => m.id === id);
  const ll = mark.main.getLatLng ? mark.main.getLatLng() : mark.main.getCenter();
  app.map.setView(ll, zoom, {animate: false});
  const p = app.map.latLngToContainerPoint(ll);
  const box = app.map.getContainer().getBoundingClientRect();
  return [box.left + p.x, box.top + p.y];
}"""


def expected_marks_by_layer(catalogue, years=None) -> dict[str, int]:
    index = {s.key: i for i, s in enumerate(catalogue.sorted_layers())}
    counts: Counter[str] = Counter()
    for mark in build_marks(catalogue):
        if not mark.records or any(in_years(catalogue, r, years) for r in mark.records):
            counts[str(index[mark.layer])] += 1
    return dict(counts)


def test_every_layer_is_listed_and_drawn(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    for style in shipped_catalogue.sorted_layers():
        checkbox = watch.page.get_by_role("checkbox", name=style.label, exact=True)
        assert checkbox.is_checked(), f"layer {style.label} should start visible"
    assert watch.js(COUNT_DRAWN) == expected_marks_by_layer(shipped_catalogue)


@pytest.mark.parametrize(
    "layer",
    ["khaan_quest", "alaska", "nato", "neighbours", "us_bilateral", "diplomacy", "deployments", "third_neighbours"],
)
def test_unchecking_a_layer_removes_its_features_and_checking_restores_them(
    watch, shipped_build, shipped_catalogue, layer
):
    watch.open(shipped_build / "map.html")
    style = shipped_catalogue.layers[layer]
    index = str([s.key for s in shipped_catalogue.sorted_layers()].index(layer))
    expected = expected_marks_by_layer(shipped_catalogue)
    assert expected[index] > 0
    checkbox = watch.page.get_by_role("checkbox", name=style.label, exact=True)
    checkbox.uncheck()
    after = watch.js(COUNT_DRAWN)
    assert index not in after
    assert after == {k: v for k, v in expected.items() if k != index}
    checkbox.check()
    assert watch.js(COUNT_DRAWN) == expected


def test_popup_shows_the_record_with_its_citation(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    event = shipped_catalogue.events["alaska-arctic-training-visit-2024"]
    x, y = watch.js(MARK_POSITION, [f"alaska.{event.places[0]}", 5])
    watch.page.mouse.click(x, y)
    popup = watch.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    citation = event.citations[0]
    source = shipped_catalogue.sources[citation.source]
    assert event.title in text
    assert "14 Feb 2024" in text  # the date in its own precision
    assert citation.quote in text
    assert source.title in text
    assert "Location known to: city" in text
    link = popup.locator("a", has_text=source.title).first
    if source.address:
        assert link.get_attribute("href") == str(source.address)


def test_tooltip_on_hover_names_the_place(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    place = shipped_catalogue.places["interior-alaska"]
    x, y = watch.js(MARK_POSITION, ["alaska.interior-alaska", 5])
    watch.page.mouse.move(x, y)
    tooltip = watch.page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert place.name in tooltip.inner_text()


@pytest.mark.parametrize("years", [(2010, 2015), (2024, 2024), (2003, 2003)])
def test_year_filter_hides_what_falls_outside(watch, shipped_build, shipped_catalogue, years):
    watch.open(shipped_build / "map.html")
    first, last = years
    watch.page.locator(".mdm-year-from").fill(str(first))
    watch.page.locator(".mdm-year-to").fill(str(last))
    label = watch.page.locator(".mdm-years-label")
    label.and_(watch.page.locator(f"[data-from='{first}'][data-to='{last}']")).wait_for()
    assert label.inner_text().startswith(f"{first} – {last}")
    assert watch.js(COUNT_DRAWN) == {
        k: v for k, v in expected_marks_by_layer(shipped_catalogue, years).items() if v
    }
    expected_records = sum(
        1 for r in shipped_catalogue.records() if in_years(shipped_catalogue, r.id, years)
    )
    assert int(label.get_attribute("data-records")) == expected_records


def test_year_filter_spans_first_to_last_record(watch, shipped_build, shipped_catalogue):
    from mongolmap.geo.features import years_covered

    watch.open(shipped_build / "map.html")
    first, last = years_covered(shipped_catalogue)
    slider = watch.page.locator(".mdm-year-from")
    assert (slider.get_attribute("min"), slider.get_attribute("max")) == (str(first), str(last))


def test_legend_lists_every_layer_and_timeline_has_bars(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    legend = watch.page.locator(".mdm-legend").inner_text()
    for style in shipped_catalogue.sorted_layers():
        assert style.label in legend
    # One bar per (year, layer) that has events.
    from mongolmap.geo.dates import parse_partial_date

    cells = {(parse_partial_date(e.start).year, e.layer) for e in shipped_catalogue.events.values()}
    assert watch.page.locator(".mdm-timeline svg rect").count() == len(cells)


def test_about_panel_lists_the_sources(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    panel = watch.page.locator(".mdm-about")
    assert panel.is_hidden()
    watch.page.get_by_role("button", name="About & sources").click()
    assert panel.is_visible()
    text = panel.inner_text()
    for source in shipped_catalogue.sources.values():
        assert source.title in text


def test_title_bar_counts_records_and_sources(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    records = len(shipped_catalogue.events) + len(shipped_catalogue.links)
    expected = f"{records} records from {len(shipped_catalogue.sources)} sources"
    assert watch.page.locator(".mdm-title p").first.inner_text() == expected


def test_layer_control_stays_open(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    assert watch.page.locator(".leaflet-control-layers-expanded").is_visible()


def _screenshot_target(name: str, tmp_path):
    target = ROOT / "docs" / name if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def test_readme_screenshot(watch, shipped_build, tmp_path):
    """The README's pictures, taken here so they stay current (`make screenshot` writes them)."""
    watch.open(shipped_build / "map.html")
    target = _screenshot_target("map.png", tmp_path)
    watch.page.screenshot(path=str(target))
    assert target.stat().st_size > 50_000  # a drawn map, not a blank page
    watch.page.get_by_role("button", name="Records").click()
    watch.page.locator(".mdm-records-table tr[data-record='alaska-arctic-training-visit-2024']").click()
    watch.page.locator(".mdm-details h3").wait_for()
    target = _screenshot_target("map-records.png", tmp_path)
    watch.page.screenshot(path=str(target))
    assert target.stat().st_size > 50_000


def test_readme_screenshot_phone(watch, shipped_build, tmp_path):
    watch.page.set_viewport_size({"width": 390, "height": 844})
    watch.open(shipped_build / "map.html")
    watch.page.get_by_role("button", name="Records").click()
    watch.page.locator(".mdm-records-table tbody tr").first.wait_for()
    target = _screenshot_target("map-phone.png", tmp_path)
    watch.page.screenshot(path=str(target))
    assert target.stat().st_size > 30_000


def test_the_page_adds_one_global_of_its_own(watch, shipped_build, tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    watch.page.goto(blank.as_uri())
    before = set(watch.js("() => Object.keys(window)"))
    watch.open(shipped_build / "map.html")
    added = set(watch.js("() => Object.keys(window)")) - before
    # Leaflet's own globals, folium's flags, and the names folium gives its
    # elements (map_0000, layer_6f92566bf9, layer_control_0018_layers, ...).
    theirs = {"L", "L_NO_TOUCH", "L_DISABLE_3D", "leaflet", "_leaflet_events"}
    ours = {n for n in added - theirs if not re.fullmatch(r"[a-z_]+_[0-9a-f]{4,10}(_layers)?", n)}
    assert ours == {"MDM"}


def test_a_contract_of_another_version_is_refused_with_a_message(watch, shipped_build, tmp_path):
    from mongolmap.layers.wire import decode, encode

    html = (shipped_build / "map.html").read_text(encoding="utf-8")
    pattern = r'(<script type="application/octet-stream" id="mdm-wire">)([^<]*)(</script>)'
    data = decode(re.search(pattern, html).group(2))
    data["version"] += 1
    page = tmp_path / "map.html"
    page.write_text(re.sub(pattern, lambda m: m.group(1) + encode(data) + m.group(3), html), encoding="utf-8")
    watch.page.goto(page.as_uri())
    alert = watch.page.get_by_role("alert")
    alert.wait_for()
    assert f"map data version {data['version']}" in alert.inner_text()
    assert watch.page.locator("body[data-map-ready]").count() == 0
    watch.errors.clear()  # the refusal is also reported as an uncaught error, on purpose


def test_a_click_lists_every_feature_under_the_pointer(watch, shipped_build, shipped_catalogue):
    """At Ulaanbaatar several layers' symbols and Mongolia's shading lie under one
    point: the popup offers each, symbols first, shading last, and each opens."""
    watch.open(shipped_build / "map.html")
    layer = next(s.key for s in shipped_catalogue.sorted_layers()
                 if any(m.id == f"{s.key}.ulaanbaatar" for m in build_marks(shipped_catalogue)))
    x, y = watch.js(MARK_POSITION, [f"{layer}.ulaanbaatar", 6])
    watch.page.mouse.click(x, y)
    choices = watch.page.locator(".leaflet-popup-content .mdm-choice")
    choices.first.wait_for()
    texts = choices.all_inner_texts()
    assert len(texts) > 1
    place_name = shipped_catalogue.places["ulaanbaatar"].name
    at_place = [t for t in texts if t.strip().startswith(place_name)]
    assert len(at_place) >= 2, texts  # stacked symbols of several layers, each reachable
    shading = [i for i, t in enumerate(texts) if t.strip().startswith("Mongolia ·")]
    assert all(i > len(at_place) - 1 for i in shading)  # shading after symbols and arcs
    for k in range(len(texts)):
        choices.nth(k).click()
        assert choices.nth(k).get_attribute("aria-pressed") == "true"
        assert watch.page.locator(".leaflet-popup-content .mdm-popup h2").count() == 1


def test_every_symbol_is_reachable_by_a_click_on_it(watch, shipped_build, shipped_catalogue):
    """A click on each place symbol lists it, even where others are stacked on
    it, so every record at a place can be read."""
    watch.open(shipped_build / "map.html")
    places = [m for m in build_marks(shipped_catalogue) if m.role == "place"]
    covered = set()
    for mark in places:
        watch.page.keyboard.press("Escape")
        x, y = watch.js(MARK_POSITION, [mark.id, 6])
        watch.page.mouse.click(x, y)
        # The symbol is listed (a chooser's button) or shown (the only feature there).
        watch.page.locator(f".leaflet-popup-content [data-mark='{mark.id}']").first.wait_for()
        covered.update(mark.records)
        watch.js("() => { window.MDM.app.map.closePopup(); }")
        expect(watch.page.locator(".leaflet-popup")).to_have_count(0)  # gone before the next click
    events = {r.id for r in shipped_catalogue.events.values()}
    assert events <= covered  # every event is at a place whose symbol a click reaches
