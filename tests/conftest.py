"""Fixtures shared by the unit tests: the project root on sys.path and a small valid data folder.

pytest runs with ``--import-mode=importlib``, which does not put the project
root on ``sys.path``; ``python -m pytest`` from the root does, plain ``pytest``
does not. Inserting it here makes ``import build_map`` (the command line, which is
not installed) and ``from tests.helpers import ...`` work either way; the code
itself is installed as ``mongolmap`` (``mongolmap.geo``, ``mongolmap.layers``).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures"
GOOD_RECORDS = FIXTURES / "good" / "records.yaml"


@pytest.fixture
def make_data(tmp_path):
    """Factory: a data folder holding the shipped styles.yaml plus the given record files."""

    def make(files: dict[str, str], name: str = "data") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(ROOT / "data" / "styles.yaml", folder / "styles.yaml")
        for file_name, text in files.items():
            (folder / file_name).write_text(text, encoding="utf-8")
        return folder

    return make


@pytest.fixture
def good_text() -> str:
    """The text of the small valid record file: one source, two places, two actors, an event, a link."""
    return GOOD_RECORDS.read_text(encoding="utf-8")


@pytest.fixture
def good_data(make_data, good_text) -> Path:
    return make_data({"records.yaml": good_text}, name="good")
