"""Loading a data folder: a clean folder loads; every kind of mistake is reported where it was made.

Each mistake case edits the valid fixture (tests/fixtures/good/records.yaml) and
says which line should be blamed by naming the text on that line, so the
expected line numbers follow the fixture when it changes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from mongolmap.geo.load import Problem, load_catalogue
from tests.helpers import SEED_RECORDS, edit, line_of

ROOT_STYLES = Path(__file__).resolve().parents[2] / "data" / "styles.yaml"


def only_problem(problems: list[Problem], message: str) -> Problem:
    matching = [p for p in problems if re.search(message, p.message)]
    assert len(matching) == 1, f"expected one problem matching {message!r}, got: {[str(p) for p in problems]}"
    return matching[0]


def test_good_folder_loads_without_problems(good_data):
    catalogue, problems = load_catalogue(good_data, seeds_dir=None)
    assert [str(p) for p in problems] == []
    assert sorted(catalogue.places) == ["ulaanbaatar", "washington"]
    assert sorted(catalogue.actors) == ["mongolia", "united-states"]
    assert (catalogue.places["washington"].lat, catalogue.places["washington"].lon) == (38.9, -77.04)
    assert catalogue.events["visit-2024"].participants == ("mongolia", "united-states")
    assert catalogue.links["mng-usa"].since == "1987"
    assert [layer.key for layer in catalogue.sorted_layers()] == [
        "khaan_quest", "alaska", "nato", "neighbours", "us_bilateral", "diplomacy",
        "deployments", "third_neighbours",
    ]


def test_unquoted_dates_stay_text(make_data, good_text):
    text = edit(edit(good_text, 'start: "2024-02-15"', "start: 2024-02-15"), 'since: "1987"', "since: 1987")
    catalogue, problems = load_catalogue(make_data({"records.yaml": text}), seeds_dir=None)
    assert problems == []
    assert catalogue.events["visit-2024"].start == "2024-02-15"
    assert catalogue.links["mng-usa"].since == "1987"


# (old text, new text, markers naming the blamed line, record, field, message pattern)
MISTAKES = [
    pytest.param("    name: Washington", "      name: Washington", ("name: Washington",), "", "",
                 r"^malformed YAML: mapping values are not allowed", id="malformed-bad-indentation"),
    # The parser notices the missing ']' on the next line, where 'participants:' reads as more list text.
    pytest.param("places: [ulaanbaatar]", "places: [ulaanbaatar", ("participants:",), "", "",
                 r"^malformed YAML: (did not find )?expected ',' or '\]'", id="malformed-unclosed-bracket"),
    pytest.param("lat: 38.9", 'lat: "north"', ('lat: "north"',), "washington", "lat",
                 r"Input should be a valid number", id="wrong-type"),
    pytest.param("lat: 47.92", "lat: 97.92", ("lat: 97.92",), "ulaanbaatar", "lat",
                 r"less than or equal to 90", id="latitude-out-of-range"),
    pytest.param("lat: 47.92\n    lon: 106.92", "lat: 106.92\n    lon: 47.92", ("lat: 106.92",), "ulaanbaatar",
                 "lat", r"lat 106\.92 is outside -90\.\.90 .*may be swapped", id="swapped-latitude-out-of-range"),
    pytest.param("lat: 38.9\n    lon: -77.04", "lat: -77.04\n    lon: 38.9", ("lat: -77.04",), "washington",
                 "lat", r"lies outside USA; latitude and longitude look swapped", id="swapped-both-in-range"),
    pytest.param("country: MNG\n    lat:", "country: CHN\n    lat:", ("id: ulaanbaatar", "lat: 47.92"),
                 "ulaanbaatar", "lat", r"lat 47\.92, lon 106\.92 lies outside CHN \(it is in MNG\)",
                 id="place-outside-its-country"),
    pytest.param("country: MNG\n    lat:", "lat:", ("id: ulaanbaatar",), "ulaanbaatar", "country",
                 r"no country given, but lat 47\.92, lon 106\.92 lies in MNG \(Mongolia\)",
                 id="place-on-land-without-a-country"),
    pytest.param("country: MNG\n    lat:", "country: MGL\n    lat:", ("country: MGL",), "ulaanbaatar",
                 "country", r"unknown country code 'MGL'; did you mean MNG", id="unknown-country-code"),
    pytest.param("places: [ulaanbaatar]", "places: [ulan-bator]", ("places: [ulan-bator]",), "visit-2024",
                 "places.0", r"unknown place 'ulan-bator'; did you mean 'ulaanbaatar'\?",
                 id="unknown-event-place"),
    pytest.param("participants: [mongolia, united-states]", "participants: [mongolia, united-sates]",
                 ("participants:",), "visit-2024", "participants.1",
                 r"unknown actor 'united-sates'; did you mean 'united-states'\?", id="unknown-participant"),
    pytest.param("      - source: src-one", "      - source: src-two", ("source: src-two",), "visit-2024",
                 "citations.0.source", r"unknown source 'src-two'; did you mean 'src-one'\?",
                 id="unknown-citation-source"),
    pytest.param("place: washington", "place: washingtn", ("place: washingtn",), "united-states", "place",
                 r"unknown place 'washingtn'; did you mean 'washington'\?", id="unknown-actor-place"),
    # Events and links share one id namespace: a link may not reuse an event's id.
    pytest.param("id: mng-usa", "id: visit-2024", ("links:", "id: visit-2024"), "visit-2024", "id",
                 r"duplicate id: already used at \S*records\.yaml:{first}$", id="duplicate-id"),
    pytest.param('start: "2024-02-15"', 'start: "2024-02-15"\n    end: "2024-02-01"', ('end: "2024-02-01"',),
                 "visit-2024", "end", r"ends \(2024-02-01\) before it starts \(2024-02-15\)",
                 id="end-before-start"),
    pytest.param("layer: us_bilateral", "layer: us_bilateal", ("layer: us_bilateal",), "visit-2024", "layer",
                 r"unknown layer 'us_bilateal'; did you mean 'us_bilateral'\?", id="unknown-layer"),
    pytest.param("    citations:\n      - source: src-one\n        quote: \"A visit to Ulaanbaatar on 15 February 2024.\"\n",
                 "    citations: []\n", ("citations: []",),
                 "visit-2024", "citations", r"at least 1 item", id="event-without-citation"),
    pytest.param("    name: Washington", "    name: Washington\n    colour: red", ("colour: red",), "washington",
                 "colour", r"^unknown field", id="unknown-field"),
    pytest.param("links:", "notes:\n  - a remark\nlinks:", ("notes:",), "", "notes",
                 r"^unknown section; use title, sources, places, actors, series, events, links, layers",
                 id="unknown-section"),
]


@pytest.mark.parametrize(("old", "new", "markers", "record", "field", "message"), MISTAKES)
def test_mistake_is_located(make_data, good_text, old, new, markers, record, field, message):
    text = edit(good_text, old, new)
    message = message.replace("{first}", str(line_of(text, "id: visit-2024")))
    _, problems = load_catalogue(make_data({"records.yaml": text}), seeds_dir=None)
    problem = only_problem(problems, message)
    assert Path(problem.file).name == "records.yaml"
    assert (problem.line, problem.record, problem.field) == (line_of(text, *markers), record, field)
    expected_str = f"{problem.file}:{problem.line}: {record or '(file)'}{f' [{field}]' if field else ''}: "
    assert str(problem).startswith(expected_str)


SEED_TEXT = """Mongolia and the United States\n\nThe two defence ministers met in\nUlaanbaatar in
February 2024 and agreed to expand   training.\n"""



@pytest.mark.parametrize(
    ("seed", "quote", "markers", "field", "message"),
    [
        pytest.param("seed-a.txt", '        quote: "The two defence ministers met in Ulaanbaatar"\n', None, None, None,
                     id="verbatim-quote-passes"),
        pytest.param("seed-a.txt", '        quote: "met in  Ulaanbaatar in\\n February 2024"\n', None, None, None,
                     id="quote-with-other-whitespace-passes"),
        pytest.param("seed-a.txt", '        quote: "The two defence ministers met in Beijing"\n', ("quote:",),
                     "citations.0.quote",
                     r"^quote not found in seed seed-a\.txt: 'The two defence ministers met in Beijing'$",
                     id="quote-not-in-seed"),
        pytest.param("seed-a.txt", "", ("- source: seed-src",), "citations.0.quote",
                     r"^a citation of a seed article needs a verbatim 'quote'$", id="seed-cited-without-quote"),
        pytest.param("seed-missing.txt", '        quote: "met"\n', ("seed: seed-missing.txt",), "seed",
                     r"^seed file 'seed-missing\.txt' not found in ", id="seed-file-missing"),
        pytest.param("../seeds/seed-a.txt", '        quote: "met"\n', ("seed: ../seeds",), "seed",
                     r"^seed '\.\./seeds/seed-a\.txt' must be a file name inside the seeds folder", id="seed-parent-path"),
        pytest.param("/etc/hostname", '        quote: "met"\n', ("seed: /etc",), "seed",
                     r"^seed '/etc/hostname' must be a file name inside the seeds folder", id="seed-absolute-path"),
        pytest.param("latin1.txt", '        quote: "met"\n', ("seed: latin1",), "seed",
                     r"^seed file 'latin1\.txt' in .*: not UTF-8: byte 0xe9 at offset 0", id="seed-not-utf8"),
        pytest.param("pipe.txt", '        quote: "met"\n', ("seed: pipe",), "seed",
                     r"^seed file 'pipe\.txt' in .*: not a regular file", id="seed-named-pipe"),
    ],
)
def test_seed_quotes(make_data, good_text, tmp_path, seed, quote, markers, field, message):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "seed-a.txt").write_text(SEED_TEXT, encoding="utf-8")
    (seeds / "latin1.txt").write_bytes("Ulaanbaatar met".replace("Ul", "\xe9").encode("latin-1"))
    os.mkfifo(seeds / "pipe.txt")
    text = SEED_RECORDS.format(seed=seed, quote=quote)
    data = make_data({"records.yaml": good_text, "seeded.yaml": text})
    _, problems = load_catalogue(data, seeds_dir=seeds)
    if message is None:
        assert [str(p) for p in problems] == []
        return
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert Path(problem.file).name == "seeded.yaml"
    record = "seed-src" if field == "seed" else "seed-visit"
    assert (problem.line, problem.record, problem.field) == (line_of(text, *markers), record, field)
    assert re.search(message, problem.message), problem.message


def test_a_missing_seeds_folder_is_a_problem_and_none_skips_the_check(make_data, good_text):
    text = SEED_RECORDS.format(seed="seed-a.txt", quote='        quote: "words in no seed"\n')
    data = make_data({"records.yaml": good_text, "seeded.yaml": text})
    _, problems = load_catalogue(data, seeds_dir=data.parent / "no-such-folder")
    assert [(p.record, p.field) for p in problems] == [("seed-src", "seed")]
    assert "no-such-folder is not a folder" in problems[0].message
    assert "--no-seeds" in problems[0].message
    _, problems = load_catalogue(data, seeds_dir=None)  # --no-seeds
    assert problems == []


FILE_A_EDITS = [
    ("layer: us_bilateral", "layer: us_bilateal"),  # unknown layer
    ("country: MNG\n    lat:", "country: MGL\n    lat:"),  # unknown country code
    ("kind: bilateral cooperation", "kind: alliance"),  # bad link kind; nothing refers to the link
]

FILE_B = """\
sources:
  - id: src-b
    kind: report
    title: A report
    address: javascript:alert(1)
