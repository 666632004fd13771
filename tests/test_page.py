"""One self-contained, reproducible, safe HTML file (and the --cdn variant)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from build_map import main as build_main

ROOT = Path(__file__).resolve().parents[1]
LEAFLET = Path(__import__("xstatic.pkg.leaflet", fromlist=["BASE_DIR"]).BASE_DIR)


def build(out: Path, *extra: str) -> Path:
    assert build_main(["--data", str(ROOT / "data"), "--out", str(out), "--no-seeds", *extra]) == 0
    return out


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    return (build(tmp_path_factory.mktemp("page")) / "map.html").read_text(encoding="utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    first = files_of(build(tmp_path / "a"))
    second = files_of(build(tmp_path / "b"))
    assert sorted(first) == sorted(second)
    assert "map.html" in first and "geojson/all.geojson" in first
    for name in first:
        assert first[name] == second[name], name


def test_no_random_ids_absolute_paths_or_timestamps(page, tmp_path):
    assert not re.search(r"_[0-9a-f]{32}\b", page)  # branca's random element names
    assert str(ROOT) not in page and str(tmp_path.parent) not in page
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", page)


def test_default_page_loads_nothing_from_outside(page):
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    for cdn_library in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert cdn_library not in page.lower()
    leaflet = (LEAFLET / "leaflet.js").read_text(encoding="utf-8").split("//# sourceMappingURL")[0]
    assert leaflet.strip()[:200] in page
    assert "url(images/" not in page  # Leaflet's CSS images are inlined as data: URIs


def test_every_inline_script_is_allowed_by_hash_and_nothing_else(page):
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    allowed = set(directives["script-src"].split())
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(scripts) >= 3
    wanted = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts
    }
    assert allowed == wanted
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["connect-src"] == "'none'"
    assert directives["img-src"].split() == ["data:", "blob:", "https://tile.openstreetmap.org"]


def test_cdn_page_pins_leaflet_with_subresource_integrity(tmp_path, page):
    html = (build(tmp_path / "cdn", "--cdn") / "map.html").read_text(encoding="utf-8")
    for name, tag in (("leaflet.js", "script"), ("leaflet.css", "link")):
        digest = base64.b64encode(hashlib.sha384((LEAFLET / name).read_bytes()).digest()).decode()
        match = re.search(rf'<{tag}[^>]+(?:src|href)="(https://[^"]+/{re.escape(name)})"[^>]*integrity="sha384-([^"]+)"', html)
        assert match, f"no pinned {name}"
        assert "@1.9.3/" in match.group(1)
        assert match.group(2) == digest
    assert len(html) < len(page) - 100_000
    csp = re.search(r'content="(default-src[^"]+)"', html).group(1)
    assert "https://unpkg.com" in csp


def test_page_size_stays_small(page):
    # The shipped data's self-contained page, Leaflet included, stays under 1 MB.
    assert len(page.encode("utf-8")) < 1_000_000


STATIC = ROOT / "layers" / "static"


def test_leaflet_private_members_are_used_in_one_file_only():
    for script in sorted(STATIC.glob("*.js")):
        private = re.findall(r"\._[a-zA-Z]\w*", script.read_text(encoding="utf-8"))
        if script.name == "leaflet-private.js":
            assert {"._updatePath", "._containsPoint", "._redraw", "._ctx"} <= set(private)
        else:
            assert private == [], f"{script.name} uses Leaflet's private members {sorted(set(private))}"


def test_leaflet_private_file_checks_the_leaflet_version_it_was_written_for():
    from mongolmap.layers.assets import LEAFLET_VERSION

    text = (STATIC / "leaflet-private.js").read_text(encoding="utf-8")
    assert f"var WRITTEN_FOR = '{LEAFLET_VERSION}';" in text
    assert "L.version !== WRITTEN_FOR" in text


def test_no_page_script_reads_a_row_by_position():
    # Pairs ([lon, lat], [from, to]) are the only positional reads: nothing past index 1.
    for script in sorted(STATIC.glob("*.js")):
        assert not re.findall(r"\w\[[2-9]\]", script.read_text(encoding="utf-8")), script.name


def test_every_unit_script_is_on_the_page_once(page):
    for script in sorted(STATIC.glob("*.js")):
        first_line = script.read_text(encoding="utf-8").splitlines()[0]
        assert page.count(first_line) == 1, script.name


def test_the_contract_decodes_to_named_tables_of_equal_length(page):
    from mongolmap.layers.wire import WIRE_VERSION, decode

    data = decode(re.search(r'<script type="application/octet-stream" id="mdm-wire">([^<]*)</script>', page).group(1))
    assert data["version"] == WIRE_VERSION
    for table in ("sources", "places", "actors", "records", "marks"):
        columns = {k: v for k, v in data[table].items() if k != "fields" and isinstance(v, list)}
        assert len({len(v) for v in columns.values()}) == 1, table
    assert data["records"]["fields"] == ["id", "record_type", "kind", "title", "description", "start", "end",
                                         "date_precision", "date_label"]
    # Explicit references: an event's places and every record's layer are sent, not derived.
    from mongolmap.geo.load import load_or_raise

    catalogue = load_or_raise(ROOT / "data", None)
    records = data["records"]
    for row, record_id in enumerate(records["id"]):
        record = catalogue.events.get(record_id) or catalogue.links[record_id]
        assert [data["places"]["id"][p] for p in records["places"][row]] == list(record.places), record_id
        assert data["layers"][records["layer"][row]]["key"] == record.layer, record_id
        assert [data["actors"]["id"][a] for a in records["actors"][row]] == list(record.actors), record_id


def test_the_contract_years_and_lines_agree_with_the_plain_functions():
    """wire_data takes years from the date columns and cuts every line in one numpy
    pass; both must say what ``record_years`` and ``window_arrays`` say, record by
    record and line by line, including lines cut by the display seam or at ±180°."""
    import numpy as np
    import shapely

    from mongolmap.geo.export import LINE_DIGITS, mark_geometry
    from mongolmap.geo.features import Mark, build_marks, record_years, years_covered
    from mongolmap.geo.geometry import DISPLAY_SEAM, window_arrays
    from mongolmap.geo.load import load_or_raise
    from mongolmap.layers.wire import wire_data

    catalogue = load_or_raise(ROOT / "data", None)
    lines = [
        shapely.LineString([(170.0, 60.0), (-170.0, 62.0)]),  # crosses ±180° only
        shapely.LineString([(-40.0, 10.0), (-20.0, 12.0)]),  # crosses the display seam only
        shapely.LineString([(106.9, 47.9), (120.0, 50.0), (130.0, 51.0)]),  # neither
    ]
    extra = [Mark(f"t.{i}", "nato", "link", line, ()) for i, line in enumerate(lines)]
    marks = build_marks(catalogue) + extra
    data = wire_data(catalogue, marks, "t")
    records = catalogue.records()
    assert [tuple(y) for y in data["records"]["years"]] == [record_years(r) for r in records]
    assert data["years"] == list(years_covered(catalogue))
    drawn = [(i, m) for i, m in enumerate(marks) if m.role in ("link", "participant")]
    assert drawn[-3:] and all(data["marks"]["line"][i] is not None for i, _ in drawn)
    for i, mark in drawn:
        parts = [np.round(p, LINE_DIGITS).tolist() for p in window_arrays(mark.geometry, DISPLAY_SEAM)]
        cut = len(parts) > 1 or len(window_arrays(mark.geometry, -180.0)) > 1
        assert data["marks"]["line"][i] == parts, mark.id
        assert data["marks"]["export"][i] == (mark_geometry(mark) if cut else None), mark.id
    assert [data["marks"]["export"][i] is not None for i, _ in drawn[-3:]] == [True, True, False]
