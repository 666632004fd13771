"""The benchmark scripts work: a small synthetic folder validates, run.py's helpers parse.

No timing is asserted here, ever: benchmarks print numbers, tests check shapes.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mongolmap.geo.load import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
N_RECORDS = 300


def _module(name: str):
    if str(BENCH) not in sys.path:  # the peers' scripts import frames.py beside them, as when run
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [sys.executable, str(BENCH / "synthetic.py"), "--records", str(N_RECORDS), "--out", str(out), "--seed", "7"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def test_synthetic_folder_validates_clean(synthetic_folder):
    result = subprocess.run(
        [sys.executable, "build_map.py", "validate", "--data", str(synthetic_folder), "--no-seeds"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "clean" in result.stdout


def test_synthetic_folder_has_mme_proportions(synthetic_folder):
    catalogue, problems = load_catalogue(synthetic_folder, seeds_dir=None)
    assert problems == []
    assert len(catalogue.events) == N_RECORDS
    assert len(catalogue.links) == N_RECORDS // 20
    assert len(catalogue.places) == N_RECORDS // 5
    mean = sum(len(e.participants) for e in catalogue.events.values()) / N_RECORDS
    assert 2.8 < mean < 4.8, f"participants per event {mean:.2f}, MME has about 3.75"
    assert {e.layer for e in catalogue.events.values()} <= set(catalogue.layers)
    assert not any(style.participant_arcs for style in catalogue.layers.values())
    # One country actor per country used, drawn at a place in that country.
    countries = {p.country for p in catalogue.places.values()}
    assert {a.country for a in catalogue.actors.values()} == countries
    for actor in catalogue.actors.values():
        assert catalogue.places[actor.place].country == actor.country
    for event in catalogue.events.values():
        assert [c.source for c in event.citations] == ["synthetic"] and event.citations[0].ref


def test_synthetic_is_deterministic(synthetic_folder, tmp_path):
    synthetic = _module("synthetic")
    synthetic.write_folder(N_RECORDS, tmp_path, seed=7)
    for path in sorted(synthetic_folder.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_synthetic_files_are_json_records(synthetic_folder):
    names = sorted(p.name for p in synthetic_folder.iterdir())
    assert names == ["actors.json", "events.json", "links.json", "places.json", "sources.json", "styles.yaml"]
    assert json.loads((synthetic_folder / "events.json").read_text())["events"][0]["kind"] == "exercise"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("shipped,mme,10000,100000", ["shipped", "mme", "10000", "100000"], id="default"),
        pytest.param(" shipped , 100k", ["shipped", "100000"], id="spaces-and-k"),
        pytest.param("1e4", ["10000"], id="exponent"),
    ],
)
def test_run_parses_sizes(text, expected):
    assert _module("run").parse_sizes(text) == expected


@pytest.mark.parametrize("text", ["huge", "0", "-5"])
def test_run_rejects_bad_sizes(text):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="size"):
        _module("run").parse_sizes(text)


def test_run_arguments_parse():
    run = _module("run")
    args = run.make_parser().parse_args(["--sizes", "shipped,300", "--repeat", "2", "--no-browser"])
    assert args.sizes == ["shipped", "300"] and args.repeat == 2 and args.no_browser


def test_run_targets_and_report_from_figures():
    """The report reads a results list: PASS, MISS and n/a from plain numbers."""
    run = _module("run")
    results = [
        run.add_ratios({"size": "shipped", "build_s": 1.0, "html_mb": 0.5, "self_contained": True, "drawn_ms": 900.0}),
        run.add_ratios({"size": "100000", "build_s": 2.0, "explore_s": 10.0, "html_mb": 10.0}),
    ]
    verdicts = {(size, label): verdict for size, label, verdict, _ in run.check_targets(results)}
    assert verdicts[("shipped", "whole build < 2 s")] == "PASS"
    assert verdicts[("shipped", "drawn < 500 ms")] == "MISS"
    assert verdicts[("100000", "build ahead of explore() by >= 3x")] == "PASS"
    assert verdicts[("100000", "drawn < 2 s")] == "n/a"
    text = run.report(results)
    assert "| build (s) | 1.00 | 2.00 |" in text and "5.0x" in text


def test_explore_page_helpers_parse():
    explore_page = _module("explore_page")
    sections = {
        "places": [{"id": "p", "lat": 47.9, "lon": 106.9}],
        "events": [{"title": "T", "start": 2014, "layer": "x", "places": ["p"], "participants": ["a", "b"]}],
    }
    frame = explore_page.event_frame(sections)
    assert list(frame["participants"]) == ["a, b"]
    assert (frame.geometry.x[0], frame.geometry.y[0]) == (106.9, 47.9)


def test_lonboard_page_drops_only_require_sri():
    lonboard_page = _module("lonboard_page")
    html = (
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js" '
        'integrity="sha256-abc=" crossorigin="anonymous"></script>'
        '<script src="https://example.org/other.js" integrity="sha256-keep="></script>'
    )
    out = lonboard_page.serveable(html)
    assert 'require.min.js" crossorigin="anonymous"' in out
    assert 'integrity="sha256-abc="' not in out and 'integrity="sha256-keep="' in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [("explore,lonboard", ["explore", "lonboard"]), (" lonboard ", ["lonboard"])],
)
def test_run_parses_peers(text, expected):
    assert [p.key for p in _module("run").parse_peers(text)] == expected


def test_run_rejects_unknown_peer():
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="unknown peer.*kepler"):
        _module("run").parse_peers("explore,kepler")


def test_run_ratios_for_each_peer():
    run = _module("run")
    result = run.add_ratios({"size": "100000", "build_s": 2.0, "explore_s": 8.0, "lonboard_s": 3.0,
                             "html_mb": 10.0, "lonboard_html_mb": 7.0})
    assert result["ratio_build"] == 4.0 and result["ratio_lonboard_build"] == 1.5
    assert result["ratio_lonboard_html"] == 0.7 and result["ratio_lonboard_drawn"] is None


def test_local_assets_resolve_lonboard_cdn_files():
    """run.py maps lonboard's CDN URLs to the npm files `make benchmark` installs."""
    run = _module("run")
    if not (run.NODE_MODULES / "requirejs").is_dir():
        subprocess.run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--silent"], check=True)
    urls = {
        "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js": "require.js",
        "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@%5E1.0.1/dist/embed-amd.js": "embed-amd.js",
        "https://cdn.jsdelivr.net/npm/anywidget@~0.9.*/dist/index.js": "index.js",
        "https://cdn.jsdelivr.net/npm/parquet-wasm@0.7.1/esm/parquet_wasm_bg.wasm": "parquet_wasm_bg.wasm",
    }
    for url, name in urls.items():
        asset = run.local_asset(url)
        assert asset is not None and asset[0].name == name, url
    assert run.local_asset("https://cdn.example.org/other/index.js") is None


