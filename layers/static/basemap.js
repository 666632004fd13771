/* The offline base map: Natural Earth 1:110m country outlines under every layer. */
(function () {
  'use strict';

  function latlngs(coords) {
    return coords.map(function (c) { return [c[1], c[0]]; });
  }

  // countries: per country, polygons of rings of [lon, lat] (layers/units.py Basemap).
  MDM.basemap = function (map, countries) {
    var pane = map.createPane('mdmBasemap');
    pane.style.zIndex = 150;
    var renderer = L.canvas({ pane: 'mdmBasemap', padding: 0.5 });
    var group = L.layerGroup();
    for (var i = 0; i < countries.length; i++) {
      L.polygon(countries[i].map(function (poly) { return poly.map(latlngs); }), {
        renderer: renderer, interactive: false, color: '#8a8f98', weight: 0.6,
        fillColor: '#eceae4', fillOpacity: 1
      }).addTo(group);
    }
    map.getContainer().style.background = '#cfe0ec';
    group.addTo(map);
    tileFallback(map);
    return group;
  };

  // Tiles are asked for only when the reader picks them; when they cannot
  // load (offline), the page goes back to the outlines and says so.
  function tileFallback(map) {
    var note = MDM.el('p', 'mdm-note-tiles');
    note.setAttribute('role', 'status');
    note.hidden = true;
    map.getContainer().appendChild(note);
    map.on('layeradd', function (e) {
      if (!(e.layer instanceof L.TileLayer)) return;
      note.hidden = true;
      e.layer.once('tileerror', function () {
        map.removeLayer(e.layer);
        note.textContent = 'The map tiles could not be loaded (no network?): showing the country outlines.';
        note.hidden = false;
      });
    });
  }
}());
