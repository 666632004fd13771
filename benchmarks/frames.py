"""The events as most users would tabulate them: what both peers are given.

Both contrasts (``explore_page.py``, ``lonboard_page.py``) read the record
files as plain YAML/JSON (no validation) and draw one point per event at its
first place, with title, dates, layer and participants as columns, so they
draw the same features from the same frame.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas
import yaml


def read_sections(data_dir: Path) -> dict[str, list[dict]]:
    """Every record of every file, by section, read without validation."""
    sections: dict[str, list[dict]] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted([*data_dir.glob("*.yaml"), *data_dir.glob("*.yml"), *data_dir.glob("*.json")]):
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=loader)  # noqa: S506
        for section, items in (document or {}).items():
            sections.setdefault(section, []).extend(items or [])
    return sections


def event_frame(sections: dict[str, list[dict]]) -> geopandas.GeoDataFrame:
    """One row per event, a point at its first place."""
    places = {p["id"]: p for p in sections.get("places", [])}
    rows, lons, lats = [], [], []
    for event in sections.get("events", []):
        place = places[event["places"][0]]
        lons.append(place["lon"])
        lats.append(place["lat"])
        rows.append(
            {
                "title": event["title"],
                "start": str(event["start"]),
                "end": str(event.get("end") or ""),
                "layer": event["layer"],
                "participants": ", ".join(event.get("participants", ())),
            }
        )
    return geopandas.GeoDataFrame(rows, geometry=geopandas.points_from_xy(lons, lats), crs="EPSG:4326")
