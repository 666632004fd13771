"""Element names that depend on the data, never on chance.

folium names every element ``<kind>_<random hex>`` (branca's
``Element._generate_id``), so two builds of the same data differ. While a
map is built inside :func:`deterministic_ids`, ids count up from zero
instead; our own layers take ids derived from their layer key.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from branca.element import Element


def slug_id(key: str) -> str:
    """A short, stable, JavaScript-safe suffix derived from a key.

    Examples
    --------
    >>> slug_id("khaan_quest")
    '6f92566bf9'
    >>> slug_id("khaan_quest") == slug_id("khaan_quest")
    True
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@contextmanager
def deterministic_ids() -> Iterator[None]:
    """Within this block, branca elements are numbered in creation order.

    ``Element._generate_id`` is a classmethod that branca >= 0.8.2 lets
    subclasses override; here it is replaced for the duration of one build
    and restored afterwards (also on error).
    """
    counter = itertools.count()
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):04d}")
    try:
        yield
    finally:
        Element._generate_id = original
