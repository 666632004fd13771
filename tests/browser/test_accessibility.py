"""axe-core (pinned in tests/browser/axe, installed by `make test`) finds no WCAG
2.0, 2.1 or 2.2 A/AA violation: on first load, with the records panel open,
with a record's details open and with the years narrowed, on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
  return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


def violations(watch) -> list[str]:
    assert AXE.is_file(), "axe-core is missing: run `make test` (npm ci in tests/browser/axe)"
    watch.js(AXE.read_text(encoding="utf-8") + "\n;0")
    return watch.js(RUN, TAGS)


@pytest.mark.parametrize("size", [(1400, 850), (390, 844)], ids=["desktop", "phone"])
def test_no_wcag_violations_in_any_state(watch, shipped_build, size):
    watch.page.set_viewport_size({"width": size[0], "height": size[1]})
    watch.open(shipped_build / "map.html")
    assert violations(watch) == [], "first load"

    watch.page.get_by_role("button", name="Records").click()
    watch.page.locator(".mdm-records-table tbody tr").first.wait_for()
    assert violations(watch) == [], "records panel open"

    watch.page.locator(".mdm-records-table tbody tr").first.press("Enter")
    watch.page.locator(".mdm-details h3").wait_for()
    assert violations(watch) == [], "details open"

    watch.page.keyboard.press("Escape")
    watch.page.locator(".mdm-year-from").fill("2010")
    watch.page.locator(".mdm-year-to").fill("2015")
    watch.page.locator(".mdm-years-label[data-from='2010'][data-to='2015']").wait_for()
    assert violations(watch) == [], "years narrowed"


def test_the_map_has_an_accessible_name(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    assert watch.page.get_by_role("region", name="Map").count() == 1
