"""Neighbour relations: Russia and China shaded as the neighbours
(``shade_countries`` in ``data/styles.yaml``), the partnerships and exercises
with them, and the SCO.
"""

from __future__ import annotations

from layers import base

KEY = "neighbours"


def build(marks, style, index, app) -> base.RecordLayer:
    """This layer's marks, drawn and styled from ``styles.yaml``."""
    return base.build(marks, style, index, app)
