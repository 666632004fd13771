"""The functions that exist on both sides, Python and the page, tested from one
file of cases (``tests/cases/mirrors.json``): the display-window cut and the
year filter's rule. The page's scripts run in node, loaded as the page loads them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mongolmap.geo.features import overlaps
from mongolmap.geo.geometry import to_window
from mongolmap.layers.wire import WIRE_VERSION

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "cases" / "mirrors.json").read_text(encoding="utf-8"))


def _as_lists(parts):
    return [[list(point) for point in part] for part in parts]


@pytest.mark.parametrize("case", CASES["window_cut"], ids=lambda c: c["id"])
def test_window_cut_in_python(case):
    assert _as_lists(to_window([tuple(c) for c in case["coords"]], case["seam"])) == case["parts"]


@pytest.mark.parametrize("case", CASES["overlaps"], ids=lambda c: c["id"])
def test_year_rule_in_python(case):
    years = tuple(case["years"]) if case["years"] else None
    assert overlaps(case["first"], case["last"], years) is case["expected"]


@pytest.fixture(scope="module")
def page_results():
    node = shutil.which("node")
    assert node, "node is needed to run the page's scripts (Debian: apt-get install nodejs)"
    done = subprocess.run(
        [node, str(ROOT / "tests" / "js" / "mirrors.cjs"), str(ROOT / "tests" / "cases" / "mirrors.json"),
         str(ROOT / "layers" / "static")],
        capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def test_window_cut_in_the_page(page_results):
    for case, got in zip(CASES["window_cut"], page_results["window_cut"], strict=True):
        assert got == case["parts"], case["id"]


def test_year_rule_in_the_page(page_results):
    for case, got in zip(CASES["overlaps"], page_results["overlaps"], strict=True):
        assert got is case["expected"], case["id"]


def test_the_page_reads_the_contract_version_python_writes(page_results):
    assert page_results["wire_version"] == WIRE_VERSION
