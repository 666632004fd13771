"""Write a valid data folder of N synthetic events, shaped like the MME data set.

    python benchmarks/synthetic.py --records 10000 --out /tmp/syn-10k [--seed 1]

Benchmarks need folders far larger than ``data/``; this makes them, the same
folder for the same (N, seed). Proportions follow the Multinational Military
Exercises data set v7 (``shared/data/mme_v7.csv``): the distribution of
participants per exercise below was counted from its State columns (3,707
rows, 13,887 non-empty entries, 3.75 per exercise), and the layer mix from its
Warfighting / Peacekeeping / Humanitarian flags.

Places lie inside real countries: a random point in the country's Natural
Earth outline (the same outlines the loader checks against), else the
outline's representative point. Record files are JSON, which the loader reads
with the json module; ``styles.yaml`` stays YAML like the shipped one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Participants per exercise in MME v7: {count: number of exercises}.
MME_PARTICIPANT_COUNTS = {
    1: 91, 2: 2208, 3: 361, 4: 174, 5: 217, 6: 152, 7: 84, 8: 83, 9: 81, 10: 53,
    11: 42, 12: 39, 13: 25, 14: 14, 15: 12, 16: 19, 17: 6, 18: 9, 19: 7, 20: 4,
    21: 3, 22: 5, 23: 3, 24: 2, 25: 2, 26: 2, 27: 2, 28: 1, 30: 1, 31: 1, 33: 1,
    37: 2, 39: 1,
}  # fmt: skip

# Layer of an event, weighted like MME's mission flags (warfighting dominates).
LAYERS = [
    # key, label, colour, symbol, order, weight
    ("warfighting", "Warfighting", "#d62728", "circle", 1, 0.80),
    ("peacekeeping", "Peacekeeping", "#1f77b4", "square", 2, 0.08),
    ("humanitarian", "Humanitarian", "#2ca02c", "diamond", 3, 0.08),
    ("other", "Other", "#7f7f7f", "triangle", 4, 0.04),
]

LINK_KINDS = ["bilateral cooperation", "strategic partnership", "partnership programme", "dialogue format"]

MAX_PLACES = 5000  # K = N/5, capped: MME itself has about 1,500 distinct locations
SOURCE_ID = "synthetic"


def _countries():
    """Alpha-3 code -> outline, for codes the loader accepts, in code order."""
    from mongolmap.geo import countries

    shapes = countries.country_shapes()
    return {code: shapes[code] for code in sorted(shapes) if countries.is_country_code(code)}


def _point_in(shape, rng: random.Random, tries: int = 8) -> tuple[float, float]:
    """A random (lon, lat) inside ``shape``: rejection sampling in its bounding box."""
    import numpy as np
    import shapely

    x0, y0, x1, y1 = shape.bounds
    for _ in range(tries):
        xs = np.array([rng.uniform(x0, x1) for _ in range(32)])
        ys = np.array([rng.uniform(y0, y1) for _ in range(32)])
        hits = np.flatnonzero(shapely.contains_xy(shape, xs, ys))
        if hits.size:
            return float(xs[hits[0]]), float(ys[hits[0]])
    point = shape.representative_point()
    return point.x, point.y


def _date_text(day: dt.date, precision: str) -> str:
    return {"year": f"{day.year}", "month": f"{day.year}-{day.month:02d}"}.get(precision, day.isoformat())


def make_records(n_records: int, seed: int = 1) -> dict[str, dict]:
    """The record files of a synthetic folder: file name -> JSON document."""
    rng = random.Random(seed)
    outlines = _countries()
    codes = list(outlines)

    n_places = max(1, min(MAX_PLACES, n_records // 5))
    places, by_country = [], {}
    for i in range(n_places):
        # Cycle through the countries first so small folders still cover the world.
        code = codes[i] if i < len(codes) else rng.choice(codes)
        lon, lat = _point_in(outlines[code], rng)
        place_id = f"p{i:05d}"
        places.append(
            {
                "id": place_id,
                "name": f"Place {i} ({code})",
                "country": code,
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "precision": rng.choice(("city", "region")),
            }
        )
        by_country.setdefault(code, place_id)

    actors = [
        {"id": f"c-{code.lower()}", "kind": "country", "name": f"Country {code}", "country": code, "place": place}
        for code, place in sorted(by_country.items())
    ]
    actor_ids = [a["id"] for a in actors]
    place_ids = [p["id"] for p in places]

    counts, count_weights = zip(*MME_PARTICIPANT_COUNTS.items())
    layer_keys = [layer[0] for layer in LAYERS]
    layer_weights = [layer[5] for layer in LAYERS]
    first, span_days = dt.date(1980, 1, 1), (dt.date(2024, 12, 31) - dt.date(1980, 1, 1)).days

    events = []
    for i in range(n_records):
        start = first + dt.timedelta(days=rng.randrange(span_days + 1))
        precision = rng.choices(("year", "month", "day"), weights=(0.15, 0.35, 0.50))[0]
        n_parts = min(rng.choices(counts, weights=count_weights)[0], len(actor_ids))
        event = {
            "id": f"ex{i:06d}",
            "kind": "exercise",
            "title": f"Exercise {i}",
            "start": _date_text(start, precision),
            "places": [rng.choice(place_ids)],
            "participants": sorted(rng.sample(actor_ids, n_parts)),
            "layer": rng.choices(layer_keys, weights=layer_weights)[0],
            "citations": [{"source": SOURCE_ID, "ref": f"syn{i}"}],
        }
        if rng.random() < 0.7:
            end = start + dt.timedelta(days=rng.randrange(1, 30))
            event["end"] = _date_text(end, precision)
        events.append(event)

    links = []
    for i in range(max(1, n_records // 20) if len(actor_ids) > 1 else 0):
        a, b = rng.sample(actor_ids, 2)
        link = {
            "id": f"ln{i:06d}",
            "kind": rng.choice(LINK_KINDS),
            "title": f"Partnership {i}",
            "a": a,
            "b": b,
            "layer": rng.choices(layer_keys, weights=layer_weights)[0],
            "citations": [{"source": SOURCE_ID, "ref": f"synlink{i}"}],
        }
        if rng.random() < 0.6:
            link["since"] = str(rng.randrange(1980, 2025))
        links.append(link)

    source = {
        "id": SOURCE_ID,
        "kind": "dataset",
        "title": "Synthetic benchmark records",
        "note": f"benchmarks/synthetic.py --records {n_records} --seed {seed}",
    }
    return {
        "sources.json": {"sources": [source]},
        "places.json": {"places": places},
        "actors.json": {"actors": actors},
        "events.json": {"events": events},
        "links.json": {"links": links},
    }


def styles_yaml() -> str:
    """The layer table, one entry per synthetic layer, no participant arcs."""
    lines = ["# Synthetic benchmark layers (benchmarks/synthetic.py).", "layers:"]
    for key, label, colour, symbol, order, _ in LAYERS:
        lines += [
            f"  - key: {key}",
            f"    label: {label}",
            f'    colour: "{colour}"',
            f"    symbol: {symbol}",
            f"    order: {order}",
            "    participant_arcs: false",
        ]
    return "\n".join(lines) + "\n"


def write_folder(n_records: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Write the folder (replacing earlier synthetic files) and return record counts."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("*.json"), *out.glob("*.yaml"), *out.glob("*.yml")]:
        stale.unlink()
    files = make_records(n_records, seed)
    for name, document in files.items():
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        (out / name).write_text(text + "\n", encoding="utf-8")
    (out / "styles.yaml").write_text(styles_yaml(), encoding="utf-8")
    return {section: len(doc[section]) for doc in files.values() for section in doc}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, required=True, help="number of events")
    parser.add_argument("--out", type=Path, required=True, help="data folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.records < 1:
        parser.error("--records must be at least 1")
    counts = write_folder(args.records, args.out, args.seed)
    print(f"wrote {args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
