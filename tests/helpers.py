"""Helpers the test modules share (``from tests.helpers import ...``; tests/conftest.py
puts the project root on ``sys.path``)."""

from __future__ import annotations


def line_of(text: str, *markers: str) -> int:
    """1-based line of the last marker, each marker searched for after the line of the one before."""
    lines = text.splitlines()
    start = 0
    for marker in markers:
        found = [n for n in range(start, len(lines)) if marker in lines[n]]
        assert found, f"text has no line containing {marker!r} after line {start}"
        start = found[0]
    return start + 1


def edit(text: str, old: str, new: str) -> str:
    """Replace the first occurrence of old, insisting it is there."""
    assert old in text, f"fixture has no {old!r}"
    return text.replace(old, new, 1)


# A record file citing one seed article: .format(seed=file name, quote=a quote line or "").
SEED_RECORDS = """\
sources:
  - id: seed-src
    kind: article
    title: A seed article
    seed: {seed}
events:
  - id: seed-visit
    kind: meeting
    title: Ministers met
    start: "2024-02"
    places: [ulaanbaatar]
    layer: us_bilateral
    citations:
      - source: seed-src
{quote}"""
