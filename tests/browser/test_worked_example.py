"""CONTRIBUTING.md's worked example holds: a record field added in geo/features.py
(and geo/models.py, where Event.size already is) reaches the popup, the CLI
export and the in-map export with no other change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from build_map import main as build_main
from mongolmap.geo import features as features_module
from mongolmap.geo.export import features
from mongolmap.geo.load import load_or_raise


def export_from_page(watch):
    with watch.page.expect_download() as info:
        watch.page.get_by_role("button", name="Export GeoJSON").click()
    return json.loads(Path(info.value.path()).read_text(encoding="utf-8"))

ROOT = Path(__file__).resolve().parents[2]

SIZED_EVENT = """
events:
  - id: worked-example-sized
    kind: exercise
    title: An exercise with a reported size
    start: "2019-06"
    places: [ulaanbaatar]
    participants: [mongolia]
    layer: khaan_quest
    size: over 900 personnel
    citations:
      - source: mme-v7
        ref: worked-example
"""


@pytest.fixture
def with_size(monkeypatch):
    """The two edits of the worked example, in geo/features.py."""
    original = features_module.record_fields

    def record_fields(record):
        return {**original(record), "size": getattr(record, "size", None)}

    keys = list(features_module.FEATURE_KEYS)
    keys.insert(keys.index("citations"), "size")
    monkeypatch.setattr(features_module, "record_fields", record_fields)
    monkeypatch.setattr(features_module, "FEATURE_KEYS", tuple(keys))
    monkeypatch.setattr(features_module, "DETAIL_LABELS", {"size": "Size"})


def test_a_new_field_reaches_popup_and_both_exports(watch, tmp_path, with_size):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "worked_example.yaml").write_text(SIZED_EVENT, encoding="utf-8")
    out = tmp_path / "out"
    assert build_main(["--data", str(data), "--out", str(out), "--no-seeds"]) == 0
    catalogue = load_or_raise(data, None)

    expected = features(catalogue)
    sized = [f for f in expected if f["properties"]["id"] == "worked-example-sized"]
    assert sized and all(f["properties"]["size"] == "over 900 personnel" for f in sized)
    assert b'"size":"over 900 personnel"' in (out / "geojson" / "all.geojson").read_bytes()

    watch.open(out / "map.html")
    from_page = export_from_page(watch)["features"]
    assert [f["id"] for f in from_page] == [f["id"] for f in expected]
    assert [f["properties"] for f in from_page] == [f["properties"] for f in expected]
    shown = watch.js(
        """() => { const app = window.MDM.app, ri = app.data.records.id.indexOf('worked-example-sized');
        return MDM.details.record(app, ri).textContent; }"""
    )
    assert "Size: over 900 personnel" in shown
