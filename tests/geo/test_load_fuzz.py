"""Fuzz the loader: whatever a record file holds, loading returns problems, never raises."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mongolmap.geo.load import Problem, load_catalogue
from mongolmap.geo.models import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
FIELDS = [
    "id", "key", "kind", "title", "name", "lat", "lon", "precision", "country", "start", "end",
    "since", "until", "places", "participants", "layer", "citations", "source", "quote", "seed",
    "uncertainty_km", "colour", "symbol", "order", "a", "b", "place", "address",
]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.sampled_from(["2024", "2024\n", "0000", "2024-02-30", "ulaanbaatar", "MNG", "us_bilateral", "#ff0000"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6),
    ),
    max_leaves=20,
)
documents = st.dictionaries(
    st.sampled_from([*SECTIONS, "title", "other"]),
    st.one_of(st.lists(st.dictionaries(st.sampled_from(FIELDS), values, max_size=8), max_size=4), values),
    max_size=4,
)


def _as_yaml(document) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True).encode("utf-8")


def _as_json(document) -> bytes:
    return json.dumps(document).encode("utf-8")


files = st.one_of(
    documents.map(_as_yaml).map(lambda b: ("records.yaml", b)),
    documents.map(_as_json).map(lambda b: ("records.json", b)),
    st.binary(max_size=400).map(lambda b: ("records.yaml", b)),
    st.binary(max_size=400).map(lambda b: ("records.json", b)),
    st.text(alphabet="[]{}:-,?&*!|>'\"\n #abc01", max_size=400).map(lambda t: ("records.yaml", t.encode("utf-8"))),
)


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(files)
def test_the_loader_only_ever_reports_problems(named):
    name, content = named
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        shutil.copy(ROOT / "data" / "styles.yaml", data / "styles.yaml")
        (data / name).write_bytes(content)
        catalogue, problems = load_catalogue(data, seeds_dir=None)
    assert all(isinstance(p, Problem) for p in problems)
    assert all(len(p.message) < 2000 for p in problems)
    for problem in problems:
        str(problem)
