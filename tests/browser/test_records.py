"""The records panel: a table of what the layers and years select, with search,
sorting, details beside it, and a keyboard path through every record."""

from __future__ import annotations

from playwright.sync_api import expect

from mongolmap.geo.export import in_years


def open_panel(watch):
    watch.page.get_by_role("button", name="Records").click()
    table = watch.page.locator(".mdm-records-table")
    table.wait_for()
    return table


def shown_count(watch) -> int:
    return int(watch.page.locator(".mdm-records-count").get_attribute("data-shown"))


def test_table_follows_layers_and_years(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    open_panel(watch)
    records = shipped_catalogue.records()
    count = watch.page.locator(".mdm-records-count")
    assert count.get_attribute("aria-live") == "polite"
    assert count.inner_text() == f"{len(records)} of {len(records)} records"
    assert watch.page.locator(".mdm-records-table tbody tr").count() == len(records)

    watch.page.locator(".mdm-year-from").fill("2010")
    watch.page.locator(".mdm-year-to").fill("2015")
    watch.page.locator(".mdm-years-label[data-from='2010'][data-to='2015']").wait_for()
    in_range = [r for r in records if in_years(shipped_catalogue, r.id, (2010, 2015))]
    assert shown_count(watch) == len(in_range)

    label = shipped_catalogue.layers["khaan_quest"].label
    watch.page.get_by_role("checkbox", name=label, exact=True).uncheck()
    expected = [r for r in in_range if r.layer != "khaan_quest"]
    assert shown_count(watch) == len(expected)
    shown = watch.page.locator(".mdm-records-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.record)")
    assert sorted(shown) == sorted(r.id for r in expected)


def test_search_covers_places_participants_and_sources(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    open_panel(watch)
    search = watch.page.get_by_role("searchbox", name="Search")
    search.fill("stevens training centre")  # words of a quote only
    # Wait for the search (debounced) to narrow the table: every record is shown before it.
    everything = str(len(shipped_catalogue.records()))
    expect(watch.page.locator(".mdm-records-count")).not_to_have_attribute("data-shown", everything)
    shown = watch.page.locator(".mdm-records-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.record)")
    assert "alaska-arctic-training-visit-2024" in shown
    for record_id in shown:
        record = shipped_catalogue.events.get(record_id) or shipped_catalogue.links[record_id]
        assert any("stevens training centre" in (c.quote or "").lower() for c in record.citations), record_id


def test_sorting_by_title(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    open_panel(watch)
    watch.page.get_by_role("button", name="Title").click()
    titles = watch.page.locator(".mdm-col-title").all_inner_texts()
    assert titles == sorted(titles)
    assert watch.page.locator("th:has(button:text('Title'))").get_attribute("aria-sort") == "ascending"


def test_date_order_both_ways_and_kept_through_a_filter(watch, shipped_build, shipped_catalogue):
    """Rows by first date, ties in id order, either way round; a year filter keeps the order."""
    watch.open(shipped_build / "map.html")
    open_panel(watch)
    records = shipped_catalogue.records()
    rows = watch.page.locator(".mdm-records-table tbody tr")

    def shown():
        return rows.evaluate_all("rows => rows.map(r => r.dataset.record)")

    by_id = sorted(records, key=lambda r: r.id)
    ascending = sorted(by_id, key=lambda r: r.first or "")
    descending = sorted(by_id, key=lambda r: r.first or "", reverse=True)  # stable: ties stay in id order
    assert ascending != [r for r in reversed(descending)]  # the data has ties, so the two differ
    assert shown() == [r.id for r in ascending]
    watch.page.get_by_role("button", name="Date").click()
    expect(watch.page.locator("th:has(button:text('Date'))")).to_have_attribute("aria-sort", "descending")
    assert shown() == [r.id for r in descending]

    watch.page.locator(".mdm-year-from").fill("2010")
    watch.page.locator(".mdm-year-to").fill("2015")
    watch.page.locator(".mdm-years-label[data-from='2010'][data-to='2015']").wait_for()
    assert shown() == [r.id for r in descending if in_years(shipped_catalogue, r.id, (2010, 2015))]


def focused_record(watch):
    return watch.js("() => document.activeElement.getAttribute('data-record')")


def test_arrow_keys_walk_the_table_as_one_tab_stop(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    open_panel(watch)
    rows = watch.page.locator(".mdm-records-table tbody tr")
    order = rows.evaluate_all("rows => rows.map(r => r.dataset.record)")
    assert len(order) == len(shipped_catalogue.records())
    assert rows.evaluate_all("rows => rows.filter(r => r.tabIndex === 0).length") == 1
    rows.first.focus()
    walked = [focused_record(watch)]
    for _ in order[1:]:
        watch.page.keyboard.press("ArrowDown")
        walked.append(focused_record(watch))
    assert walked == order
    watch.page.keyboard.press("ArrowDown")  # past the last row: it stays
    assert focused_record(watch) == order[-1]
    # The row reached is the table's one Tab stop, and it is in view.
    assert rows.evaluate_all("rows => rows.filter(r => r.tabIndex === 0).map(r => r.dataset.record)") == [order[-1]]
    box, scroller = watch.page.locator(f"tr[data-record='{order[-1]}']").bounding_box(), watch.page.locator(".mdm-records-scroll").bounding_box()
    assert scroller["y"] <= box["y"] and box["y"] + box["height"] <= scroller["y"] + scroller["height"] + 1
    watch.page.keyboard.press("Home")
    assert focused_record(watch) == order[0]
    watch.page.keyboard.press("PageDown")
    assert order.index(focused_record(watch)) > 3
    watch.page.keyboard.press("End")
    assert focused_record(watch) == order[-1]
    watch.page.keyboard.press("ArrowUp")
    assert focused_record(watch) == order[-2]
    # Tab leaves the table and Shift+Tab comes back to the same row.
    watch.page.keyboard.press("Tab")
    assert focused_record(watch) is None
    watch.page.keyboard.press("Shift+Tab")
    assert focused_record(watch) == order[-2]
    watch.page.keyboard.press("Enter")
    assert watch.page.locator(".mdm-details").get_attribute("data-record") == order[-2]


def test_walk_the_table_and_open_every_records_details(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    open_panel(watch)
    rows = watch.page.locator(".mdm-records-table tbody tr")
    ids = rows.evaluate_all("rows => rows.map(r => r.dataset.record)")
    assert sorted(ids) == sorted(r.id for r in shipped_catalogue.records())
    details = watch.page.locator(".mdm-details")
    for record_id in ids:
        row = watch.page.locator(f".mdm-records-table tr[data-record='{record_id}']")
        row.focus()
        watch.page.keyboard.press("Enter")
        assert details.get_attribute("data-record") == record_id
        record = shipped_catalogue.events.get(record_id) or shipped_catalogue.links[record_id]
        heading = details.locator("h3")
        assert heading.inner_text() == record.title
        assert watch.js("() => document.activeElement.tagName") == "H3"  # focus moved into the details
        assert details.locator(".mdm-cite").count() == len(record.citations)
        watch.page.keyboard.press("Escape")
        assert details.is_hidden()
        assert watch.js("() => document.activeElement.dataset.record") == record_id  # focus returned


def test_a_row_shows_its_record_on_the_map(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    open_panel(watch)
    watch.page.locator(".mdm-records-table tr[data-record='alaska-arctic-training-visit-2024']").click()
    place = shipped_catalogue.places[shipped_catalogue.events["alaska-arctic-training-visit-2024"].places[0]]
    # The place is in view, in the part of the map no panel covers.
    where = watch.js(
        """([lat, lon]) => { const m = window.MDM.app.map, b = m.getContainer().getBoundingClientRect();
          const at = m.latLngToContainerPoint([lat, lon + 360 * Math.round((m.getCenter().lng - lon) / 360)]);
          const x = b.left + at.x, y = b.top + at.y;
          const over = [...document.querySelectorAll('.mdm-title, .mdm-panel, .leaflet-control')].filter(n => {
            const r = n.getBoundingClientRect(); return !n.hidden && r.width && x >= r.left && x <= r.right && y >= r.top && y <= r.bottom; });
          return { inView: at.x > 0 && at.y > 0 && at.x < b.width && at.y < b.height, under: over.map(n => n.className) }; }""",
        [place.lat, place.lon],
    )
    assert where == {"inView": True, "under": []}


def test_dates_of_one_day_month_or_year_are_never_cut(watch, shipped_build, shipped_catalogue):
    """The date column holds 'September 2003' (the widest such label) whole, on a desktop and a
    phone; a span of two dates may end in an ellipsis (its details say it whole). Each record's
    label is the contract's, so every row is checked against its record."""
    from mongolmap.geo.features import record_fields

    labels = {r.id: record_fields(r)["date_label"] or "undated" for r in shipped_catalogue.records()}
    single = {k for k, v in labels.items() if " – " not in v}
    assert any(labels[k].startswith("September") for k in single)  # the widest month is in the data
    for width, height in ((1400, 850), (390, 844)):
        watch.page.set_viewport_size({"width": width, "height": height})
        watch.open(shipped_build / "map.html")
        if not watch.page.locator(".mdm-records-table").is_visible():  # the page remembers it open
            open_panel(watch)
        cells = watch.page.locator(".mdm-records-table tbody tr").evaluate_all(
            """rows => rows.map(r => { const c = r.querySelector('.mdm-col-date');
                 return [r.dataset.record, c.textContent, c.scrollWidth <= c.clientWidth]; })"""
        )
        assert len(cells) == len(labels)
        assert all(text == labels[rid] for rid, text, _ in cells)
        cut = [text for rid, text, whole in cells if rid in single and not whole]
        assert cut == [], (width, cut)
