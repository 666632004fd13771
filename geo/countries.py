"""Country codes and shapes: ISO 3166 through pycountry, outlines from Natural Earth.

The outlines ship in ``geo/naturalearth/`` (see PROVENANCE.md there): nothing is
downloaded at build time.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path

import numpy as np
import pycountry
import shapely
import shapely.affinity
from shapely.geometry.base import BaseGeometry

NATURAL_EARTH = Path(__file__).parent / "naturalearth"
COUNTRIES_50M = NATURAL_EARTH / "countries-50m.json"
COUNTRIES_110M = NATURAL_EARTH / "countries-110m.json"

# Codes in use that ISO 3166 has not assigned: Kosovo's user-assigned code.
EXTRA_CODES = {"XKX": "Kosovo"}

# Degrees of slack for points on coasts and borders: 1:50m outlines are coarse.
COAST_TOLERANCE_DEG = 0.3

# Disputed territory: borders as the UN recognises them (docs/methodology.md,
# "Disputed territory"). Natural Earth draws who controls the ground; these are
# the cases where that differs from the boundary the UN recognises, each
# derived from the shipped outlines themselves (:func:`un_boundaries`).
# Crimea: every polygon of Russia's outline inside this lon/lat box (the
# peninsula, Sevastopol included; mainland Russia is not inside it) is Ukraine's
# (UN General Assembly resolution 68/262).
CRIMEA_BOX_LONLAT = (32.0, 44.0, 36.7, 46.3)
# Outlines Natural Earth draws apart, keyed by name, that the UN counts as part of a member state.
MERGED_INTO = {"N. Cyprus": "CYP", "Somaliland": "SOM"}


@cache
def country_names() -> dict[str, str]:
    """Every alpha-3 code we accept, current (ISO 3166-1) and former (ISO 3166-3)."""
    names = {c.alpha_3: getattr(c, "common_name", c.name) for c in pycountry.countries}
    for former in pycountry.historic_countries:
        names.setdefault(former.alpha_3, former.name)
    names.update(EXTRA_CODES)
    return names


@cache
def natural_earth_names(path: Path = COUNTRIES_110M) -> dict[str, str]:
    """Country names as Natural Earth writes them for a map ('Dem. Rep. Congo',
    'Bosnia and Herz.'), keyed as :func:`read_topojson` keys the outlines; read
    from the TopoJSON's ``name`` properties with the standard library."""
    import json

    geometries = json.loads(path.read_text(encoding="utf-8"))["objects"]["countries"]["geometries"]
    names = {}
    for geometry in geometries:
        name = geometry["properties"]["name"]
        names[_numeric_to_alpha3(geometry.get("id")) or name] = name
    return names


def is_country_code(code: str) -> bool:
    return code in country_names()


