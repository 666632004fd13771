"""The MME import builds a working world map: every layer drawn, filter and popups work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_map import main as build_main
from mongolmap.geo.export import in_years
from mongolmap.geo.features import build_marks
from mongolmap.geo.load import load_or_raise

MME_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "mme_v7.csv"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    if not MME_CSV.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{MME_CSV} is missing")
        pytest.skip(f"{MME_CSV} not here")
    tmp = tmp_path_factory.mktemp("world")
    assert build_main(["import", "mme", str(MME_CSV), "--out", str(tmp / "data")]) == 0
    assert build_main(["--data", str(tmp / "data"), "--out", str(tmp / "out"), "--no-seeds", "--no-geojson"]) == 0
    return tmp / "out" / "map.html", load_or_raise(tmp / "data", seeds_dir=None)


def test_world_map_draws_every_layer_and_filters(watch, world):
    page, catalogue = world
    watch.open(page)
    assert watch.page.locator("h1").inner_text() == catalogue.title
    marks = build_marks(catalogue)
    drawn = watch.js("() => { let n = 0; window.MDM.app.map.eachLayer(l => { if (l.mdmMark && !l.mdmHidden) n++; }); return n; }")
    assert drawn == len(marks)
    for style in catalogue.sorted_layers():
        assert watch.page.get_by_role("checkbox", name=style.label, exact=True).is_checked()
    watch.page.locator(".mdm-year-from").fill("1995")
    watch.page.locator(".mdm-year-to").fill("1999")
    label = watch.page.locator(".mdm-years-label[data-from='1995'][data-to='1999']")
    label.wait_for()
    expected = sum(1 for r in catalogue.records() if in_years(catalogue, r.id, (1995, 1999)))
    assert int(label.get_attribute("data-records")) == expected > 0


def test_world_map_popup_cites_the_mmeid(watch, world):
    page, catalogue = world
    watch.open(page)
    event = catalogue.events["mme-2874"]  # Khaan Quest 2006
    mark_id = f"{event.layer}.{event.places[0]}"
    x, y = watch.js(
        """([id]) => { const app = window.MDM.app; const m = app.marks.find(m => m.id === id);
        app.map.setView(m.main.getLatLng(), 6, {animate: false});
        const p = app.map.latLngToContainerPoint(m.main.getLatLng());
        const b = app.map.getContainer().getBoundingClientRect(); return [b.left + p.x, b.top + p.y]; }""",
        [mark_id],
    )
    watch.page.mouse.click(x, y)
    popup = watch.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert event.title in text
    assert "[mme2874]" in text
    assert "Multinational Military Exercises, 1980-2010" in text


def test_arrow_keys_reach_rows_not_yet_drawn(watch, world):
    """Above 2,000 rows only the rows in view are drawn: End, Page Up and the
    arrows still reach any record, scrolled into view with the focus on it."""
    html, catalogue = world
    watch.open(html)
    watch.page.get_by_role("button", name="Records").click()
    rows = watch.page.locator(".mdm-records-table tbody tr:not(.mdm-spacer)")
    rows.first.wait_for()
    records = catalogue.records()
    assert len(records) > 2000 > rows.count()  # not every row is drawn
    by_date = [r.id for r in sorted(sorted(records, key=lambda r: r.id), key=lambda r: r.first or "")]

    def focused():
        return watch.js("() => document.activeElement.getAttribute('data-record')")

    rows.first.focus()
    assert focused() == by_date[0]
    watch.page.keyboard.press("End")
    assert focused() == by_date[-1]
    watch.page.keyboard.press("ArrowUp")
    assert focused() == by_date[-2]
    watch.page.keyboard.press("PageUp")
    position = by_date.index(focused())
    assert len(by_date) - 40 < position < len(by_date) - 2
    watch.page.keyboard.press("Home")
    assert focused() == by_date[0]
    row = watch.page.locator(f"tr[data-record='{by_date[0]}']").bounding_box()
    scroller = watch.page.locator(".mdm-records-scroll").bounding_box()
    assert scroller["y"] <= row["y"] <= scroller["y"] + scroller["height"]
