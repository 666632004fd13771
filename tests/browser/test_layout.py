"""A layout for every screen: no control covers another at the four sizes, and
every panel (layers, years, legend, timeline, records) folds away from a
button and remembers it across a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

SIZES = [
    pytest.param((1400, 850), id="desktop"),
    pytest.param((1280, 650), id="laptop"),
    pytest.param((1024, 768), id="tablet"),
    pytest.param((390, 844), id="phone"),
]

# The boxes of every control and panel on screen, after a frame (so the layout has run).
BOXES = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
  const nodes = document.querySelectorAll('.mdm-title, .mdm-records, .leaflet-control');
  done([...nodes].filter(n => n.getClientRects().length && getComputedStyle(n).visibility !== 'hidden')
    .map(n => { const r = n.getBoundingClientRect();
      return { name: n.getAttribute('data-panel') || n.className.split(' ')[0],
               left: r.left, top: r.top, right: r.right, bottom: r.bottom }; })
    .filter(b => b.right > b.left && b.bottom > b.top));
})))"""


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["name"], b["name"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]


def on_screen(boxes: list[dict], width: int, height: int) -> list[str]:
    return [b["name"] for b in boxes if b["left"] < 0 or b["top"] < 0 or b["right"] > width or b["bottom"] > height]


@pytest.mark.parametrize("size", SIZES)
def test_no_control_covers_another(watch, shipped_build, size):
    width, height = size
    watch.page.set_viewport_size({"width": width, "height": height})
    watch.open(shipped_build / "map.html")
    boxes = watch.js(BOXES)
    names = {b["name"] for b in boxes}
    assert {"mdm-title", "layers", "years", "legend", "timeline"} <= names, names
    assert overlaps(boxes) == [], "first load"
    assert on_screen(boxes, width, height) == []

    watch.page.get_by_role("button", name="Records", exact=True).click()
    watch.page.locator(".mdm-records-table tbody tr").first.wait_for()
    boxes = watch.js(BOXES)
    assert "mdm-records" in {b["name"] for b in boxes}
    assert overlaps(boxes) == [], "records panel open"
    assert on_screen(boxes, width, height) == []


# The title bar's items (title, subtitle, each button) and its own box, after a frame.
TITLE_BAR = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
  const bar = document.querySelector('.mdm-title'), style = getComputedStyle(bar), r = bar.getBoundingClientRect();
  const box = n => { const b = n.getBoundingClientRect();
    return { name: n.textContent, left: b.left, top: b.top, right: b.right, bottom: b.bottom,
             cut: n.scrollWidth > n.clientWidth }; };
  done({ bar: { left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                content: r.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
                         - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth) },
         items: [...bar.querySelectorAll('h1, p, button')].map(box) });
})))"""


def test_the_title_bar_is_one_line_on_a_desktop(watch, shipped_build):
    """At 1400x850 the title, the subtitle and the six buttons share one line: every item
    spans the same line, the bar is as high as its tallest item (a button) and its padding,
    and nothing in it is cut short."""
    watch.page.set_viewport_size({"width": 1400, "height": 850})
    watch.open(shipped_build / "map.html")
    bar = watch.js(TITLE_BAR)
    items = bar["items"]
    names = [i["name"] for i in items]
    buttons = ["About & sources", "Export GeoJSON", "Records", "Partners", "Claims", "Copy link"]
    assert len(items) == 8 and names[2:] == buttons, names
    assert max(i["top"] for i in items) < min(i["bottom"] for i in items), items  # one line
    tallest = max(i["bottom"] - i["top"] for i in items)
    assert abs(bar["bar"]["content"] - tallest) <= 1, (bar["bar"], tallest)
    assert [i["name"] for i in items if i["cut"]] == []
    assert all(bar["bar"]["left"] < i["left"] and i["right"] < bar["bar"]["right"] for i in items), bar


def test_the_title_bar_on_a_phone_shows_every_button_whole(watch, shipped_build):
    """At 390x844 the bar wraps (title, subtitle, then the buttons in rows), and every
    button is whole, inside the bar and the screen, at least 24 px square, and clear of the others."""
    watch.page.set_viewport_size({"width": 390, "height": 844})
    watch.open(shipped_build / "map.html")
    bar = watch.js(TITLE_BAR)
    frame, buttons = bar["bar"], bar["items"][2:]
    assert len(buttons) == 6, buttons
    assert 0 <= frame["left"] and frame["right"] <= 390
    for b in buttons:
        assert frame["left"] < b["left"] and b["right"] < frame["right"], b
        assert frame["top"] < b["top"] and b["bottom"] < frame["bottom"], b
        assert b["right"] - b["left"] >= 24 and b["bottom"] - b["top"] >= 24, b
        assert not b["cut"], b
    assert overlaps(buttons) == []
    title = bar["items"][0]
    assert not title["cut"] and title["right"] < frame["right"], title


def test_phones_start_with_the_map_in_view(watch, shipped_build):
    watch.page.set_viewport_size({"width": 390, "height": 844})
    watch.open(shipped_build / "map.html")
    for name in ("layers", "legend", "timeline"):
        assert watch.page.locator(f"[data-panel='{name}'] .mdm-fold").get_attribute("aria-expanded") == "false", name
    # The years stay open: they are how a reader narrows the map.
    assert watch.page.locator("[data-panel='years'] .mdm-fold").get_attribute("aria-expanded") == "true"
    assert watch.page.locator(".mdm-records").is_hidden()


PANELS = [
    pytest.param("layers", ".leaflet-control-layers-list", id="layers"),
    pytest.param("years", ".mdm-year-inputs", id="years"),
    pytest.param("legend", ".mdm-legend ul", id="legend"),
    pytest.param("timeline", ".mdm-timeline svg", id="timeline"),
]


@pytest.mark.parametrize(("name", "content"), PANELS)
def test_a_panel_folds_by_keyboard_and_stays_folded_after_a_reload(watch, shipped_build, name, content):
    watch.open(shipped_build / "map.html")
    button = watch.page.locator(f"[data-panel='{name}'] .mdm-fold")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(watch.page.locator(content).first).to_be_visible()
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box
    button.focus()
    watch.page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(watch.page.locator(content).first).to_be_hidden()

    watch.page.reload()
    watch.page.wait_for_selector("body[data-map-ready='true']")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(watch.page.locator(content).first).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(watch.page.locator(content).first).to_be_visible()
    watch.page.reload()
    watch.page.wait_for_selector("body[data-map-ready='true']")
    expect(watch.page.locator(content).first).to_be_visible()


def test_the_records_panel_folds_and_stays_open_after_a_reload(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    button = watch.page.get_by_role("button", name="Records", exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box
    button.focus()
    watch.page.keyboard.press("Enter")
    expect(watch.page.locator(".mdm-records")).to_be_visible()
    watch.page.reload()
    watch.page.wait_for_selector("body[data-map-ready='true']")
    expect(watch.page.locator(".mdm-records")).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    button.click()
    expect(watch.page.locator(".mdm-records")).to_be_hidden()
    watch.page.reload()
    watch.page.wait_for_selector("body[data-map-ready='true']")
    expect(watch.page.locator(".mdm-records")).to_be_hidden()


def test_panels_work_when_storage_is_refused(watch, shipped_build):
    # Private modes and some file:// settings throw on localStorage: the page still folds.
    watch.page.add_init_script(
        "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });"
    )
    watch.open(shipped_build / "map.html")
    button = watch.page.locator("[data-panel='legend'] .mdm-fold")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(watch.page.locator(".mdm-legend ul").first).to_be_hidden()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", ["Partners", "Claims"])
def test_the_views_cover_nothing(watch, shipped_build, size, view):
    """The partners and claims views take the records panel's place, and cover no control."""
    width, height = size
    watch.page.set_viewport_size({"width": width, "height": height})
    watch.open(shipped_build / "map.html")
    watch.page.get_by_role("button", name=view, exact=True).click()
    expect(watch.page.locator(f".mdm-view[data-panel='{view.lower()}']")).to_be_visible()
    boxes = watch.js(BOXES.replace(".mdm-records,", ".mdm-records, .mdm-view,"))
    assert view.lower() in {b["name"] for b in boxes}
    assert overlaps(boxes) == [], f"{view} open"
    assert on_screen(boxes, width, height) == []


