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
