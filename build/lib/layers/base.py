"""What every record layer shares: one folium Layer holding its marks.

A layer module (``khaan_quest.py``, ``nato.py``, ...) turns its records into
marks through :func:`build`; the runtime draws them on one canvas. The Layer
is a real folium ``Layer``, so folium's LayerControl lists it.
"""

from __future__ import annotations

from typing import Any

from folium.map import Layer
from folium.elements import ElementAddToElement
from jinja2 import Template

from geo.features import Mark
from geo.models import LayerStyle
from layers.app import Index, MapAppElement, VerbatimMacro, layer_label, marks_by_role
from layers.escape import script_json
from layers.ids import slug_id


class RecordLayer(Layer):
    """A layer of the map: its marks as compact JSON, drawn by the page runtime."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this.app.get_name() }}.layer({{ this.layer_index }}, {{ this.marks_json }});
        {% endmacro %}
        """
    )

    def __init__(self, style: LayerStyle, layer_index: int, specs: dict[str, list], app: MapAppElement):
        super().__init__(name=layer_label(style.label), overlay=True, control=True, show=True)
        self._name = "Layer"
        self._id = slug_id(style.key)
        self.style = style
        self.layer_index = layer_index
        self.app = app
        self.marks_json = script_json(specs)

    def render(self, **kwargs: Any) -> None:
        # folium's Layer.render adds the layer to the map, then renders through
        # MacroElement, which would read the rendered data as a template again.
        if self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        VerbatimMacro.render(self, **kwargs)


def build(marks: list[Mark], style: LayerStyle, index: Index, app: MapAppElement) -> RecordLayer:
    """The generic layer: every mark as drawn by the runtime, styled from ``styles.yaml``."""
    return RecordLayer(style, index.layers[style.key], marks_by_role(marks, index), app)
