"""Khaan Quest: the annual multinational peacekeeping exercise at the Five Hills
Training Area near Ulaanbaatar.

Its editions are drawn at the exercise site; an arc runs from each participant's
capital to the site, and participant countries are shaded by how often they
took part in the years selected (``participant_arcs`` and ``shade_participants``
in ``data/styles.yaml``).
"""

from __future__ import annotations

from layers import base

KEY = "khaan_quest"


def build(marks, style, index, app) -> base.RecordLayer:
    """This layer's marks, drawn and styled from ``styles.yaml``."""
    return base.build(marks, style, index, app)
