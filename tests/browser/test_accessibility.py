"""axe-core (pinned in tests/browser/axe, installed by `make test`) finds no WCAG
2.0, 2.1 or 2.2 A/AA violation: on first load, with the records panel open,
with a record's details open and with the years narrowed, on a desktop and a phone."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("size", [(1400, 850), (390, 844)], ids=["desktop", "phone"])
def test_no_wcag_violations_in_any_state(watch, shipped_build, size):
    watch.page.set_viewport_size({"width": size[0], "height": size[1]})
    watch.open(shipped_build / "map.html")
    assert watch.axe() == [], "first load"

    watch.page.get_by_role("button", name="Records").click()
    watch.page.locator(".mdm-records-table tbody tr").first.wait_for()
    assert watch.axe() == [], "records panel open"

    watch.page.locator(".mdm-records-table tbody tr").first.press("Enter")
    watch.page.locator(".mdm-details h3").wait_for()
    assert watch.axe() == [], "details open"

    watch.page.keyboard.press("Escape")
    watch.page.locator(".mdm-year-from").fill("2010")
    watch.page.locator(".mdm-year-to").fill("2015")
    watch.page.locator(".mdm-years-label[data-from='2010'][data-to='2015']").wait_for()
    assert watch.axe() == [], "years narrowed"


def test_the_map_has_an_accessible_name(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    assert watch.page.get_by_role("region", name="Map").count() == 1
