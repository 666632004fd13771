"""Regional diplomacy: Mongolia as a venue and broker for regional security
dialogue (Japan–North Korea talks, offers to host the Six-Party talks, the
Community of Democracies).
"""

from __future__ import annotations

from layers import base

KEY = "diplomacy"


def build(marks, style, index, app) -> base.RecordLayer:
    """This layer's marks, drawn and styled from ``styles.yaml``."""
    return base.build(marks, style, index, app)