events:
  - id: exercise-b
    kind: exercise
    title: An exercise
    start: "2023-13"
    places: [ulaanbaatar]
    layer: khaan_quest
    citations:
      - source: src-one
notes: unknown section
"""


def test_every_mistake_in_two_files_is_reported_in_one_run_sorted(make_data, good_text):
    file_a = good_text
    for old, new in FILE_A_EDITS:
        file_a = edit(file_a, old, new)
    data = make_data({"a.yaml": file_a, "b.yaml": FILE_B})
    _, problems = load_catalogue(data, seeds_dir=None)
    found = [(Path(p.file).name, p.line, p.record, p.field) for p in problems]
    assert found == [
        ("a.yaml", line_of(file_a, "country: MGL"), "ulaanbaatar", "country"),
        ("a.yaml", line_of(file_a, "layer: us_bilateal"), "visit-2024", "layer"),
        ("a.yaml", line_of(file_a, "kind: alliance"), "mng-usa", "kind"),
        ("b.yaml", line_of(FILE_B, "address: javascript"), "src-b", "address"),
        ("b.yaml", line_of(FILE_B, 'start: "2023-13"'), "exercise-b", "start"),
        ("b.yaml", line_of(FILE_B, "notes:"), "", "notes"),
    ]
    assert problems == sorted(problems, key=lambda p: (p.file, p.line))


def test_problem_str_names_file_line_record_and_field():
    problem = Problem("data/x.yaml", 12, "visit-2024", "places.0", "unknown place 'ulan-bator'")
    assert str(problem) == "data/x.yaml:12: visit-2024 [places.0]: unknown place 'ulan-bator'"
    assert str(Problem("data/x.yaml", 3, "", "", "malformed YAML: oops")) == "data/x.yaml:3: (file): malformed YAML: oops"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(None, r"^data folder not found$", id="no-folder"),
        pytest.param({}, r"^no \*\.yaml \(or \*\.json\) record files here$", id="no-yaml-files"),
        pytest.param({"records.yaml": "- just\n- a list\n"}, r"^expected a mapping with keys sources, places",
                     id="top-level-list"),
        pytest.param({"records.yaml": "places: ulaanbaatar\n"}, r"^expected a list of records$",
                     id="section-not-a-list"),
    ],
)
def test_folder_and_file_shape_problems(tmp_path, files, message):
    folder = tmp_path / "data"
    if files is not None:
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    _, problems = load_catalogue(folder, seeds_dir=None)
    assert len(problems) == 1, [str(p) for p in problems]
    assert re.search(message, problems[0].message), problems[0].message


def test_json_record_files_load_and_problems_keep_their_lines(make_data, good_text):
    """Generated data may be JSON (fast to read); its problems are still located by line."""
    import json as jsonlib

    import yaml

    records = yaml.safe_load(good_text)
    good = make_data({"records.json": jsonlib.dumps(records, indent=1)}, name="json-good")
    catalogue, problems = load_catalogue(good, seeds_dir=None)
    assert problems == []
    assert sorted(catalogue.events) == ["visit-2024"]

    records["places"][0]["lat"] = 123.0
    text = jsonlib.dumps(records, indent=1)
    bad = make_data({"records.json": text}, name="json-bad")
    _, problems = load_catalogue(bad, seeds_dir=None)
    lat = [p for p in problems if p.field == "lat"]
    assert len(lat) == 1
    expected_line = text.splitlines().index('   "lat": 123.0,') + 1
    assert (lat[0].file.endswith("records.json"), lat[0].line, lat[0].record) == (True, expected_line, "ulaanbaatar")


def test_json_problems_found_across_records_have_their_lines(make_data, good_text):
    """A clean JSON file is read in one fast pass without lines; a reference
    check that fails later still names the line."""
    import json as jsonlib

    import yaml

    records = yaml.safe_load(good_text)
    records["events"][0]["places"] = ["ulan-bator"]
    text = jsonlib.dumps(records, indent=1)
    folder = make_data({"records.json": text}, name="json-dangling")
    _, problems = load_catalogue(folder, seeds_dir=None)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.record, problem.field) == ("visit-2024", "places.0")
    # The line of the field that holds the bad reference.
    assert problem.line == text.splitlines().index('   "places": [') + 1
    assert "unknown place 'ulan-bator'" in problem.message


@pytest.mark.parametrize("name", ["styles.yaml", "extra.json"])
def test_blank_title_is_a_problem_in_yaml_and_json(make_data, good_text, name):
    """The fast JSON pass and the careful YAML pass agree on what a title may be."""
    folder = make_data({"records.yaml": good_text, name: '{"title": "  "}' if name.endswith(".json") else ""}, name="title")
    if name == "styles.yaml":
        shipped = ROOT_STYLES.read_text(encoding="utf-8").splitlines(keepends=True)
        rest = "".join(line for line in shipped if not line.startswith("title:"))
        (folder / "styles.yaml").write_text('title: "  "\n' + rest, encoding="utf-8")
    _, problems = load_catalogue(folder, seeds_dir=None)
    assert [(p.field, p.message) for p in problems] == [("title", "the map title must be text")]


def test_duplicate_ids_in_json_name_both_lines(make_data, good_text):
    """A duplicate in a JSON file read the fast way names its own line and the
    line where the id was first used, as in YAML."""
    import json as jsonlib

    import yaml

    records = yaml.safe_load(good_text)
    records["events"].append(dict(records["events"][0], title="The same id again"))
    text = jsonlib.dumps(records, indent=1)
    folder = make_data({"records.json": text}, name="json-duplicate")
    _, problems = load_catalogue(folder, seeds_dir=None)
    assert len(problems) == 1, [str(p) for p in problems]
    ids = [n + 1 for n, line in enumerate(text.splitlines()) if line.strip() == '"id": "visit-2024",']
    assert len(ids) == 2
    assert problems[0].line == ids[1]
    assert problems[0].message.endswith(f"records.json:{ids[0]}"), problems[0].message


@pytest.mark.parametrize(
    ("separators", "first_quote"),
    [
        pytest.param((",", ":"), "Cooperation since 1987.", id="compact"),
        pytest.param((", ", ": "), "Cooperation: since 1987.", id="colon-in-text"),
        pytest.param((",", " : "), "Cooperation since 1987.", id="blank-before-colon"),
        pytest.param((",", ":"), '": \\" :', id="quotes-and-colons-in-text"),
    ],
)
def test_a_repeated_key_in_json_is_a_problem(make_data, good_text, separators, first_quote):
    """pydantic keeps the last of two equal keys; the loader refuses the file
    instead, however its keys and colons are written (the fast pass counts
    keys, and parses again only when the count cannot tell)."""
    import json as jsonlib

    import yaml

    records = yaml.safe_load(good_text)
    key = '"quote"' + separators[1]
    text = jsonlib.dumps(records, separators=separators)
    repeated = key + jsonlib.dumps(first_quote) + separators[0] + key + '"Cooperation since 1987."'
    text = text.replace(key + '"Cooperation since 1987."', repeated)
    assert text.count(key) == 3
    _, problems = load_catalogue(make_data({"records.json": text}, name="json-repeated-key"), seeds_dir=None)
    assert [p.message for p in problems] == ["malformed JSON: duplicate key 'quote'"]

    records["links"][0]["citations"][0]["note"] = first_quote  # the same text, under a key of its own
    once = jsonlib.dumps(records, separators=separators)
    catalogue, problems = load_catalogue(make_data({"records.json": once}, name="json-once"), seeds_dir=None)
    assert (problems, catalogue.links["mng-usa"].citations[0].note) == ([], first_quote)


def test_a_place_at_sea_needs_no_country(make_data, good_text):
    import yaml

    records = yaml.safe_load(good_text)
    records["places"].append(
        {"id": "yellow-sea", "name": "Yellow Sea", "lat": 35.0, "lon": 123.5, "precision": "region"}
    )
    records["events"][0]["places"] = ["yellow-sea"]
    catalogue, problems = load_catalogue(make_data({"records.yaml": yaml.safe_dump(records)}, name="sea"), seeds_dir=None)
    assert problems == [], [str(p) for p in problems]
    assert catalogue.places["yellow-sea"].country is None
