"""The outline base map's names: Natural Earth's, one per outline, at a point
inside the country, largest first; and the build option that opens on tiles."""

from __future__ import annotations

import json

import pytest
import shapely

from build_map import main as build_main
from mongolmap.geo.countries import COUNTRIES_110M, natural_earth_names
from mongolmap.geo.geometry import simplified_world
from mongolmap.layers.units import basemap_labels


def test_every_outline_is_named_as_natural_earth_names_it():
    topojson = json.loads(COUNTRIES_110M.read_text(encoding="utf-8"))
    written = {g["properties"]["name"] for g in topojson["objects"]["countries"]["geometries"]}
    labels = basemap_labels()
    names = [row[0] for row in labels]
    assert len(names) == len(set(names)) == len(simplified_world())
    assert set(names) <= written
    # The outlines merged on the UN's boundaries (geo/countries.py) keep the member state's name.
    assert {"N. Cyprus", "Somaliland"} & set(names) == set()
    assert {"Dem. Rep. Congo", "Bosnia and Herz.", "Kosovo", "Mongolia"} <= set(names)
    assert natural_earth_names()["MNG"] == "Mongolia"


def test_each_name_sits_inside_its_country_largest_first():
    shapes = dict(simplified_world())
    by_name = {natural_earth_names()[code]: shape for code, shape in shapes.items()}
    labels = basemap_labels()
    for name, lon, lat, _size in labels:
        assert by_name[name].buffer(0.01).contains(shapely.Point(lon, lat)), name
    sizes = [row[3] for row in labels]
    assert sizes == sorted(sizes, reverse=True)
    assert [row[0] for row in labels[:3]] == ["Russia", "Canada", "Greenland"]


def test_the_tiles_option_is_explained_and_opens_the_page_on_tiles(tmp_path, capsys):
    with pytest.raises(SystemExit):
        build_main(["build", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--tiles open the map on OpenStreetMap tiles instead of the offline country outlines" in help_text
    out = tmp_path / "tiles"
    assert build_main(["--data", "data", "--out", str(out), "--no-seeds", "--no-geojson", "--tiles"]) == 0
    page = (out / "map.html").read_text(encoding="utf-8")
    assert 'default: "tiles"' in page
    default = tmp_path / "default"
    assert build_main(["--data", "data", "--out", str(default), "--no-seeds", "--no-geojson"]) == 0
    assert 'default: "outlines"' in (default / "map.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("seam", [-30.0, -180.0])
def test_labels_are_the_same_every_time(seam):
    basemap_labels.cache_clear()
    first = basemap_labels(seam)
    basemap_labels.cache_clear()
    assert basemap_labels(seam) == first