def test_analyst_outputs_benchmark_runs_on_the_synthetic_folder(synthetic_folder, capsys):
    assert _module("analyst_outputs").main(["--data", str(synthetic_folder)]) == 0
    out = capsys.readouterr().out
    assert f"{N_RECORDS + N_RECORDS // 20} records" in out
    for step in ("records_frame", "GeoParquet bytes", "partners_csv", "partners_frame"):
        assert step in out


def test_builds_alternate_in_rounds(tmp_path):
    """Ours and the peers' runs interleave (a, b, a, b), so drift weighs on both alike."""
    run = _module("run")
    log = tmp_path / "order.txt"

    def command(key):
        return [sys.executable, "-c", f"open({str(log)!r}, 'a').write({key!r})"], 60

    runs = run.in_rounds({"a": command("a"), "b": command("b")}, repeat=3)
    assert log.read_text() == "ababab"
    assert [len(runs["a"]), len(runs["b"])] == [3, 3]
    assert all(r.ok for r in runs["a"] + runs["b"])


def test_paired_ratio_is_the_median_of_each_rounds_ratio():
    run = _module("run")
    # A machine twice as slow in the last round: the ratio of medians moves, the paired one not.
    assert run.paired_ratio([30.0, 30.0, 60.0], [10.0, 10.0, 20.0]) == 3.0
    assert run.paired_ratio(None, [1.0]) is None
    result = run.add_ratios({"build_s": 10.0, "build_runs_s": [10.0, 12.0, 9.0], "explore_s": 30.0,
                             "explore_runs_s": [30.0, 24.0, 36.0]})
    assert result["ratio_build"] == 3.0 and result["ratio_build_paired"] == 3.0
