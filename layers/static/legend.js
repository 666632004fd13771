/* Legend: each layer's symbol and colour, and what lines, shading and rings mean. */
(function () {
  'use strict';
  var el = MDM.el;
  var KEYS = [['mdm-key-link', 'link between partners'], ['mdm-key-arc', 'participant \u2192 exercise site'],
    ['mdm-key-shade', 'country shaded: took part (darker = more often)'],
    ['mdm-key-ring', 'dashed ring: approximate location (radius = uncertainty)'],
    ['mdm-key-size', 'bigger symbol = more records at the place']];

  // Which of the keys the marks use: an imported data set may have no arcs.
  function used(app) {
    var M = app.data.marks, P = app.data.places, roles = {}, rings = false, big = false;
    for (var mi = 0; mi < M.id.length; mi++) {
      roles[M.role[mi]] = true;
      if (M.role[mi] === 'place') {
        if (P.uncertainty_km[M.place[mi]] >= 5) rings = true;
        if (M.records[mi].length > 1) big = true;
      }
    }
    return { 'mdm-key-link': roles.link, 'mdm-key-arc': roles.participant, 'mdm-key-shade': roles.country,
      'mdm-key-ring': rings, 'mdm-key-size': big };
  }

  MDM.legend = function (app) {
    MDM.control('bottomright', function () {
      var box = el('div', 'mdm-legend leaflet-bar');
      var heading = el('h4', null, 'Legend'), body = el('div', 'mdm-panel-body');
      box.appendChild(heading);
      box.appendChild(body);
      var list = el('ul'), items = [];
      app.data.layers.forEach(function (s, row) {
        var li = el('li');
        li.appendChild(MDM.symbolSvg(s.symbol, s.colour, 16));
        li.appendChild(el('span', null, s.label));
        if (s.description) li.title = s.description;
        list.appendChild(li);
        items[row] = li;
      });
      // A layer that is off is greyed out (and said so, not by colour alone).
      function greyOff() {
        items.forEach(function (li, row) {
          var off = !app.layerOn(row);
          li.classList.toggle('mdm-off', off);
          li.setAttribute('data-off', String(off));
          var state = li.querySelector('.mdm-visually-hidden');
          if (off && !state) li.appendChild(el('span', 'mdm-visually-hidden', ' (hidden)'));
          if (!off && state) state.remove();
        });
      }
      app.on('layers', greyOff);
      greyOff();
      body.appendChild(list);
      var keys = el('ul', 'mdm-legend-keys'), shown = used(app);
      KEYS.filter(function (k) { return shown[k[0]]; }).forEach(function (k) {
        var li = el('li');
        li.appendChild(el('span', 'mdm-key ' + k[0]));
        li.appendChild(el('span', null, k[1]));
        keys.appendChild(li);
      });
      body.appendChild(keys);
      app.panels.legend = MDM.foldable(box, heading, body, 'legend', false);
      return box;
    }).addTo(app.map);
  };
}());
