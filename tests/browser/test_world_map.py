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


# The rows' height as drawn, measured here on the rows in the DOM (first to last, over the
# rows between), and the table's scroll height and header.
TABLE_HEIGHTS = """() => {
  const s = document.querySelector('.mdm-records-scroll');
  const rows = s.querySelectorAll('tbody tr:not(.mdm-spacer)');
  const first = rows[0].getBoundingClientRect(), last = rows[rows.length - 1].getBoundingClientRect();
  return { row: (last.top - first.top) / (rows.length - 1), scroll: s.scrollHeight, client: s.clientHeight,
           head: s.querySelector('thead').getBoundingClientRect().height };
}"""

# Scrolls the table to a position (as the scrollbar would), and once it is drawn returns
# the first row in view below the sticky header: its position and record.
SCROLL_TO = """(top) => new Promise(done => {
  const s = document.querySelector('.mdm-records-scroll');
  s.scrollTop = top;
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const below = s.getBoundingClientRect().top + s.querySelector('thead').getBoundingClientRect().height;
    const rows = [...s.querySelectorAll('tbody tr:not(.mdm-spacer)')];
    const first = rows.find(r => r.getBoundingClientRect().bottom > below + 1);
    const last = rows[rows.length - 1].getBoundingClientRect();
    done({ position: first ? +first.getAttribute('aria-rowindex') - 2 : null,
           record: first && first.getAttribute('data-record'), scrollTop: s.scrollTop,
           lastRecord: rows[rows.length - 1].getAttribute('data-record'),
           gapBelowLast: s.getBoundingClientRect().bottom - last.bottom });
  }));
})"""


@pytest.mark.parametrize("size", [pytest.param((1400, 850), id="desktop"), pytest.param((390, 844), id="phone")])
def test_a_deep_scroll_shows_the_rows_that_belong_there(watch, world, size):
    """Above 2,000 rows the rows out of view are spacers: they are as high as the rows they
    stand for (the rows' real height, not an assumed one), so the table is as tall as all its
    rows and a scroll position deep in it, as the scrollbar sets it, shows the rows that are there."""
    html, catalogue = world
    watch.page.set_viewport_size({"width": size[0], "height": size[1]})
    watch.open(html)
    watch.page.get_by_role("button", name="Records").click()
    watch.page.locator(".mdm-records-table tbody tr:not(.mdm-spacer)").first.wait_for()
    records = catalogue.records()
    by_date = [r.id for r in sorted(sorted(records, key=lambda r: r.id), key=lambda r: r.first or "")]
    n = len(by_date)
    assert n > 2000

    heights = watch.js(TABLE_HEIGHTS)
    row = heights["row"]
    assert 20 < row < 60, heights
    assert abs(heights["scroll"] - heights["head"] - n * row) <= 3, (heights, n * row)

    for wanted in (1234, 3000, n // 2):
        shown = watch.js(SCROLL_TO, wanted * row)
        assert abs(shown["position"] - wanted) <= 1, (wanted, shown)
        assert shown["record"] == by_date[shown["position"]], shown
    # The end of the scrollbar shows the last record, at the bottom, with no gap below it.
    shown = watch.js(SCROLL_TO, heights["scroll"])
    assert shown["lastRecord"] == by_date[-1]
    assert abs(shown["gapBelowLast"]) <= 2, shown
    assert abs(shown["position"] - (n - (heights["client"] - heights["head"]) / row)) <= 1.5, shown
