"""US bilateral: the Mongolia–United States defence track: visits, the Bilateral
Advisory Council, the Strategic Dialogue, transfers and awards.
"""

from __future__ import annotations

from layers import base

KEY = "us_bilateral"


def build(marks, style, index, app) -> base.RecordLayer:
    """This layer's marks, drawn and styled from ``styles.yaml``."""
    return base.build(marks, style, index, app)
