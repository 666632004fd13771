"""A link for every view: the address holds layers, years, record and map view,
and opening the page at that address (file://) restores all of it."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_address_follows_the_view_and_restores_it(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    label = shipped_catalogue.layers["khaan_quest"].label
    watch.page.get_by_role("checkbox", name=label, exact=True).uncheck()
    watch.page.locator(".mdm-year-from").fill("2010")
    watch.page.locator(".mdm-year-to").fill("2015")
    watch.page.locator(".mdm-years-label[data-from='2010'][data-to='2015']").wait_for()
    watch.page.get_by_role("button", name="Records").click()
    watch.page.locator(".mdm-records-table tr[data-record='nato-mongolia-ipcp-2012']").click()
    watch.js("() => { window.MDM.app.map.setView([47.9, 106.9], 5, {animate: false}); }")
    url = watch.page.url
    assert url.startswith("file://")
    hash_ = url.split("#", 1)[1]
    assert "years=2010-2015" in hash_ and "record=nato-mongolia-ipcp-2012" in hash_ and "map=5/47.90/106.90" in hash_
    assert "khaan_quest" not in hash_.split("layers=")[1].split("&")[0]

    watch.page.goto("about:blank")
    watch.page.goto(url)
    watch.page.wait_for_selector("body[data-map-ready='true']")
    assert not watch.page.get_by_role("checkbox", name=label, exact=True).is_checked()
    expect(watch.page.locator(".mdm-years-label")).to_have_attribute("data-from", "2010")
    expect(watch.page.locator(".mdm-years-label")).to_have_attribute("data-to", "2015")
    assert watch.page.locator(".mdm-details").get_attribute("data-record") == "nato-mongolia-ipcp-2012"
    view = watch.js("() => { const m = window.MDM.app.map, c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; }")
    assert view[0] == 5 and abs(view[1] - 47.9) < 0.01 and abs(view[2] - 106.9) < 0.01


def test_a_record_link_opens_that_record(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    watch.page.get_by_role("button", name="Records").click()
    watch.page.locator(".mdm-records-table tr[data-record='alaska-arctic-training-visit-2024']").click()
    link = watch.page.locator(".mdm-details .mdm-record-link")
    assert link.get_attribute("href") == "#record=alaska-arctic-training-visit-2024"
    page_url = watch.page.url.split("#")[0]
    watch.page.goto("about:blank")
    watch.page.goto(page_url + "#record=us-defense-secretary-visit-2014")
    watch.page.wait_for_selector("body[data-map-ready='true']")
    assert watch.page.locator(".mdm-details").get_attribute("data-record") == "us-defense-secretary-visit-2014"


def test_copy_link_button(watch, shipped_build):
    watch.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    watch.open(shipped_build / "map.html")
    watch.page.get_by_role("button", name="Copy link").click()
    expect(watch.page.get_by_role("status").filter(has_text="Link")).to_have_text("Link copied")
