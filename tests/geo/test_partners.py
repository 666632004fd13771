"""Blocs in the data and the partners-by-year table: how records are counted, filters, CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from mongolmap.geo.load import load_catalogue, load_or_raise
from mongolmap.geo.partners import OTHER, bloc_of, blocs, partners_by_year, partners_csv, safe_cell

ROOT = Path(__file__).resolve().parents[2]

# Mongolia, three partners and an observer; a two-year multinational exercise,
# a one-day visit, a link with a year, a link without, and an event in another layer.
RECORDS = """
sources:
  - {id: src, kind: article, title: A source, address: "https://example.org/a", accessed: "2026-11-23"}
places:
  - {id: ulaanbaatar, name: Ulaanbaatar, country: MNG, lat: 47.92, lon: 106.92, precision: city}
  - {id: washington, name: Washington, country: USA, lat: 38.9, lon: -77.04, precision: city}
  - {id: tokyo, name: Tokyo, country: JPN, lat: 35.68, lon: 139.69, precision: city}
  - {id: moscow, name: Moscow, country: RUS, lat: 55.75, lon: 37.62, precision: city}
actors:
  - {id: mongolia, kind: country, name: Mongolia, country: MNG, place: ulaanbaatar}
  - {id: usa, kind: country, name: United States, country: USA, place: washington}
  - {id: japan, kind: country, name: Japan, country: JPN, place: tokyo}
  - {id: russia, kind: country, name: Russia, country: RUS, place: moscow}
  - {id: spoof, kind: organisation, name: "=HYPERLINK(1)", place: moscow}
events:
  - id: kq-2019
    kind: exercise
    title: Exercise
    start: "2019-12-20"
    end: "2020-01-05"
    places: [ulaanbaatar]
    participants: [mongolia, usa, japan, usa]
    observers: [russia]
    layer: khaan_quest
    citations: [{source: src, quote: "The words that say so."}]
  - id: visit-2020
    kind: visit
    title: Visit
    start: "2020-06"
    places: [washington]
    participants: [mongolia, usa]
    layer: us_bilateral
    citations: [{source: src, quote: "The words that say so."}]
  - id: talk-2021
    kind: talks
    title: Talks
    start: "2021"
    places: [moscow]
    participants: [spoof, russia]
    layer: neighbours
    citations: [{source: src, quote: "The words that say so."}]
links:
  - {id: mng-rus, kind: strategic partnership, title: Partnership, a: russia, b: mongolia,
     since: "2019", until: "2024", layer: neighbours, citations: [{source: src, quote: "The words that say so."}]}
  - {id: mng-jpn, kind: bilateral cooperation, title: Undated, a: mongolia, b: japan,
     layer: neighbours, citations: [{source: src, quote: "The words that say so."}]}
blocs:
  - {id: us, label: United States, order: 1, members: [usa]}
  - {id: eternal, label: Eternal neighbours, order: 0, members: [russia]}
