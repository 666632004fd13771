"""Map layers: one module per layer, each turning its records' marks into a folium layer.

``module_for(key)`` finds a layer's module; layers a data folder defines
without a module of their own (an imported data set's) use ``generic``.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _import_folium_without_pandas() -> None:
    """Import folium without letting it import pandas.

    folium imports pandas when it is installed (geopandas installs it) only
    to accept DataFrames as marker locations, which no layer here passes;
    that import is about 0.12 s of every build. An entry of None in
    ``sys.modules`` makes ``import pandas`` fail inside folium's
    ``try``/``except ImportError``, and is removed at once, so anything
    importing pandas later (geopandas for an export) gets it as usual.
    """
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        import folium  # noqa: F401
    finally:
        del sys.modules["pandas"]


_import_folium_without_pandas()


def module_for(key: str) -> ModuleType:
    from layers import alaska, diplomacy, generic, khaan_quest, nato, neighbours, us_bilateral

    modules = {
        m.KEY: m for m in (khaan_quest, alaska, nato, neighbours, us_bilateral, diplomacy)
    }
    return modules.get(key, generic)
