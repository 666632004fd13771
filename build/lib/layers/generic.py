"""Any other layer a data folder defines (e.g. the MME import's exercise layers)."""

from __future__ import annotations

from layers import base


def build(marks, style, index, app) -> base.RecordLayer:
    """A layer with no module of its own: drawn like every other, styled from ``styles.yaml``."""
    return base.build(marks, style, index, app)