"""

ALL = [
    # bloc, partner, year, record ids, in bloc order (eternal: 0, us: 1, other last), then name
    ("eternal", "russia", 2019, ("mng-rus",)),
    ("eternal", "russia", 2021, ("talk-2021",)),
    ("us", "usa", 2019, ("kq-2019",)),
    ("us", "usa", 2020, ("kq-2019", "visit-2020")),
    ("other", "spoof", 2021, ("talk-2021",)),
    ("other", "japan", 2019, ("kq-2019",)),
    ("other", "japan", 2020, ("kq-2019",)),
]


@pytest.fixture
def catalogue(make_data):
    return load_or_raise(make_data({"records.yaml": RECORDS}), seeds_dir=None)


def cells(rows):
    return [(r.bloc, r.partner, r.year, r.record_ids) for r in rows]


@pytest.mark.parametrize(
    ("layers", "years", "expected"),
    [
        pytest.param(None, None, ALL, id="everything"),
        pytest.param(
            ["khaan_quest"], None,
            [
                ("us", "usa", 2019, ("kq-2019",)), ("us", "usa", 2020, ("kq-2019",)),
                ("other", "japan", 2019, ("kq-2019",)), ("other", "japan", 2020, ("kq-2019",)),
            ],
            id="one layer",
        ),
        pytest.param(
            None, (2020, 2020),
            [("us", "usa", 2020, ("kq-2019", "visit-2020")), ("other", "japan", 2020, ("kq-2019",))],
            id="a year cuts a spanning event and drops a link begun before",
        ),
        pytest.param(["us_bilateral", "neighbours"], (2019, 2019), [ALL[0]], id="layers and years"),
        pytest.param(None, (1990, 2000), [], id="no records"),
    ],
)
def test_partners_by_year(catalogue, layers, years, expected):
    """An event counts in each year it spans, once per partner (a repeated
    participant once; observers and Mongolia never); a link in its since year;
    an undated link nowhere."""
    assert cells(partners_by_year(catalogue, layers, years)) == expected


def test_rows_carry_names_labels_and_counts(catalogue):
    row = partners_by_year(catalogue)[3]
    assert (row.partner_name, row.bloc_label, row.records) == ("United States", "United States", 2)
    assert all(r.records == len(r.record_ids) for r in partners_by_year(catalogue))


def test_unknown_layer_is_an_error_like_the_export(catalogue):
    with pytest.raises(ValueError, match=r"unknown layer\(s\) nope; known: alaska, deployments, diplomacy"):
        partners_by_year(catalogue, ["nope"])


def test_csv_is_the_table_with_names_and_labels_formulas_defused(catalogue):
    data = partners_csv(catalogue)
    text = data.decode("utf-8")
    assert text.splitlines()[:3] == [
        "partner,bloc,year,records", "Russia,Eternal neighbours,2019,1", "Russia,Eternal neighbours,2021,1"
    ]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["partner"], r["year"], r["records"]) for r in rows] == [
        (r.partner_name if r.partner != "spoof" else "'=HYPERLINK(1)", str(r.year), str(r.records))
        for r in partners_by_year(catalogue)
    ]
    assert partners_csv(catalogue) == data  # deterministic
    assert "\r" not in text and not data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Japan", "Japan"), ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("", ""), ("A=1", "A=1"),
    ],
)
def test_safe_cell(text, expected):
    assert safe_cell(text) == expected


def test_actors_in_no_bloc_are_other_and_other_is_last_unless_defined(catalogue):
    assert [b.id for b in blocs(catalogue)] == ["eternal", "us", OTHER]
    assert {a: b.id for a, b in bloc_of(catalogue).items()} == {
        "mongolia": OTHER, "usa": "us", "japan": OTHER, "russia": "eternal", "spoof": OTHER,
    }


# --- Blocs in the data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bloc_text", "field", "message"),
    [
        pytest.param(
            "  - {id: x, label: X, order: 3, members: [japan, jpan]}\n", "members.1",
            r"unknown actor 'jpan'; did you mean 'japan'\?", id="unknown member",
        ),
        pytest.param(
            "  - {id: x, label: X, order: 3, members: [japan, usa]}\n", "members.1",
            r"actor 'usa' is already in bloc 'us' \(.*records.yaml:\d+\); an actor belongs to one bloc",
            id="actor in two blocs",
        ),
        pytest.param(
            "  - {id: x, label: X, order: 3, members: [japan, japan]}\n", "members.1",
            r"actor 'japan' is already in bloc 'x'", id="listed twice in one bloc",
        ),
        pytest.param(
            "  - {id: x, label: X, members: [japan]}\n", "order", r"Field required", id="no order",
        ),
    ],
)
def test_bloc_mistakes_are_located(make_data, bloc_text, field, message):
    text = RECORDS + bloc_text
    _, problems = load_catalogue(make_data({"records.yaml": text}), seeds_dir=None)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.record, problem.field) == ("x", field)
    assert problem.line == len(text.splitlines())
    assert problem.file.endswith("records.yaml")
    assert re.search(message, problem.message), problem.message


def test_blocs_in_a_separate_file_report_every_problem(make_data):
    files = {
        "records.yaml": RECORDS,
        "more.yaml": "blocs:\n  - id: x\n    label: X\n    order: 5\n    members:\n      - usa\n      - nobody\n",
    }
    _, problems = load_catalogue(make_data(files), seeds_dir=None)
    us_line = next(n for n, line in enumerate(RECORDS.splitlines(), 1) if "{id: us," in line)
    # Files load in name order, so more.yaml's bloc claims usa first and records.yaml's
    # bloc 'us' is the second one; a list item is located at its list's line.
    assert [(p.file.rsplit("/", 1)[-1], p.line, p.record, p.field) for p in problems] == [
        ("more.yaml", 5, "x", "members.1"), ("records.yaml", us_line, "us", "members.0"),
    ]
    assert re.search(r"unknown actor 'nobody'$", problems[0].message)
    assert re.search(r"actor 'usa' is already in bloc 'x' \(.*more.yaml:5\)", problems[1].message)


def test_shipped_blocs_cover_the_brief_and_every_member_is_an_actor():
    catalogue = load_or_raise(ROOT / "data", seeds_dir=None)
    assert [b.label for b in blocs(catalogue)] == [
        "United States", "Russia", "China", "Japan, South Korea, India and other third neighbours",
        "NATO and European members", "United Nations", "Other",
    ]
    assert bloc_of(catalogue)["mongolia"].id == OTHER  # never counted: not a partner
    assert {p.partner for p in partners_by_year(catalogue)} <= set(catalogue.actors) - {"mongolia"}


def test_shipped_table_counts_match_a_recount_from_the_records():
    """An independent recount over the raw records (participants and link ends, Mongolia
    aside; event years from start to end; link years from since)."""
    catalogue = load_or_raise(ROOT / "data", seeds_dir=None)
    expected: dict[tuple[str, int], set[str]] = {}
    for event in catalogue.events.values():
        first, last = int(event.start[:4]), int((event.end or event.start)[:4])
        for actor in set(event.participants) - {"mongolia"}:
            for year in range(first, last + 1):
                expected.setdefault((actor, year), set()).add(event.id)
    for link in catalogue.links.values():
        for actor in {link.a, link.b} - {"mongolia"}:
            if link.since:
                expected.setdefault((actor, int(link.since[:4])), set()).add(link.id)
    got = {(r.partner, r.year): set(r.record_ids) for r in partners_by_year(catalogue)}
    assert got == expected
