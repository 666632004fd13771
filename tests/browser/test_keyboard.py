"""Tab order beyond the records table: from the top of the page, Tab reaches
every control in reading order (the title bar, the records panel it opens, the
map and its zoom, the layer list, the years, the timeline, the legend), and at
every stop the focus is drawn and not hidden under anything (WCAG 2.1.1, 2.4.3,
2.4.7, 2.4.11)."""

from __future__ import annotations

import pytest

# What has focus: a key naming it, whether a focus ring is drawn, whether it is
# in the window and on top (the point at its centre is it or inside it).
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const name = (node) => {
    if (node.classList.contains('leaflet-container')) return 'map';
    if (node.tagName === 'TR') return 'row:' + node.getAttribute('data-record');
    const label = node.getAttribute('aria-label') || (node.labels && node.labels.length && node.labels[0].textContent) ||
      node.textContent || '';
    const kind = node.type === 'checkbox' || node.type === 'radio' ? node.type : node.tagName.toLowerCase();
    return kind + ':' + label.trim();
  };
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {
    key: name(e),
    ring: e.matches(':focus-visible') && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'),
    inside: r.left >= -1 && r.top >= -1 && r.right <= innerWidth + 1 && r.bottom <= innerHeight + 1,  // a pixel for rounding
    onTop: !!hit && (hit === e || e.contains(hit)),
    over: hit && !(hit === e || e.contains(hit)) ? hit.outerHTML.slice(0, 120) : null,
  };
}"""

# Every tab stop a reader can see: in view, not hidden, not disabled; of a radio
# group only the checked radio (arrow keys move within the group).
STOPS = """() => [...document.querySelectorAll('a[href], button, input, [tabindex]')]
  .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length &&
    getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden], dialog:not([open])') &&
    !(e.type === 'radio' && !e.checked))
  .map(e => e.classList.contains('leaflet-container') ? 'map'
    : e.tagName === 'TR' ? 'row:' + e.getAttribute('data-record')
    : (e.type === 'checkbox' || e.type === 'radio' ? e.type : e.tagName.toLowerCase()) + ':' +
      (e.getAttribute('aria-label') || (e.labels && e.labels.length && e.labels[0].textContent) || e.textContent || '').trim())"""


def layer_labels(catalogue) -> list[str]:
    return [style.label for style in catalogue.sorted_layers()]


def reading_order(catalogue) -> list[str]:
    """The controls in the order a reader meets them; rows stand in as 'row:*'."""
    return [
        "map",
        "button:About & sources",
        "button:Export GeoJSON",
        "button:Records",
        "button:Copy link",
        "input:Search",
        "button:Date",
        "button:Title",
        "button:Layer",
        "row:*",
        "a:Zoom in",
        "a:Zoom out",
        "button:Layers",
        "radio:Country outlines (offline)",
        *[f"checkbox:{label}" for label in layer_labels(catalogue)],
        "button:Years",
        "input:first year shown",
        "input:last year shown",
        "button:Events per year, by layer",
        "button:Legend",
    ]


def tab_through(watch, limit: int) -> list[dict]:
    """Tab from the start of the page until focus comes round to the first stop again."""
    stops = []
    for _ in range(limit):
        watch.page.keyboard.press("Tab")
        now = watch.js(FOCUSED)
        if now is None:
            continue  # the browser's own UI between the end and the start
        if stops and now["key"] == stops[0]["key"]:
            return stops
        stops.append(now)
    raise AssertionError(f"Tab did not come round in {limit} presses: {[s['key'] for s in stops[-10:]]}")


def rows_as_one(keys: list[str]) -> list[str]:
    out = []
    for key in keys:
        key = "row:*" if key.startswith("row:") else key
        if not out or out[-1] != key or key != "row:*":
            out.append(key)
    return out


@pytest.mark.parametrize("size", [(1400, 850), (1024, 768), (390, 844)], ids=["desktop", "tablet", "phone"])
def test_tab_reaches_every_control_in_reading_order_with_focus_in_view(watch, shipped_build, shipped_catalogue, size):
    watch.page.set_viewport_size({"width": size[0], "height": size[1]})
    # The records panel open (as the page remembers it), so Tab goes through the table and beyond.
    watch.page.add_init_script("try { localStorage.setItem('mdm-records-open', '1'); } catch (e) {}")
    watch.open(shipped_build / "map.html")
    visible = watch.js(STOPS)
    stops = tab_through(watch, limit=len(visible) + 20)
    keys = [s["key"] for s in stops]

    # Every control a reader can see is reached, each once; the records table is
    # one stop (its first row: the arrow keys move between rows).
    assert sorted(keys) == sorted(visible)
    first = watch.page.locator(".mdm-records-table tbody tr").first.get_attribute("data-record")
    assert [k for k in keys if k.startswith("row:")] == [f"row:{first}"]
    # In reading order (other controls may sit between these).
    expected = [k for k in reading_order(shipped_catalogue) if k == "row:*" or k in keys]
    order = [k for k in rows_as_one(keys) if k in expected]
    assert order == expected
    if size[0] > 700:
        assert len(expected) == len(reading_order(shipped_catalogue))  # every panel open: all of them
    # At every stop the focus is drawn, in the window and on top.
    assert [s["key"] for s in stops if not s["ring"]] == []
    assert [s["key"] for s in stops if not s["inside"]] == []
    assert [(s["key"], s["over"]) for s in stops if not s["onTop"]] == []


@pytest.mark.parametrize(("button", "panel"), [("Partners", "#mdm-partners"), ("Claims", "#mdm-claims")])
def test_an_opened_view_comes_next_in_the_tab_order(watch, shipped_build, button, panel):
    """From the title-bar button that opens a view, Tab reaches the view's controls
    after the rest of the title bar, before the map's own controls."""
    watch.open(shipped_build / "map.html")
    toggle = watch.page.get_by_role("button", name=button, exact=True)
    toggle.focus()
    watch.page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    inside = []
    for _ in range(12):
        watch.page.keyboard.press("Tab")
        now = watch.js(FOCUSED)
        assert now["key"] != "a:Zoom in", f"Tab passed the {button} view: {inside}"
        if watch.js(f"() => !!document.activeElement.closest('{panel}')"):
            inside.append(now)
            break
    assert inside, f"no control of the {button} view within 12 Tab presses"
    assert inside[0]["ring"] and inside[0]["onTop"] and inside[0]["inside"], inside[0]


