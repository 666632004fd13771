"""build_map.py as a function: exit codes, what it prints, and that a failed build writes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from build_map import main


def line_of(text: str, marker: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(lines) == 1, f"{marker!r} should be on exactly one line"
    return lines[0]


@pytest.fixture
def bad_text(good_text) -> str:
    """Two independent mistakes: an unknown layer and an unknown country code."""
    for old, new in [("layer: us_bilateral", "layer: us_bilateal"), ("country: USA\n    lat:", "country: USX\n    lat:")]:
        assert old in good_text
        good_text = good_text.replace(old, new, 1)
    return good_text


@pytest.fixture
def bad_data(make_data, bad_text) -> Path:
    return make_data({"records.yaml": bad_text}, name="bad")


def test_validate_clean_data(good_data, capsys):
    assert main(["validate", "--data", str(good_data), "--no-seeds"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{good_data}: clean (1 events, 1 links, 2 places, 2 actors, 1 sources)\n"
    assert err == ""


def test_validate_bad_data_lists_every_problem(bad_data, bad_text, capsys):
    assert main(["validate", "--data", str(bad_data), "--no-seeds"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    layer_line, country_line = line_of(bad_text, "us_bilateal"), line_of(bad_text, "country: USX")
    assert len(lines) == 3, err
    assert f"records.yaml:{country_line}: washington [country]: unknown country code 'USX'" in lines[0]
    assert f"records.yaml:{layer_line}: visit-2024 [layer]: unknown layer 'us_bilateal'" in lines[1]
    assert lines[2] == "2 problem(s); nothing was written."


def test_failed_build_leaves_output_untouched(bad_data, tmp_path, capsys):
    out = tmp_path / "output"
    (out / "geojson").mkdir(parents=True)
    (out / "map.html").write_text("<p>previous map</p>", encoding="utf-8")
    (out / "geojson" / "events.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    before = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    listing = sorted(p.relative_to(out) for p in out.rglob("*"))

    assert main(["--data", str(bad_data), "--no-seeds", "--out", str(out)]) != 0

    assert sorted(p.relative_to(out) for p in out.rglob("*")) == listing
    assert {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    assert "nothing was written" in capsys.readouterr().err


@pytest.fixture
def schema(tmp_path, capsys) -> dict:
    path = tmp_path / "record.schema.json"
    assert main(["schema", "--out", str(path)]) == 0
    assert capsys.readouterr().out == f"wrote {path}\n"
    return json.loads(path.read_text(encoding="utf-8"))


def test_schema_is_draft_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert sorted(schema["properties"]) == ["actors", "blocs", "events", "layers", "links", "places", "series", "sources", "title"]


def test_schema_accepts_good_record_file(schema, good_text):
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(yaml.safe_load(good_text))]
    assert errors == []


def test_schema_accepts_styles_file(schema):
    styles = yaml.safe_load((Path(__file__).parents[1] / "data" / "styles.yaml").read_text(encoding="utf-8"))
    assert [e.message for e in Draft202012Validator(schema).iter_errors(styles)] == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("    name: Washington", "    name: Washington\n    colour: red",
                     r"Additional properties are not allowed \('colour' was unexpected\)", id="unknown-field"),
        pytest.param("kind: visit", "kind: parade", r"'parade' is not one of \['exercise'", id="unknown-kind"),
        pytest.param('start: "2024-02-15"', 'start: "15-02-2024"', r"'15-02-2024' does not match",
                     id="date-pattern"),
    ],
)
def test_schema_rejects_bad_record_file(schema, good_text, old, new, message):
    assert old in good_text
    document = yaml.safe_load(good_text.replace(old, new, 1))
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(document)]
    assert len(errors) == 1, errors
    assert re.search(message, errors[0]), errors[0]


def test_schema_to_standard_output(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Mongolia defence map record file"


def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "schema", "export"):
        assert command in out
