"""The contract carries what the partners and claims views need, and no more
derivation is left to the page: counting the contract's records as partners.js
does gives ``geo.partners.partners_by_year``, its CSV cells give the build's CSV,
and every seed citation arrives with its assessment."""

from __future__ import annotations

from pathlib import Path

import pytest

from mongolmap.geo.features import build_marks
from mongolmap.geo.load import load_or_raise
from mongolmap.geo.partners import partners_by_year, partners_csv
from mongolmap.layers.wire import wire_data

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped():
    catalogue = load_or_raise(ROOT / "data", None)
    return catalogue, wire_data(catalogue, build_marks(catalogue), "t")


def page_count(data, layers: set[int] | None = None, years: tuple[int, int] | None = None) -> dict:
    """partners.js's count, in Python: {(partner row, year): records}."""
    P, R = data["partners"], data["records"]
    partner_of = {a: k for k, a in enumerate(P["actors"])}
    counts: dict = {}
    for ri, span in enumerate(R["years"]):
        span = P["counted"].get(str(ri), span)
        if span is None or (layers is not None and R["layer"][ri] not in layers):
            continue
        first, last = span
        if years is not None:
            first, last = max(first, years[0]), min(last, years[1])
        for k in {partner_of[a] for a in R["actors"][ri] if a in partner_of}:
            for year in range(first, last + 1):
                counts[(k, year)] = counts.get((k, year), 0) + 1
    return counts


@pytest.mark.parametrize(
    ("layers", "years"),
    [
        pytest.param(None, None, id="everything"),
        pytest.param(None, (2010, 2015), id="years"),
        pytest.param(["khaan_quest", "nato"], (1995, 2012), id="layers-and-years"),
    ],
)
def test_counting_the_contract_gives_the_partners_table(shipped, layers, years):
    catalogue, data = shipped
    rows = {k["key"]: i for i, k in enumerate(data["layers"])}
    got = page_count(data, {rows[k] for k in layers} if layers else None, years)
    actor_ids = data["actors"]["id"]
    expected = {
        (data["partners"]["actors"].index(actor_ids.index(r.partner)), r.year): r.records
        for r in partners_by_year(catalogue, layers, years)
    }
    assert got == expected and expected


def test_the_contracts_csv_cells_write_the_builds_csv(shipped):
    catalogue, data = shipped
    P = data["partners"]
    lines = [",".join(P["csv_columns"])]
    counts = page_count(data)
    for k in range(len(P["actors"])):
        for year in sorted(y for (kk, y) in counts if kk == k):
            lines.append(",".join([P["csv"][k], P["blocs"][P["bloc"][k]]["csv"], str(year), str(counts[(k, year)])]))
    assert ("\n".join(lines) + "\n").encode("utf-8") == partners_csv(catalogue)
    assert any(b["csv"].startswith('"') for b in P["blocs"])  # a label with a comma is quoted


def test_every_seed_citation_arrives_with_its_assessment(shipped):
    catalogue, data = shipped
    seeds = {i for i, s in enumerate(data["sources"]["seed"]) if s}
    assert {data["sources"]["id"][i] for i in seeds} == {k for k, s in catalogue.sources.items() if s.seed}
    cited = [c for cs in data["records"]["citations"] + data["series"]["citations"] for c in cs if c["source"] in seeds]
    owners = [*catalogue.records(), *catalogue.series.values()]
    assert len(cited) == sum(1 for o in owners for c in o.citations if catalogue.sources[c.source].seed)
    assert all(c["assessment"]["status"] in ("confirmed", "differs", "unconfirmed") for c in cited)
    for c in cited:
        for s in c["assessment"]["sources"]:
            assert data["sources"]["id"][s] in catalogue.sources
    assert not any("assessment" in c for cs in data["records"]["citations"] for c in cs if c["source"] not in seeds)


def test_a_series_lists_its_records(shipped):
    catalogue, data = shipped
    S, ids = data["series"], data["records"]["id"]
    for si, series_id in enumerate(S["id"]):
        assert sorted(ids[r] for r in S["records"][si]) == sorted(
            e.id for e in catalogue.events.values() if e.series == series_id
        )