def test_focus_goes_on_through_a_records_details_and_back(watch, shipped_build):
    watch.page.add_init_script("try { localStorage.setItem('mdm-records-open', '1'); } catch (e) {}")
    watch.open(shipped_build / "map.html")
    row = watch.page.locator(".mdm-records-table tbody tr").first
    row.focus()
    watch.page.keyboard.press("Enter")
    heading = watch.page.locator(".mdm-details h3")
    assert watch.js("() => document.activeElement.tagName") == "H3"
    assert heading.get_attribute("tabindex") == "-1"  # focus lands on it, Tab does not stop there
    watch.page.keyboard.press("Tab")
    assert watch.js(FOCUSED)["key"] == "a:Link to this record"
    links = watch.page.locator(".mdm-details .mdm-cites a[href]").count()
    for _ in range(links):
        watch.page.keyboard.press("Tab")
        now = watch.js(FOCUSED)
        assert now["ring"] and now["onTop"], now
    # Past the details, Tab goes on to the map's own controls.
    watch.page.keyboard.press("Tab")
    assert watch.js(FOCUSED)["key"] == "a:Zoom in"
    watch.page.keyboard.press("Shift+Tab")
    watch.page.keyboard.press("Escape")
    assert watch.js("() => document.activeElement.getAttribute('data-record')") == row.get_attribute("data-record")
