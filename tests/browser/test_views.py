"""The two views beside the records panel: partners over time (counts against a
recount from the exported GeoJSON, a cell selects its records, the CSV it
downloads) and the articles' claims (each one's link opens its record)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mongolmap.geo.partners import SELF_COUNTRY, bloc_of, partners_csv

ROOT = Path(__file__).resolve().parents[2]

# The partners table as the page shows it: {(partner name, year): count}, and each row's bloc.
TABLE = """() => {
  const cells = {}, blocs = {};
  let bloc = null;
  for (const tr of document.querySelectorAll('.mdm-partners-table tbody tr')) {
    if (tr.classList.contains('mdm-bloc')) { bloc = tr.textContent; continue; }
    const name = tr.querySelector('th').textContent;
    blocs[name] = bloc;
    for (const b of tr.querySelectorAll('button.mdm-cell')) cells[name + '|' + b.dataset.year] = +b.textContent;
  }
  return { cells, blocs };
}"""


def exported_records(build: Path) -> dict[str, dict]:
    """Each record's properties, from the features of the GeoJSON export (a feature per mark)."""
    collection = json.loads((build / "geojson" / "all.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f["properties"] for f in collection["features"]}


def recount(build: Path, catalogue, layers=None, years=None) -> Counter:
    """Records per (partner name, year), counted from the exported GeoJSON: each
    record once (a record is a feature per mark), its participants but Mongolia's
    own, an event in each year it spans, a link in the year it began."""
    own = {a.name for a in catalogue.actors.values() if a.country == SELF_COUNTRY}
    records = exported_records(build)
    counts: Counter = Counter()
    for p in records.values():
        if layers is not None and p["layer"] not in layers or not p["start"]:
            continue
        first = int(p["start"][:4])
        last = first if p["record_type"] == "link" or not p["end"] else int(p["end"][:4])
        if years is not None:
            first, last = max(first, years[0]), min(last, years[1])
        for name in set(p["participants"]) - own:
            for year in range(first, last + 1):
                counts[(name, year)] += 1
    return counts


def shown(watch) -> tuple[Counter, dict]:
    table = watch.js(TABLE)
    cells = Counter({(k.rsplit("|", 1)[0], int(k.rsplit("|", 1)[1])): v for k, v in table["cells"].items()})
    return cells, table["blocs"]


def open_view(watch, name: str):
    watch.page.get_by_role("button", name=name, exact=True).click()
    panel = watch.page.locator(f".mdm-view[data-panel='{name.lower()}']")
    expect(panel).to_be_visible()
    return panel


def narrow_years(watch, first: int, last: int) -> None:
    watch.page.locator(".mdm-year-from").fill(str(first))
    watch.page.locator(".mdm-year-to").fill(str(last))
    watch.page.locator(f".mdm-years-label[data-from='{first}'][data-to='{last}']").wait_for()


def test_partner_counts_equal_a_recount_from_the_geojson(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    open_view(watch, "Partners")
    cells, blocs = shown(watch)
    expected = recount(shipped_build, shipped_catalogue)
    assert len(expected) > 100
    assert cells == expected
    group = bloc_of(shipped_catalogue)
    by_name = {a.name: a.id for a in shipped_catalogue.actors.values()}
    assert blocs == {name: group[by_name[name]].label for name, _ in expected}

    narrow_years(watch, 2010, 2015)
    cells, _ = shown(watch)
    assert cells == recount(shipped_build, shipped_catalogue, years=(2010, 2015))
    assert {year for _, year in cells} <= set(range(2010, 2016))

    watch.page.get_by_role("checkbox", name=shipped_catalogue.layers["khaan_quest"].label, exact=True).uncheck()
    cells, _ = shown(watch)
    others = set(shipped_catalogue.layers) - {"khaan_quest"}
    assert cells == recount(shipped_build, shipped_catalogue, layers=others, years=(2010, 2015))
    assert cells != recount(shipped_build, shipped_catalogue, years=(2010, 2015))


def test_the_view_says_how_records_are_counted(watch, shipped_build):
    watch.open(shipped_build / "map.html")
    panel = open_view(watch, "Partners")
    expect(panel).to_contain_text("A record counts once for each partner that took part")


def test_a_cell_selects_exactly_its_records_in_the_records_panel(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    open_view(watch, "Partners")
    expected = recount(shipped_build, shipped_catalogue)
    (name, year), value = max(expected.items(), key=lambda kv: (kv[1], kv[0]))
    assert value > 1
    watch.page.get_by_role("button", name=f"{value} records: {name}, {year}", exact=True).click()
    expect(watch.page.locator(".mdm-records")).to_be_visible()
    expect(watch.page.locator(".mdm-view[data-panel='partners']")).to_be_hidden()
    chip = watch.page.locator(".mdm-records-selected")
    expect(chip).to_contain_text(f"Selected: {name}, {year}")
    rows = watch.page.locator(".mdm-records-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.record)")
    features = exported_records(shipped_build)
    mine = sorted(
        i for i, p in features.items()
        if name in p["participants"] and p["start"]
        and int(p["start"][:4]) <= year <= (int(p["start"][:4]) if p["record_type"] == "link" or not p["end"] else int(p["end"][:4]))
    )
    assert sorted(rows) == mine and len(mine) == value

    chip.get_by_role("button", name="Clear selection").click()
    expect(chip).to_be_hidden()
    everything = str(len(shipped_catalogue.records()))
    expect(watch.page.locator(".mdm-records-count")).to_have_attribute("data-shown", everything)
    # Back in the partners view, the records panel gives way: one of them at a time.
    open_view(watch, "Partners")
    expect(watch.page.locator(".mdm-records")).to_be_hidden()


def test_the_csv_download_is_the_table_shown(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    panel = open_view(watch, "Partners")
    with watch.page.expect_download() as got:
        panel.get_by_role("button", name="Download CSV").click()
    assert got.value.suggested_filename == "partners_by_year.csv"
    assert Path(got.value.path()).read_bytes() == (shipped_build / "partners_by_year.csv").read_bytes()

    narrow_years(watch, 2010, 2015)
    with watch.page.expect_download() as got:
        panel.get_by_role("button", name="Download CSV").click()
    assert Path(got.value.path()).read_bytes() == partners_csv(shipped_catalogue, years=(2010, 2015))


def seed_claims(catalogue) -> list[tuple[str, str]]:
    """(record or series id, quote) of every citation of a seed article."""
    seeds = {k for k, s in catalogue.sources.items() if s.seed}
    owners = [*catalogue.series.values(), *catalogue.records()]
    return [(o.id, c.quote) for o in owners for c in o.citations if c.source in seeds]


def test_claims_lists_every_seed_claim_with_its_assessment(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    panel = open_view(watch, "Claims")
    claims = seed_claims(shipped_catalogue)
    items = panel.locator(".mdm-claim")
    expect(items).to_have_count(len(claims))
    quotes = items.locator(".mdm-quote").all_inner_texts()
    assert sorted(quotes) == sorted(q for _, q in claims)
    statuses = Counter(items.evaluate_all("lis => lis.map(li => li.dataset.status)"))
    seeds = {k for k, s in shipped_catalogue.sources.items() if s.seed}
    owners = [*shipped_catalogue.series.values(), *shipped_catalogue.records()]
    assert statuses == Counter(c.assessment.status for o in owners for c in o.citations if c.source in seeds)
    # Grouped by article: each article's section holds its own claims.
    for source in seeds:
        section = panel.locator(f".mdm-claims-article[data-source='{source}']")
        count = sum(1 for o in owners for c in o.citations if c.source == source)
        expect(section.locator(".mdm-claim")).to_have_count(count)

    panel.get_by_role("combobox", name="Show").select_option("differs")
    expect(items).to_have_count(statuses["differs"])


def test_a_claims_link_opens_its_records_details(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    panel = open_view(watch, "Claims")
    record_id = "alaska-arctic-training-visit-2024"
    link = panel.locator(f"a.mdm-claim-open[data-record='{record_id}']").first
    assert link.get_attribute("href") == f"#record={record_id}"
    link.click()
    details = watch.page.locator(".mdm-details")
    expect(details).to_be_visible()
    expect(details).to_have_attribute("data-record", record_id)
    assert f"record={record_id}" in watch.page.url
    # The details show the assessment beside each seed quote.
    record = shipped_catalogue.events[record_id]
    seeds = {k for k, s in shipped_catalogue.sources.items() if s.seed}
    checked = [c for c in record.citations if c.source in seeds]
    assert checked
    notes = details.locator(".mdm-assessment").all_inner_texts()
    assert len(notes) == len(checked)
    for c, text in zip(checked, notes):
        assert c.assessment.note in text and text.startswith(c.assessment.status.capitalize())
    watch.page.keyboard.press("Escape")
    expect(details).to_be_hidden()
    expect(link).to_be_focused()


def test_a_series_claim_lists_the_series_records(watch, shipped_build, shipped_catalogue):
    watch.open(shipped_build / "map.html")
    panel = open_view(watch, "Claims")
    panel.get_by_role("button", name="List its records: Khaan Quest").first.click()
    expect(watch.page.locator(".mdm-records-selected")).to_contain_text("Selected: the Khaan Quest series")
    rows = watch.page.locator(".mdm-records-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.record)")
    assert sorted(rows) == sorted(e.id for e in shipped_catalogue.events.values() if e.series == "khaan-quest")


def test_readme_screenshot_partners(watch, shipped_build, tmp_path):
    """The README's picture of the partners view (`make screenshot` writes it to docs/)."""
    target = ROOT / "docs" / "map-partners.png" if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "p.png"
    watch.open(shipped_build / "map.html")
    open_view(watch, "Partners")
    narrow_years(watch, 2000, 2025)
    watch.page.screenshot(path=str(target))
    assert target.stat().st_size > 50_000


@pytest.mark.parametrize("size", [(1400, 850), (390, 844)], ids=["desktop", "phone"])
def test_views_have_no_wcag_violations(watch, shipped_build, size):
    watch.page.set_viewport_size({"width": size[0], "height": size[1]})
    watch.open(shipped_build / "map.html")
    open_view(watch, "Partners")
    watch.page.locator(".mdm-partners-table").wait_for()
    assert watch.axe() == [], "partners view open"
    watch.page.locator("button.mdm-cell").first.click()
    watch.page.locator(".mdm-records-selected").wait_for()
    assert watch.axe() == [], "a cell's records selected"
    panel = open_view(watch, "Claims")
    assert watch.axe() == [], "claims view open"
    panel.locator("a.mdm-claim-open").first.click()
    watch.page.locator(".mdm-details .mdm-assessment").first.wait_for()
    assert watch.axe() == [], "a claim's record open"
