"""Every speed trick the build keeps, and what each buys.

Each was measured at 100,000 records (``benchmarks/synthetic.py --records
100000 --seed 1``, map-only build), with and without it, on a shared 2-CPU
machine; figures are CPU seconds (user + sys) of the build process, medians
of three alternating runs, or best of three in-process timings. A trick stays
only when it buys 5 % of the build or more. Rows after the first seven
(issue 11's tricks): medians of five alternating runs of ``/usr/bin/time`` on
the whole build, with the median of the paired differences; a trick stays
when it buys 3 % or more.

=============================================  ==========================  =======
trick                                          measured                    verdict
=============================================  ==========================  =======
:func:`batch_gc`: no cyclic GC during a build  12.67 s without, 8.79 with  kept
:func:`memo` on date precision, labels, years  0.62 s without, 0.41 with   kept
                                               (of a ~3 s build: 7 %)
``os._exit`` skipping interpreter teardown     8.32 s without, 8.79 with   dropped
                                               (no gain beyond noise)
folium imported with pandas hidden, for the    0.27 s of 8.8 s (3 %) on    kept
command line only                              11 Nov: dropped. Again on
(:func:`import_folium_without_pandas`)         24 Nov, 4 alternating runs:
                                               CPU 10.36 s without, 9.39
                                               with (paired -0.80 to -1.59
                                               s, median -1.03 s, -10 %);
                                               peak 656 to 606 MB
dates checked by one regular expression,       loading, in process, 5      kept
run in Rust by pydantic-core, not by a         alternating runs: median
Python validator per date (``geo.models``      2.57 s without, 2.19 s
``PARTIAL_DATE``; messages: ``geo.dates``)     with (paired median -0.53
                                               s, about -5 % of a build)
arcs drawn together: their lengths in one      ``build_marks`` in          kept
geodesic call, their lines in one shapely      process: 0.94-1.17 s
call (``geo.geometry.arc_lines``)              before, 0.57-0.65 s after
                                               (about -5 % of a build)
tables in a forked process beside the page     map-only: wall -0.4 s, but  dropped
(the partners CSV, the GeoJSON files), 24 Nov  +0.5 s of system time
                                               (copy-on-write of the
                                               loaded records); full
                                               build: no gain, peak +120
                                               MB
``list.__getitem__`` as sort and map keys      7.37 s without, 8.79 with   dropped
                                               (no gain beyond noise)
one numpy pass over every display line and     0.61 s without, 0.35 with   kept
both seams' cuts (``layers.wire``, 23 Nov)     (wire_data + encode: 2.46
                                               s without, 2.20 with, 10 %)
``Catalogue.spans``, a cache on the mutable    replaced by :func:`memo` on no longer
catalogue keyed on record ids                  date texts, which cannot    used
                                               go stale
repeated JSON keys found by counting: keys     the check 0.50 s without,   kept
in the text against the fields pydantic was    0.14 with; build 10.38 s
given, the json module parsing again only      without, 9.08 with (paired
where the count cannot tell (``geo.load``)     -1.02 s, -10 %)
partners counted as numpy columns, grouped     partners_by_year 1.4 s
by one sort, years once per date text          without, 0.7 with; build
(``geo.partners.partners_by_year``)            13.68 s without, 12.69
                                               with (paired -0.92 s, -7 %)
:func:`run_and_exit`: the collector off to     11 alternating runs: 11.12
the end of a command-line run, then            s without, 10.74 with
``gc.freeze`` so shutdown does not walk what   (paired -0.96 s, -9 %; 8 of
is left (the pass after ``gc.enable`` cost     11 pairs lower). In-process:
0.20 s; shutdown 0.5-0.75 s, 0.1 frozen)       shutdown 0.46-0.50 s without
                                               freeze, 0.12-0.16 with
=============================================  ==========================  =======

The three tricks of 23 Nov together (commit ``2760ec1`` against the branch
``speed``, 100,000 records, map-only, 7 alternating runs, load 4-6): 13.42 s
before, 11.45 s after (paired differences -1.31 to -3.86 s, median -1.87 s,
-14 %), every output byte-identical.

``geo.load``'s cache of the sorted records (``Catalogue.records``) belongs to
loading and is measured there.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import NoReturn

# Dates repeat (a data set of 100,000 records has a few thousand distinct
# dates): functions of a date's text are computed once per text.
memo = lru_cache(maxsize=65536)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for one batch run.

    Loading 100,000 records allocates a few million objects that all live until
    the end; each automatic collection would walk all of them again. Reference
    counting still frees what is dropped; the collector runs again on the way
    out, if it ran before (:func:`run_and_exit` keeps it off).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_and_exit(main: Callable[[], int]) -> NoReturn:
    """Run a command line's ``main`` and end the process with its exit code,
    without the collector's passes over what is left.

    The collector stays off to the end (re-enabled after a build, its first
    automatic pass walked every surviving object), and what is left is frozen
    (``gc.freeze``), so the interpreter's shutdown does not walk it again.
    Reference counting frees as before; only cycles left at the very end are
    not collected, and the process ends there. Never for ``main`` called in a
    longer-lived process (the tests): frozen objects are never collected.
    """
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


def import_folium_without_pandas() -> None:
    """Import folium in a process that will not hand it a pandas DataFrame.

    folium imports pandas only to accept DataFrames as coordinates, and goes
    without when pandas is missing (``folium.utilities``: ``pd = None``). A
    command-line build never gives it one, so pandas is hidden while folium is
    imported and importable again afterwards (a GeoPackage export imports it
    through geopandas). Only for a command line: in a notebook, folium would
    refuse the reader's own DataFrames.
    """
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # import pandas raises ImportError
    try:
        import folium  # noqa: F401
    finally:
        del sys.modules["pandas"]
