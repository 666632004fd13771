/* The offline base map: Natural Earth 1:110m country outlines under every
 * layer, with country and place names; and the choice between it and tiles.
 *
 * Names are drawn on one canvas above the record layers, in a pane that takes
 * no pointer events (a click on a name reaches the record under it). They are
 * placed in order until one would overlap another name, a place's symbol or a
 * panel: places with the most records shown first (beside their symbol: right,
 * left, above or below), then countries, the largest first. A
 * country is named only once it is wide enough on screen for its name, so the
 * world view carries few names and each zoom step more. Over tiles (which
 * carry their own names) none are drawn.
 */
(function () {
  'use strict';

  var FONT = { country: '11px system-ui, sans-serif', place: '600 12px system-ui, sans-serif' };
  var INK = { country: '#4a4f57', place: '#1f2328' };
  var LINE = 14;          // a name's box height, px
  var GAP = 3;            // clear space kept around every name, px
  var SHORT = 28;         // longest place name drawn, characters
  var SHIFTS = [0, 1, -1, 2, -2];   // where a country's name may go, in lines from its point
  // How many places are named at most, by zoom: few over the world, all once zoomed in.
  var PLACES_BY_ZOOM = [0, 3, 8, 16, 32, 64];
  // A country is named when its size on screen is at least this share of its name's width.
  var FIT = 0.9;

  function latlngs(coords) {
    return coords.map(function (c) { return [c[1], c[0]]; });
  }

  // countries: per country, polygons of rings of [lon, lat]; labels: columns name,
  // lon, lat, size, largest first; base: {outlines, tiles, default} (layers/units.py Basemap).
  MDM.basemap = function (map, countries, labels, base, app) {
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
    var choice = baseChoice(map, base || {});
    tileFallback(map, choice);
    if (app) app.use(function (a) { a.basemap = choice; a.names = names(a, labels, choice); });
    return group;
  };

  // The base map the reader sees: 'outlines' or 'tiles' (one of the layer list's
  // radio buttons); links.js reads and sets it.
  function baseChoice(map, base) {
    return {
      default: base.default || 'outlines',
      current: function () {
        return base.tiles && map.hasLayer(base.tiles) ? 'tiles' : 'outlines';
      },
      set: function (name) {
        var show = name === 'tiles' ? base.tiles : base.outlines;
        var hide = name === 'tiles' ? base.outlines : base.tiles;
        if (!show || map.hasLayer(show)) return;
        map.addLayer(show);
        if (hide && map.hasLayer(hide)) map.removeLayer(hide);
      }
    };
  }

  // Tiles are asked for only when the reader picks them; when they cannot
  // load (offline), the page goes back to the outlines and says so.
  function tileFallback(map, choice) {
    var note = MDM.el('p', 'mdm-note-tiles');
    note.setAttribute('role', 'status');
    note.hidden = true;
    map.getContainer().appendChild(note);
    function watch(layer) {
      note.hidden = true;
      layer.once('tileerror', function () {
        if (!map.hasLayer(layer)) return;
        choice.set('outlines');
        if (map.hasLayer(layer)) map.removeLayer(layer);
        note.textContent = 'The map tiles could not be loaded (no network?): showing the country outlines.';
        note.hidden = false;
      });
    }
    map.on('layeradd', function (e) { if (e.layer instanceof L.TileLayer) watch(e.layer); });
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) watch(layer); });
  }

  // ---- names ---------------------------------------------------------------

  // A place's name as a map label: without a closing bracket or what follows a
  // comma ('Anchorage (Joint Base ...)', 'Washington, D.C.'), at most SHORT
  // characters; the details give the whole name.
  function shortName(name) {
    var short = name.replace(/\s*\([^()]*\)$/, '').split(', ')[0] || name;
    return short.length > SHORT ? short.slice(0, SHORT - 1).replace(/\s+$/, '') + '\u2026' : short;
  }

  // A box on screen: container pixels.
  function box(left, top, right, bottom) {
    return { left: left, top: top, right: right, bottom: bottom };
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function names(app, labels, choice) {
    var map = app.map, d = app.data, M = d.marks, P = d.places;
    map.createPane('mdmLabels');
    var pane = map.getPane('mdmLabels');
    pane.style.zIndex = 450;
    pane.style.pointerEvents = 'none';
    var canvas = L.DomUtil.create('canvas', 'mdm-names', pane);
    canvas.setAttribute('aria-hidden', 'true');
    canvas.style.pointerEvents = 'none';
    var ctx = canvas.getContext('2d');
    var widths = { country: {}, place: {} };
    var places = null;   // [{name, lat, lng, count}] of the places shown, most records first
    var state = { placed: [], shown: true };

    function width(kind, text) {
      var known = widths[kind][text];
      if (known === undefined) { ctx.font = FONT[kind]; known = widths[kind][text] = ctx.measureText(text).width; }
      return known;
    }

    // The places the map shows now (a layer on, records in the years), by records
    // shown, with the radius of the largest symbol drawn there (record-layer.js).
    function shownPlaces() {
      var count = {}, radius = {}, rows = [], symbolRadius = {};
      app.marks.forEach(function (mark) {
        if (mark.role === 'place' && mark.main.getRadius) symbolRadius[mark.index] = mark.main.getRadius();
      });
      for (var mi = 0; mi < M.id.length; mi++) {
        if (M.role[mi] !== 'place' || !app.layerOn(M.layer[mi])) continue;
        var n = app.visibleRecords(mi).length;
        if (!n) continue;
        var p = M.place[mi];
        if (count[p] === undefined) { count[p] = 0; radius[p] = 0; rows.push(p); }
        count[p] += n;
        radius[p] = Math.max(radius[p], symbolRadius[mi] || 6);
      }
      rows.sort(function (a, b) { return count[b] - count[a] || (P.name[a] < P.name[b] ? -1 : 1); });
      return rows.map(function (p, rank) {
        return { name: shortName(P.name[p]), lat: P.lat[p], lng: P.x[p], radius: radius[p], rank: rank };
      });
    }

    // The panels and controls on the map, in container pixels: names under them would be lost.
    function panels() {
      var c = map.getContainer(), origin = c.getBoundingClientRect(), out = [];
      c.querySelectorAll('.mdm-title, .mdm-panel, .leaflet-control').forEach(function (node) {
        if (node.hidden || !node.getClientRects().length || getComputedStyle(node).visibility === 'hidden') return;
        var r = node.getBoundingClientRect();
        out.push(box(r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top));
      });
      return out;
    }

    function place(size, zoom) {
      var placed = [], boxes = panels(), symbols = [];
      places = places || shownPlaces();
      var points = [];
      for (var i = 0; i < places.length; i++) {
        var pt = map.latLngToContainerPoint([places[i].lat, places[i].lng]), r = places[i].radius;
        if (pt.x < -50 || pt.y < -50 || pt.x > size.x + 50 || pt.y > size.y + 50) continue;
        points.push({ name: places[i].name, at: pt, radius: r, rank: places[i].rank });
        symbols.push(box(pt.x - r, pt.y - r, pt.x + r, pt.y + r));
      }
      // Whether a name's box is clear of the edges, the panels, other names and
      // symbols. A place's own symbol, and those whose centres lie under it, never
      // push its name away; with `lenient`, nor do the symbols of places with fewer
      // records (a dense cluster still gets the name of its main place).
      function free(b, own, lenient) {
        if (b.left < 0 || b.top < 0 || b.right > size.x || b.bottom > size.y) return false;
        var padded = box(b.left - GAP, b.top - GAP, b.right + GAP, b.bottom + GAP);
        for (var k = 0; k < boxes.length; k++) if (overlaps(padded, boxes[k])) return false;
        for (var s = 0; s < symbols.length; s++) {
          if (own && Math.abs(points[s].at.x - own.at.x) <= own.radius && Math.abs(points[s].at.y - own.at.y) <= own.radius) continue;
          if (own && lenient && points[s].rank > own.rank) continue;
          if (overlaps(b, symbols[s])) return false;
        }
        return true;
      }
      function put(text, kind, b, x, align) {
        boxes.push(b);
        placed.push({ text: text, kind: kind, x: x, y: (b.top + b.bottom) / 2, align: align,
          left: b.left, top: b.top, right: b.right, bottom: b.bottom });
      }
      var budget = PLACES_BY_ZOOM[Math.min(zoom, PLACES_BY_ZOOM.length - 1)];
      if (zoom >= PLACES_BY_ZOOM.length) budget = Infinity;
      var named = [];   // the places named so far: a place under one of their symbols has its name
      for (i = 0; i < points.length && budget > 0; i++) {
        var name = points[i].name, p = points[i].at, w = width('place', name), r = points[i].radius + 2;
        if (named.some(function (q) {
          return Math.abs(q.at.x - p.x) <= q.radius && Math.abs(q.at.y - p.y) <= q.radius;
        })) continue;
        var spots = [
          { b: box(p.x + r, p.y - LINE / 2, p.x + r + w, p.y + LINE / 2), x: p.x + r, align: 'left' },
          { b: box(p.x - r - w, p.y - LINE / 2, p.x - r, p.y + LINE / 2), x: p.x - r, align: 'right' },
          { b: box(p.x - w / 2, p.y - r - LINE, p.x + w / 2, p.y - r), x: p.x, align: 'center' },
          { b: box(p.x - w / 2, p.y + r, p.x + w / 2, p.y + r + LINE), x: p.x, align: 'center' }
        ];
        var spot = null;
        for (var k = 0; k < spots.length && !spot; k++) if (free(spots[k].b, points[i], false)) spot = spots[k];
        for (k = 0; k < spots.length && !spot; k++) if (free(spots[k].b, points[i], true)) spot = spots[k];
        if (spot) { put(name, 'place', spot.b, spot.x, spot.align); named.push(points[i]); budget--; }
      }
      var world = 256 * Math.pow(2, zoom);
      for (i = 0; i < labels.name.length; i++) {
        var country = labels.name[i], cw = width('country', country);
        if (labels.size[i] * world < FIT * cw) continue;
        // At its point, else a line or two above or below where the country is tall enough on screen.
        var c = map.latLngToContainerPoint([labels.lat[i], labels.lon[i]]), reach = labels.size[i] * world / 4;
        for (var step = 0; step < SHIFTS.length; step++) {
          var dy = SHIFTS[step] * (LINE + GAP);
          if (Math.abs(dy) > reach) continue;
          var b = box(c.x - cw / 2, c.y + dy - LINE / 2, c.x + cw / 2, c.y + dy + LINE / 2);
          if (free(b, null)) { put(country, 'country', b, c.x, 'center'); break; }
        }
      }
      return placed;
    }

    function draw() {
      var size = map.getSize(), ratio = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = size.x + 'px';
      canvas.style.height = size.y + 'px';
      canvas.style.visibility = '';
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      state.shown = choice.current() === 'outlines';
      state.placed = state.shown ? place(size, map.getZoom()) : [];
      ctx.textBaseline = 'middle';
      ctx.lineJoin = 'round';
      for (var i = 0; i < state.placed.length; i++) {
        var n = state.placed[i];
        ctx.font = FONT[n.kind];
        ctx.textAlign = n.align;
        ctx.strokeStyle = 'rgba(255,255,255,0.9)';
        ctx.lineWidth = 3;
        ctx.strokeText(n.text, n.x, n.y);
        ctx.fillStyle = INK[n.kind];
        ctx.fillText(n.text, n.x, n.y);
      }
    }

    var queued = false;
    function redraw() {
      if (queued) return;
      queued = true;
      requestAnimationFrame(function () { queued = false; draw(); });
    }
    function changed() { places = null; redraw(); }
    map.on('zoomstart', function () { canvas.style.visibility = 'hidden'; });
    map.on('moveend resize baselayerchange', redraw);
    map.on('layeradd layerremove', function (e) { if (e.layer instanceof L.TileLayer) redraw(); });
    app.on('range', changed);
    app.on('layers', changed);
    app.on('layout', redraw);
    state.redraw = redraw;
    return state;
  }
}());