# --- Details and About open (issue 12: tall details, the About dialog) ----------

# The boxes as above, the details panel included.
BOXES_WITH_DETAILS = BOXES.replace("'.mdm-title, .mdm-records, .leaflet-control'", "'.mdm-title, .mdm-records, .mdm-details, .leaflet-control'")


def longest_record(catalogue) -> str:
    """The record whose details are the longest: description, quotes and notes."""

    def length(record) -> int:
        cited = sum(len(c.quote or "") + len(c.note or "") for c in record.citations)
        return len(record.title) + len(getattr(record, "description", None) or "") + cited

    return max(catalogue.records(), key=length).id


@pytest.mark.parametrize("size", SIZES)
def test_the_longest_details_cover_no_control_and_scroll_inside(watch, shipped_build, shipped_catalogue, size):
    width, height = size
    watch.page.set_viewport_size({"width": width, "height": height})
    watch.open(shipped_build / "map.html")
    watch.page.get_by_role("button", name="Records", exact=True).click()
    record = longest_record(shipped_catalogue)
    watch.page.locator(f".mdm-records-table tr[data-record='{record}']").click()
    details = watch.page.locator(".mdm-details")
    expect(details).to_have_attribute("data-record", record)
    boxes = watch.js(BOXES_WITH_DETAILS)
    assert "mdm-details" in {b["name"] for b in boxes}
    assert overlaps(boxes) == [], "details open"
    assert on_screen(boxes, width, height) == []
    # Taller than the room it has: it scrolls inside, and the end of it can be reached.
    scroll = watch.js("() => { const d = document.querySelector('.mdm-details'); return [d.scrollHeight, d.clientHeight, getComputedStyle(d).overflowY]; }")
    assert scroll[0] > scroll[1] and scroll[2] == "auto", scroll
    details.locator(".mdm-cite").last.scroll_into_view_if_needed()
    expect(details.locator(".mdm-cite").last).to_be_in_viewport()
    watch.page.keyboard.press("Escape")
    expect(details).to_be_hidden()
    assert overlaps(watch.js(BOXES)) == [], "details closed"


@pytest.mark.parametrize("size", SIZES)
def test_about_is_a_dialog_that_holds_focus_and_gives_it_back(watch, shipped_build, size):
    width, height = size
    watch.page.set_viewport_size({"width": width, "height": height})
    watch.open(shipped_build / "map.html")
    about = watch.page.get_by_role("button", name="About & sources")
    about.click()
    dialog = watch.page.get_by_role("dialog", name="About this map")
    expect(dialog).to_be_visible()
    # Modal: the page behind is inert, so it covers nothing a reader could be using.
    assert watch.js("() => document.querySelector('.mdm-about').matches(':modal')")
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
    inside = "() => document.querySelector('.mdm-about').contains(document.activeElement)"
    assert watch.js(inside)
    for _ in range(8):
        watch.page.keyboard.press("Tab")
        assert watch.js(inside) or watch.js("() => document.activeElement === document.body")
    watch.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(about).to_be_focused()
    # Its Close button does the same.
    about.press("Enter")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(about).to_be_focused()