def suggest_country_code(code: str) -> str:
    """A 'did you mean' hint for a misspelled code, by code or by name."""
    names = country_names()
    by_name = {name.lower(): alpha3 for alpha3, name in names.items()}
    close = difflib.get_close_matches(code.lower(), list(by_name), n=1, cutoff=0.75)
    if close:
        return f"; did you mean {by_name[close[0]]} ({close[0].title()})?"
    close = difflib.get_close_matches(code.upper(), list(names), n=3, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(f"{c} ({names[c]})" for c in close) + "?"
    return ""


def _numeric_to_alpha3(numeric: object) -> str | None:
    if numeric is None:
        return None
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_3 if country else None


def read_topojson(path: Path) -> dict[str, BaseGeometry]:
    """Country outlines keyed by alpha-3 code, read from a world-atlas TopoJSON file.

    world-atlas keys countries by ISO 3166-1 numeric code; features without a
    code (Northern Cyprus, Somaliland, Kosovo) are keyed by name. These are
    Natural Earth's de facto outlines; :func:`derive_shapes` redraws them on the
    boundaries the UN recognises, and :func:`derive_outlines` stores that as the
    shipped ``.npz``. Builds read those, which skips importing pyogrio,
    geopandas and pandas.
    """
    import pyogrio

    frame = pyogrio.read_dataframe(path, layer="countries")
    shapes: dict[str, BaseGeometry] = {}
    for numeric, name, geom in zip(frame["id"], frame["name"], frame.geometry, strict=True):
        key = _numeric_to_alpha3(numeric) or name
        if key == "ATA":
            continue  # polar: no record is placed there, and it cannot be cut at ±180 cleanly
        geom = _cut_at_antimeridian(geom)
        shapes[key] = shapely.union(shapes[key], geom) if key in shapes else geom
    return dict(sorted(shapes.items()))


def un_boundaries(shapes: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """Natural Earth's de facto outlines redrawn on the boundaries the UN recognises.

    - Crimea: the polygons of Russia's outline inside :data:`CRIMEA_BOX_LONLAT`
      join Ukraine's (they share the border arc on the Perekop isthmus, so the
      union is clean).
    - Western Sahara: the part of Morocco's outline south of Western Sahara's
      northern edge (the 27°40' N parallel, drawn at 27.657° N) joins Western
      Sahara, a Non-Self-Governing Territory on the UN's list; Natural Earth
      gives Morocco the part west of the berm.
    - Northern Cyprus and Somaliland (:data:`MERGED_INTO`) join Cyprus and Somalia.

    Everything else is kept as drawn; ``docs/methodology.md`` lists the cases
    looked at. Pure and deterministic: the same outlines give the same shapes.

    Examples
    --------
    >>> shapes = un_boundaries(read_topojson(COUNTRIES_110M))
    >>> [code for code in ("RUS", "UKR") if shapes[code].contains(shapely.Point(33.52, 44.6))]
    ['UKR']
    """
    shapes = dict(shapes)
    crimea_box = shapely.box(*CRIMEA_BOX_LONLAT)
    russia = list(getattr(shapes["RUS"], "geoms", [shapes["RUS"]]))
    crimea = [part for part in russia if part.within(crimea_box)]
    if not crimea:
        raise ValueError("no polygon of Russia's outline lies in the Crimea box: check CRIMEA_BOX_LONLAT")
    rest = [part for part in russia if not part.within(crimea_box)]
    shapes["RUS"] = rest[0] if len(rest) == 1 else shapely.MultiPolygon(rest)
    shapes["UKR"] = shapely.union_all([shapes["UKR"], *crimea])

    north_edge = shapes["ESH"].bounds[3]
    west, south, east, north = shapes["MAR"].bounds
    shapes["ESH"] = shapely.union(shapes["ESH"], shapely.clip_by_rect(shapes["MAR"], west, south, east, north_edge))
    shapes["MAR"] = shapely.clip_by_rect(shapes["MAR"], west, north_edge, east, north)

    for name, code in MERGED_INTO.items():
        shapes[code] = shapely.union(shapes[code], shapes.pop(name))
    return {code: _polygonal(shape) for code, shape in sorted(shapes.items())}


def _polygonal(shape: BaseGeometry) -> BaseGeometry:
    """A Polygon or MultiPolygon: clipping can leave a GeometryCollection with slivers of line."""
    if shape.geom_type in ("Polygon", "MultiPolygon"):
        return shape
    polygons = [p for p in getattr(shape, "geoms", []) if p.geom_type == "Polygon" and not p.is_empty]
    polygons += [q for p in getattr(shape, "geoms", []) if p.geom_type == "MultiPolygon" for q in p.geoms]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def derive_shapes(path: Path) -> dict[str, BaseGeometry]:
    """The outlines a build uses: the TopoJSON's (:func:`read_topojson`) on the
    boundaries the UN recognises (:func:`un_boundaries`)."""
    return un_boundaries(read_topojson(path))


def derived_path(path: Path) -> Path:
    return path.with_suffix(".npz")


def derive_outlines(path: Path) -> Path:
    """Write :func:`derive_shapes`' outlines beside the TopoJSON as ``.npz``:
    shapely's ragged arrays (coordinates and offsets, float64, so exactly the
    same shapes) plus the codes and which shapes are single polygons.
    ``make outlines`` runs this; a test checks the shipped files against it."""
    shapes = derive_shapes(path)
    kind, coords, offsets = shapely.to_ragged_array(list(shapes.values()))
    assert kind == shapely.GeometryType.MULTIPOLYGON, kind
    out = derived_path(path)
    with out.open("wb") as handle:
        np.savez_compressed(
            handle,
            codes=np.array(list(shapes), dtype=str),
            single=np.array([g.geom_type == "Polygon" for g in shapes.values()]),
            coords=coords,
            **{f"offsets{i}": o for i, o in enumerate(offsets)},
        )
    return out


@cache
def country_shapes(path: Path = COUNTRIES_50M) -> dict[str, BaseGeometry]:
    """Country outlines keyed by alpha-3 code (see :func:`derive_shapes`), read
    from the ``.npz`` derived from the TopoJSON at ``path``, and prepared."""
    with np.load(derived_path(path), allow_pickle=False) as data:
        offsets = tuple(data[f"offsets{i}"] for i in range(3))
        geoms = shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, data["coords"], offsets)
        codes, single = data["codes"].tolist(), data["single"].tolist()
    shapes = {code: g.geoms[0] if one else g for code, g, one in zip(codes, geoms, single, strict=True)}
    for geom in shapes.values():
        shapely.prepare(geom)
    return shapes


def _cut_at_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """world-atlas stitches Russia and Fiji across ±180 into rings that span the
    globe when read as plain lon/lat; cut them there (RFC 7946 §3.1.9).

    A ring that crosses is unwrapped east (x + 360 where x < 0) and clipped at
    180 into its two halves. The antimeridian package does the same job for any
    shape (and the tests check this against it), but its ring walk in Python
    cost 0.3 s per process on Russia's 1:50m outline; this costs milliseconds.
    """
    parts = []
    for part in getattr(geom, "geoms", [geom]):
        x0, _, x1, _ = part.bounds
        if x1 - x0 <= 180:
            parts.append(part)
            continue
        east = shapely.transform(part, lambda c: np.where(c[:, :1] < 0, c + [360.0, 0.0], c))
        west_half = shapely.clip_by_rect(east, -180.0, -90.0, 180.0, 90.0)
        east_half = shapely.affinity.translate(shapely.clip_by_rect(east, 180.0, -90.0, 540.0, 90.0), -360.0)
        for half in (west_half, east_half):
            parts.extend(p for p in getattr(half, "geoms", [half]) if p.geom_type == "Polygon" and not p.is_empty)
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def point_in_country(code: str, lon: float, lat: float, tolerance_deg: float) -> bool | None:
    """Whether (lon, lat) lies in the country, within a tolerance; None when no shape."""
    shape = country_shapes().get(code)
    if shape is None:
        return None
    point = shapely.Point(lon, lat)
    if shape.contains(point):
        return True
    return bool(shapely.dwithin(shape, point, tolerance_deg))


def country_at(lon: float, lat: float) -> str | None:
    """The country whose outline holds (lon, lat), if any."""
    point = shapely.Point(lon, lat)
    for code, shape in country_shapes().items():
        if shape.contains(point):
            return code
    return None


if __name__ == "__main__":
    for topojson in (COUNTRIES_50M, COUNTRIES_110M):
        print(f"wrote {derive_outlines(topojson)}")
