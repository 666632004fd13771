"""NATO links: Mongolia–NATO (headquarters in Brussels), the 2014 Wales summit,
the partnership programme, the Interoperability Platform and DEEP.

Where an article's wording differs from NATO's own ("global partner"), the
citation's note says so and the popup shows it.
"""

from __future__ import annotations

from layers import base

KEY = "nato"


def build(marks, style, index, app) -> base.RecordLayer:
    """This layer's marks, drawn and styled from ``styles.yaml``."""
    return base.build(marks, style, index, app)
