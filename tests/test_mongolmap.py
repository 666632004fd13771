"""The notebook API: the README's snippet runs as written; each function is the project's own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import folium
import geopandas
import pandas as pd
import pytest

import mongolmap
from mongolmap.geo.frames import partners_frame, records_frame

ROOT = Path(__file__).resolve().parents[1]


def readme_snippet() -> str:
    """The first ```python block of the README's 'From Python' section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## From Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the 'From Python' section has no python block"
    return blocks[0]


def test_readme_snippet_runs_as_written(tmp_path):
    """In a fresh interpreter, from another folder, with the installed package only:
    the snippet loads the shipped data, prints a frame and a table, saves a map."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", readme_snippet()], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "khaan-quest" in result.stdout and "date_precision" in result.stdout
    assert "united-states" in result.stdout and "third-neighbours" in result.stdout
    page = (tmp_path / "my-map.html").read_text(encoding="utf-8")
    assert "Ulaanbaatar" in page and "L.marker" in page


@pytest.fixture(scope="module")
def catalogue():
    return mongolmap.load()


def test_load_reads_the_shipped_data_and_raises_one_error_listing_every_problem(catalogue, tmp_path):
    assert catalogue.events and catalogue.blocs
    (tmp_path / "a.yaml").write_text("places:\n  - id: x\n    lat: 95\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("events: nope\n", encoding="utf-8")
    message = r"(?s)5 problem\(s\) in the data:\n.*a\.yaml:3: x \[lat\]: Input should be less than or equal to 90"
    with pytest.raises(mongolmap.DataError, match=message) as err:
        mongolmap.load(tmp_path, seeds_dir=None)
    files = {p.file.rsplit("/", 1)[-1] for p in err.value.problems}
    assert files == {"a.yaml", "b.yaml"}
    assert len(str(err.value).splitlines()) == len(err.value.problems) + 1


@pytest.mark.parametrize(
    ("kwargs", "years"),
    [
        pytest.param({}, None, id="all"),
        pytest.param({"years": "2005-2010"}, (2005, 2010), id="years as text"),
        pytest.param({"years": (2005, 2010), "layers": ["khaan_quest"]}, (2005, 2010), id="tuple and layer"),
    ],
)
def test_records_and_partners_are_the_project_frames(catalogue, kwargs, years):
    frame = mongolmap.records(catalogue, **kwargs)
    assert isinstance(frame, geopandas.GeoDataFrame)
    expected = records_frame(catalogue, kwargs.get("layers"), years)
    assert list(frame["feature_id"]) == list(expected["feature_id"])
    table = mongolmap.partners(catalogue, **kwargs)
    pd.testing.assert_frame_equal(table, partners_frame(catalogue, kwargs.get("layers"), years))


def test_bad_years_text_is_the_exports_message(catalogue):
    with pytest.raises(ValueError, match=r"--years '2010-2005': the last year comes before the first"):
        mongolmap.records(catalogue, years="2010-2005")


def test_folium_map_is_a_folium_map_a_user_can_add_to(catalogue):
    fmap = mongolmap.folium_map(catalogue, title="Mine")
    assert isinstance(fmap, folium.Map)
    folium.CircleMarker([47.9, 106.9], radius=5, tooltip="added").add_to(fmap)
    html = fmap.get_root().render()
    assert "<title>Mine</title>" in html and "L.circleMarker" in html


def test_every_public_function_has_a_numpy_docstring():
    for name in ("load", "records", "partners", "folium_map"):
        doc = getattr(mongolmap, name).__doc__
        assert "Parameters\n    ----------" in doc and "Returns\n    -------" in doc, name
