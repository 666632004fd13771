"""Time the analysts' outputs for one data folder: the records frame, GeoParquet, the partners table.

    python benchmarks/analyst_outputs.py [--data DIR]     # default: data/

Prints, for each step, wall and CPU time (CPU time is steadier on a shared machine), bytes written where there are any, and the
peak memory of the process so far. Loading is timed too but is not part of the
steps (the build has the catalogue already). Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)

    import geopandas  # noqa: F401 - imports timed apart from the steps
    import pyarrow  # noqa: F401

    from mongolmap.geo.features import build_marks
    from mongolmap.geo.frames import parquet_bytes, partners_frame, records_frame
    from mongolmap.geo.load import load_or_raise
    from mongolmap.geo.partners import partners_csv

    start = time.perf_counter()
    catalogue = load_or_raise(args.data, seeds_dir=None)
    marks = build_marks(catalogue)
    records = len(catalogue.events) + len(catalogue.links)
    print(f"{args.data}: {records} records, {len(marks)} marks; load and marks {time.perf_counter() - start:.2f} s")

    def step(name, make, size=None):
        start, cpu = time.perf_counter(), time.process_time()
        result = make()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        extra = f", {size(result) / 1e6:.2f} MB" if size else ""
        print(f"  {name:<28} {seconds:7.2f} s ({cpu:.2f} s CPU){extra}, peak {peak_mb():.0f} MB")
        return result

    frame = step("records_frame", lambda: records_frame(catalogue, marks=marks))
    print(f"  ({len(frame)} rows, {len(frame.columns)} columns)")
    step("GeoParquet bytes", lambda: parquet_bytes(frame), len)
    step("partners_csv", lambda: partners_csv(catalogue), len)
    step("partners_frame", lambda: partners_frame(catalogue))
    return 0


if __name__ == "__main__":
    sys.exit(main())
