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


@cache
def country_names() -> dict[str, str]:
    """Every alpha-3 code we accept, current (ISO 3166-1) and former (ISO 3166-3)."""
    names = {c.alpha_3: getattr(c, "common_name", c.name) for c in pycountry.countries}
    for former in pycountry.historic_countries:
        names.setdefault(former.alpha_3, former.name)
    names.update(EXTRA_CODES)
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
    code (Northern Cyprus, Somaliland, Kosovo) are keyed by name. This is how
    the shipped ``.npz`` outlines are derived (:func:`derive_outlines`); builds
    read those, which skips importing pyogrio, geopandas and pandas.
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


def derived_path(path: Path) -> Path:
    return path.with_suffix(".npz")


def derive_outlines(path: Path) -> Path:
    """Write :func:`read_topojson`'s outlines beside the TopoJSON as ``.npz``:
    shapely's ragged arrays (coordinates and offsets, float64, so exactly the
    same shapes) plus the codes and which shapes are single polygons.
    ``make outlines`` runs this; a test checks the shipped files against it."""
    shapes = read_topojson(path)
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
    """Country outlines keyed by alpha-3 code (see :func:`read_topojson`), read
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
