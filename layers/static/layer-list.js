/* Layer list: Leaflet's layer control (base maps and the record layers) under
 * a 'Layers' heading whose button folds it away, like every other panel. On a
 * phone it starts folded, so the map is not covered by a list of checkboxes. */
(function () {
  'use strict';
  var el = MDM.el;

  MDM.layerList = function (app) {
    var box = app.map.getContainer().querySelector('.leaflet-control-layers');
    var list = box && box.querySelector('.leaflet-control-layers-list');
    if (!list) return;
    box.classList.add('mdm-layer-list');
    var heading = el('h4', 'mdm-layers-heading', 'Layers');
    box.insertBefore(heading, box.firstChild);
    app.panels.layers = MDM.foldable(box, heading, list, 'layers', false);
  };
}());
