/* Legend: each layer's symbol and colour, and what lines, shading and rings mean. */
(function () {
  'use strict';
  var el = MDM.el;
  var KEYS = [['mdm-key-link', 'link between partners'], ['mdm-key-arc', 'participant \u2192 exercise site'],
    ['mdm-key-shade', 'country shaded: took part (darker = more often)'],
    ['mdm-key-ring', 'dashed ring: approximate location (radius = uncertainty)'],
    ['mdm-key-size', 'bigger symbol = more records at the place']];

  MDM.legend = function (app) {
    MDM.control('bottomright', function () {
      var box = el('div', 'mdm-legend leaflet-bar');
      box.appendChild(el('h4', null, 'Legend'));
      var list = el('ul');
      app.data.layers.forEach(function (s) {
        var li = el('li');
        li.appendChild(MDM.symbolSvg(s.symbol, s.colour, 16));
        li.appendChild(el('span', null, s.label));
        if (s.description) li.title = s.description;
        list.appendChild(li);
      });
      box.appendChild(list);
      var keys = el('ul', 'mdm-legend-keys');
      KEYS.forEach(function (k) {
        var li = el('li');
        li.appendChild(el('span', 'mdm-key ' + k[0]));
        li.appendChild(el('span', null, k[1]));
        keys.appendChild(li);
      });
      box.appendChild(keys);
      return box;
    }).addTo(app.map);
  };
}());
