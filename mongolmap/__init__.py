"""Mongolia's defence partnerships from Python: the records, the partners table, the map.

A small API for notebooks over the project's own modules. Load and validate a
data folder once, then take what you need from the catalogue::

    import mongolmap

    catalogue = mongolmap.load()              # the project's data/ folder
    frame = mongolmap.records(catalogue)      # geopandas.GeoDataFrame
    table = mongolmap.partners(catalogue)     # pandas.DataFrame
    fmap = mongolmap.folium_map(catalogue)    # folium.Map

Every function that selects records takes the export's filters: ``layers``
(layer keys, e.g. ``["khaan_quest"]``) and ``years`` (``(2005, 2015)`` or
``"2005-2015"``, records overlapping those years).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mongolmap.geo.load import DEFAULT_SEEDS, Catalogue, DataError, Problem, load_or_raise

if TYPE_CHECKING:
    import folium
    import geopandas
    import pandas

__all__ = ["Catalogue", "DataError", "Problem", "load", "records", "partners", "folium_map", "DATA_DIR"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"  # the project's records, in a checkout



def load(data_dir: str | Path = DATA_DIR, seeds_dir: str | Path | None = DEFAULT_SEEDS) -> Catalogue:
    """Read and validate a folder of record files.

    Parameters
    ----------
    data_dir : str or Path
        Folder of ``*.yaml`` (or ``*.json``) record files; by default the
        project's ``data/``.
    seeds_dir : str, Path or None
        Folder of the seed articles that quotes are checked against (default
        ``../shared/seeds``); None, or a folder that does not exist, skips
        that check.

    Returns
    -------
    Catalogue
        Every record by kind and id (``catalogue.events``, ``.links``,
        ``.actors``, ``.blocs``, ...).

    Raises
    ------
    DataError
        When anything is wrong; its message lists every problem with file,
        line, record and field, and ``err.problems`` holds them as data.
    """
    return load_or_raise(Path(data_dir), None if seeds_dir is None else Path(seeds_dir))


def _years(years: tuple[int, int] | str | None) -> tuple[int, int] | None:
    from mongolmap.geo.export import parse_years

    return parse_years(years) if isinstance(years, str) else years


def records(
    catalogue: Catalogue, layers: list[str] | None = None, years: tuple[int, int] | str | None = None
) -> geopandas.GeoDataFrame:
    """The records as a GeoDataFrame: one row per feature of the GeoJSON export.

    Parameters
    ----------
    catalogue : Catalogue
        From :func:`load`.
    layers : list of str, optional
        Only features of these layers.
    years : (int, int) or str, optional
        Only records overlapping these years, inclusive: ``(2005, 2015)`` or
        ``"2005-2015"``.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326. Columns: ``feature_id``, the GeoJSON properties (``id``,
        ``layer``, ``kind``, ``title``, ``start``, ``end``, ``date_precision``,
        ``participants``, ``citations``, ...), ``first_year``, ``last_year``.
        Dates are text in their own precision ('2014', '2023-08'), with
        ``date_precision`` a Categorical; years are nullable integers. A record
        drawn as several features (a place and participant arcs) has several
        rows: ``frame.drop_duplicates("id")`` keeps one per record.
    """
    from mongolmap.geo.frames import records_frame

    return records_frame(catalogue, layers, _years(years))


def partners(
    catalogue: Catalogue, layers: list[str] | None = None, years: tuple[int, int] | str | None = None
) -> pandas.DataFrame:
    """Mongolia's engagements by partner and year.

    Parameters
    ----------
    catalogue : Catalogue
        From :func:`load`.
    layers : list of str, optional
        Only records of these layers.
    years : (int, int) or str, optional
        Only these years, inclusive.

    Returns
    -------
    pandas.DataFrame
        One row per partner and year with records: ``partner`` (actor id),
        ``partner_name``, ``bloc`` (a Categorical in ``data/blocs.yaml``'s
        order), ``bloc_label``, ``year``, ``records``, ``record_ids``. An event
        counts for each partner that took part (observers do not), in every
        year it spans; a link counts in the year it began (its ``since``).
    """
    from mongolmap.geo.frames import partners_frame

    return partners_frame(catalogue, layers, _years(years))


def folium_map(catalogue: Catalogue, title: str | None = None) -> folium.Map:
    """The project's map as a ``folium.Map``: display it in a notebook, add layers to it.

    Parameters
    ----------
    catalogue : Catalogue
        From :func:`load`.
    title : str, optional
        The page title (default: the data's own).

    Returns
    -------
    folium.Map
        The same map ``build_map.py`` writes, every layer included.
    """
    from mongolmap.layers.page import make_map

    return make_map(catalogue, title)
