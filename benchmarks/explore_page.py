"""The contrast: the same events through geopandas' ``GeoDataFrame.explore()``.

    python benchmarks/explore_page.py DATA_DIR OUT.html

What most users would write: read the record files as plain YAML/JSON (no
validation), one point per event at its first place, with title, dates,
layer and participants as columns, then ``gdf.explore(column="layer")`` and
``.save()``. Prints one JSON line of in-process timings; the parent
(``run.py``) times the whole process.
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import json  # noqa: E402 - imports are timed
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import geopandas  # noqa: E402, F401
from frames import event_frame, read_sections  # noqa: E402

# What explore() imports lazily, imported here so "after imports" is the work itself.
import branca  # noqa: E402, F401
import folium  # noqa: E402, F401
import mapclassify  # noqa: E402, F401
import matplotlib.pyplot  # noqa: E402, F401
import xyzservices  # noqa: E402, F401

T_IMPORTS = time.perf_counter()


def main(argv: list[str]) -> int:
    data_dir, out = Path(argv[0]), Path(argv[1])
    sections = read_sections(data_dir)
    gdf = event_frame(sections)
    t_frame = time.perf_counter()
    gdf.explore(column="layer").save(str(out))
    t_end = time.perf_counter()
    print(
        json.dumps(
            {
                "features": len(gdf),
                "imports_s": T_IMPORTS - T_START,
                "after_imports_s": t_end - T_IMPORTS,
                "explore_save_s": t_end - t_frame,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
