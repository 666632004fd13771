"""Exports with hostile record text: CSV read back by csv and pandas, KML by GDAL and an HTML parser."""

from __future__ import annotations

import csv
import io
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from build_map import main
from mongolmap.geo.export import export_file, features
from mongolmap.geo.load import load_or_raise

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_TITLE = '=HYPERLINK("http://evil.example","x")<img src=x onerror=alert(1)>\r"bare CR"\r\nfake,row'
HOSTILE_DESCRIPTION = "+cmd|' /C calc'!A0 <script>alert(2)</script> &amp; ]]>"


@pytest.fixture
def hostile(make_data, good_text):
    text = good_text.replace("title: A visit", "title: " + _yaml_string(HOSTILE_TITLE), 1)
    text = text.replace("title: Cooperation", "title: '@SUM(1+1)'\n    description: " + _yaml_string(HOSTILE_DESCRIPTION), 1)
    text = text.replace("    name: Washington", "    name: '-2+3'", 1)
    data = make_data({"records.yaml": text})
    return load_or_raise(data, seeds_dir=None)


def _yaml_string(value: str) -> str:
    import json

    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def test_csv_holds_every_feature_and_reads_back_with_csv_and_pandas(hostile, tmp_path):
    out = tmp_path / "x.csv"
    export_file(hostile, "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheets
    expected = features(hostile)
    assert {f["geometry"]["type"] for f in expected} == {"Point", "MultiLineString"}

    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(expected)  # links and shaded countries too, not points only
    assert [r["feature_id"] for r in rows] == [f["id"] for f in expected]
    frame = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert len(frame) == len(expected)
    assert list(frame["feature_id"]) == [f["id"] for f in expected]

    by_id = {r["feature_id"]: r for r in rows}
    visit = next(r for r in rows if r["id"] == "visit-2024")
    # Text survives whole (bare CR and all), behind an apostrophe: never a formula.
    assert visit["title"] == "'" + HOSTILE_TITLE
    assert frame.loc[frame["id"] == "visit-2024", "title"].iloc[0] == "'" + HOSTILE_TITLE
    link = next(r for r in rows if r["id"] == "mng-usa")
    assert link["title"] == "'@SUM(1+1)"
    assert link["description"] == "'" + HOSTILE_DESCRIPTION
    assert link["wkt"].startswith(("LINESTRING", "MULTILINESTRING")) and link["lon"] == ""
    for row in by_id.values():
        for column, value in row.items():
            if column not in ("lon", "lat", "uncertainty_km"):
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)
    # Lists as readable text, citations as lines, numbers as numbers.
    assert visit["participants"] == "Mongolia; United States"
    assert visit["sources"] == "A source; “A visit to Ulaanbaatar on 15 February 2024.”; https://example.org/a"
    point = next(f for f in expected if f["properties"]["id"] == "visit-2024")
    assert [float(visit["lon"]), float(visit["lat"])] == point["geometry"]["coordinates"]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_data(self, data):
        self.text.append(data)


def test_kml_text_is_text_styled_per_layer_with_time_and_sources(hostile, tmp_path):
    out = tmp_path / "x.kml"
    export_file(hostile, "kml", out)
    raw = out.read_text(encoding="utf-8")
    assert ".tmp" not in raw and str(tmp_path) not in raw
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one layer per folder: GDAL names the default one
        layers = [name for name, _ in pyogrio.list_layers(out)]
        frames = {name: pyogrio.read_dataframe(out, layer=name) for name in layers}
    total = sum(len(f) for f in frames.values())
    assert total == len(features(hostile))
    labels = {s.label for s in hostile.layers.values()}
    assert set(layers) <= labels
    frame = pd.concat(frames.values())
    visit = frame[frame["Name"] == HOSTILE_TITLE.replace("\r\n", "\n").replace("\r", "\n")]
    assert len(visit) == 1, list(frame["Name"])
    # After XML parsing the balloon is HTML whose only tags are ours; the record text is text.
    for description in frame["description"]:
        parsed = _Collect()
        parsed.feed(description)
        assert set(parsed.tags) <= {"p", "table", "tr", "th", "td", "ol", "li", "a"}, parsed.tags
        assert all(h.startswith("https://") for h in parsed.hrefs)
    balloon = _Collect()
    balloon.feed(frame[frame["id"] == "mng-usa"]["description"].iloc[0])
    assert HOSTILE_DESCRIPTION in "".join(balloon.text)
    assert "A source" in "".join(balloon.text) and balloon.hrefs == ["https://example.org/a"]
    # Per-layer styles in our colours (KML writes aabbggrr), a TimeSpan from the record's dates.
    for style in hostile.layers.values():
        rr, gg, bb = style.colour[1:3], style.colour[3:5], style.colour[5:7]
        assert f'<Style id="layer-{style.key}"><IconStyle><color>ff{bb}{gg}{rr}'.lower() in raw.lower()
    assert "<TimeSpan><begin>2024-02-15</begin></TimeSpan>" in raw
    assert "<TimeSpan><begin>1987</begin></TimeSpan>" in raw


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "gpkg"])
def test_every_export_is_byte_identical_across_rebuilds(fmt, tmp_path, monkeypatch):
    import time

    catalogue = load_or_raise(ROOT / "data", seeds_dir=None)
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export_file(catalogue, fmt, first)
    time.sleep(1.1)  # a GeoPackage would otherwise carry a different time of writing
    export_file(catalogue, fmt, second)
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name, second.name]  # no temporary left


def test_export_command_into_a_missing_folder(tmp_path, capsys):
    out = tmp_path / "new" / "deeper" / "x.kml"
    assert main(["export", "--no-seeds", "--format", "kml", "--out", str(out)]) == 0
    assert out.is_file() and capsys.readouterr().out == f"wrote {out}\n"
