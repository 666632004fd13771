"""Map layers: one module per layer, each turning its records' marks into a folium layer.

``module_for(key)`` finds a layer's module; layers a data folder defines
without a module of their own (an imported data set's) use ``generic``.
"""

from __future__ import annotations

from types import ModuleType


def module_for(key: str) -> ModuleType:
    from layers import alaska, diplomacy, generic, khaan_quest, nato, neighbours, us_bilateral

    modules = {
        m.KEY: m for m in (khaan_quest, alaska, nato, neighbours, us_bilateral, diplomacy)
    }
    return modules.get(key, generic)
