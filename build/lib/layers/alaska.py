"""Alaska training: Fort Wainwright and the Arctic training that Mongolian
delegations attend, with the place names sources report (a place's ``aliases``),
and the Mongolia–Alaska National Guard partnership drawn as a link.
"""

from __future__ import annotations

from layers import base

KEY = "alaska"


def build(marks, style, index, app) -> base.RecordLayer:
    """This layer's marks, drawn and styled from ``styles.yaml``."""
    return base.build(marks, style, index, app)
