"""The second peer: the same events through lonboard (deck.gl over Arrow).

    python benchmarks/lonboard_page.py DATA_DIR OUT.html

The same frame as ``explore_page.py`` (``frames.event_frame``), then what
lonboard's documentation shows: ``lonboard.viz(gdf)`` and ``Map.to_html``.
Prints one JSON line of in-process timings; the parent (``run.py``) times the
whole process.

lonboard's page loads require.js, the Jupyter widget manager, anywidget and
parquet-wasm from CDNs. ``run.py`` serves those files locally from npm
packages (``benchmarks/package.json``), as it serves explore()'s jQuery. One
change is made to the written page, after the timing: the Subresource
Integrity attribute on require.min.js is dropped, because cdnjs's minified
file is not on npm and we serve require.js 2.3.4 unminified in its place.
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import json  # noqa: E402 - imports are timed
import re  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import geopandas  # noqa: E402, F401
import lonboard  # noqa: E402
import pyarrow  # noqa: E402, F401 - lonboard's GeoDataFrame to Arrow
from frames import event_frame, read_sections  # noqa: E402

T_IMPORTS = time.perf_counter()

REQUIRE_SRI = re.compile(r'(<script src="[^"]*/require\.min\.js") integrity="[^"]*"')


def serveable(html: str) -> str:
    """The page with require.min.js's integrity attribute dropped (see the module doc)."""
    return REQUIRE_SRI.sub(r"\1", html, count=1)


def main(argv: list[str]) -> int:
    data_dir, out = Path(argv[0]), Path(argv[1])
    sections = read_sections(data_dir)
    gdf = event_frame(sections)
    t_frame = time.perf_counter()
    lonboard.viz(gdf).to_html(str(out))
    t_end = time.perf_counter()
    out.write_text(serveable(out.read_text(encoding="utf-8")), encoding="utf-8")
    print(
        json.dumps(
            {
                "features": len(gdf),
                "imports_s": T_IMPORTS - T_START,
                "after_imports_s": t_end - T_IMPORTS,
                "viz_to_html_s": t_end - t_frame,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
