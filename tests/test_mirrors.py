"""The functions that exist on both sides, Python and the page, tested from one
file of cases (``tests/cases/mirrors.json``): a line drawn from its export, the
year filter's rule, and numbers written as orjson writes them (the in-map
export's bytes). The page's scripts run in node, loaded as the page loads them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest

from mongolmap.geo.features import overlaps
from mongolmap.geo.geometry import display_line
from mongolmap.layers.wire import WIRE_VERSION

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "cases" / "mirrors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["display_line"], ids=lambda c: c["id"])
def test_display_line_in_python(case):
    assert display_line(case["geometry"], case["seam"]) == case["line"]


@pytest.mark.parametrize("case", CASES["float_text"], ids=lambda c: c["id"])
def test_float_text_is_orjsons(case):
    assert isinstance(case["value"], float)
    assert orjson.dumps(case["value"]).decode() == case["text"]


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


def test_display_line_in_the_page(page_results):
    for case, got in zip(CASES["display_line"], page_results["display_line"], strict=True):
        assert got == case["line"], case["id"]


def test_float_text_in_the_page(page_results):
    for case, got in zip(CASES["float_text"], page_results["float_text"], strict=True):
        assert got == case["text"], case["id"]


def test_year_rule_in_the_page(page_results):
    for case, got in zip(CASES["overlaps"], page_results["overlaps"], strict=True):
        assert got is case["expected"], case["id"]


def test_the_page_reads_the_contract_version_python_writes(page_results):
    assert page_results["wire_version"] == WIRE_VERSION
