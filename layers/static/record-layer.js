/* The record layer: one map layer's marks, drawn on the shared canvas.
 *
 * MDM.recordLayer(app, row) returns the layer's Leaflet group at once (the
 * layer control lists it) and fills it when the data has been read: a symbol
 * per place, an arc per link or participant, a shaded outline per country,
 * each with its popup (details.js). The year filter flags marks hidden or
 * shown and redraws the canvas once (leaflet-private.js).
 */
(function () {
  'use strict';

  function latlngs(coords) {
    var out = new Array(coords.length);
    for (var i = 0; i < coords.length; i++) out[i] = [coords[i][1], coords[i][0]];
    return out;
  }

  function shared(app) {
    if (app.renderer) return app.renderer;
    app.renderer = L.canvas({ padding: 0.5, tolerance: 4 });
    app.on('range', function () { filter(app); });
    return app.renderer;
  }

  function draw(app, mi, style) {
    var d = app.data, M = d.marks, P = d.places, role = M.role[mi], colour = style.colour;
    var mark = { index: mi, id: M.id[mi], layer: M.layer[mi], role: role, records: M.records[mi], objects: [], shown: true };
    var renderer = app.renderer, main, LP = MDM.leaflet;
    if (role === 'place') {
      var p = M.place[mi], ll = [P.lat[p], P.x[p]];
      var radius = Math.min(13, 5 + 1.6 * Math.sqrt(mark.records.length));
      if (P.uncertainty_km[p] >= 5) {
        mark.objects.push(new LP.UncertaintyRing(ll, {
          renderer: renderer, radius: P.uncertainty_km[p] * 1000, color: colour, weight: 1.2,
          dashArray: '4 4', fill: true, fillOpacity: 0.04, interactive: false
        }));
      }
      main = new LP.ShapeMarker(ll, {
        renderer: renderer, radius: radius, symbol: style.symbol, color: '#222',
        weight: 1, fillColor: colour, fillOpacity: 0.85
      });
    } else if (role === 'country') {
      main = new LP.Polygon(M.polygons[mi].map(function (poly) { return poly.map(latlngs); }), {
        renderer: renderer, color: colour, weight: 0.8, fillColor: colour,
        fillOpacity: style.shade_by_count ? 0.25 : 0.14
      });
    } else {
      var parts = M.line[mi] || MDM.displayLine(M.export[mi], d.display_seam);
      main = new LP.Polyline(parts.map(latlngs), {
        renderer: renderer, color: colour, weight: role === 'link' ? 2.5 : 1.5,
        opacity: role === 'link' ? 0.85 : 0.55, dashArray: role === 'link' ? null : '6 4'
      });
    }
    main.on('click', function (e) { choose(app, e); });
    main.bindTooltip(function () { return MDM.details.tooltip(app, mi); },
      { sticky: role !== 'place', direction: 'top' });
    main.mdmMark = mark;
    mark.main = main;
    mark.objects.push(main);
    return mark;
  }

  // A click lists every mark under the pointer, across layers: symbols first,
  // then arcs, then shaded countries (arcs win over shading). With more than
  // one, the popup opens on a chooser above the first one's records.
  // (Array#sort is stable, so the order within a rank is kept.)
  var ROLE_RANK = { place: 0, link: 1, participant: 1, country: 2 };

  function hits(app, point) {
    var out = [];
    for (var i = 0; i < app.marks.length; i++) {
      var mark = app.marks[i];
      if (mark.shown && app.map.hasLayer(mark.group) && MDM.leaflet.contains(mark.main, point)) out.push(mark);
    }
    // Within a rank, the one drawn on top (drawn last) first, as a plain click would pick it.
    out.reverse();
    out.sort(function (a, b) { return ROLE_RANK[a.role] - ROLE_RANK[b.role]; });
    return out;
  }

  function choose(app, e) {
    if (app.lastClick === e.originalEvent) return;  // one popup per click, whichever mark got it
    app.lastClick = e.originalEvent;
    var found = hits(app, e.layerPoint);
    if (!found.length) return;
    var box = MDM.el('div', 'mdm-popup-wrap'), body = MDM.el('div');
    function show(k) {
      body.textContent = '';
      body.appendChild(MDM.details.popup(app, found[k].index));
      buttons.forEach(function (b, j) { b.setAttribute('aria-pressed', String(j === k)); });
    }
    var buttons = [];
    if (found.length > 1) {
      var list = MDM.el('div', 'mdm-chooser');
      list.setAttribute('role', 'group');
      list.setAttribute('aria-label', found.length + ' features here');
      list.appendChild(MDM.el('p', 'mdm-chooser-head', found.length + ' features here:'));
      found.forEach(function (mark, k) {
        var style = app.data.layers[mark.layer];
        var b = MDM.el('button', 'mdm-choice');
        b.type = 'button';
        b.setAttribute('data-mark', app.data.marks.id[mark.index]);
        b.appendChild(MDM.symbolSvg(style.symbol, style.colour, 12));
        b.appendChild(document.createTextNode(' ' + MDM.details.markTitle(app, mark.index) + ' · ' +
          style.label + ' (' + app.visibleRecords(mark.index).length + ')'));
        b.addEventListener('click', function () { show(k); });
        buttons.push(b);
        list.appendChild(b);
      });
      box.appendChild(list);
    }
    box.appendChild(body);
    show(0);
    L.popup({ maxWidth: 420, maxHeight: 380, minWidth: 260,
      autoPanPaddingTopLeft: L.point(60, 80), autoPanPaddingBottomRight: L.point(60, 40) })
      .setLatLng(e.latlng).setContent(box).openOn(app.map);
  }

  // Flag each mark shown when any of its records is in the years selected;
  // shade countries by their count; redraw once.
  function filter(app) {
    var y0 = app.y0, y1 = app.y1, lo = app.range ? app.range[0] : -Infinity;
    var hi = app.range ? app.range[1] : Infinity, maxCount = {}, changed = false, i, j, mark;
    for (i = 0; i < app.marks.length; i++) {
      mark = app.marks[i];
      var recs = mark.records, count = 0;
      for (j = 0; j < recs.length; j++) if (y0[recs[j]] <= hi && y1[recs[j]] >= lo) count++;
      mark.count = count;
      var show = recs.length === 0 || count > 0;
      if (mark.role === 'country' && show) maxCount[mark.layer] = Math.max(maxCount[mark.layer] || 0, count);
      if (show !== mark.shown) {
        for (j = 0; j < mark.objects.length; j++) mark.objects[j].mdmHidden = !show;
        mark.shown = show;
        changed = true;
      }
    }
    for (i = 0; i < app.marks.length; i++) {
      mark = app.marks[i];
      if (mark.role === 'country' && mark.shown && app.data.layers[mark.layer].shade_by_count) {
        mark.main.options.fillOpacity = 0.12 + 0.5 * mark.count / (maxCount[mark.layer] || 1);
        changed = true;
      }
    }
    if (changed) MDM.leaflet.redraw(app.renderer);
  }

  MDM.recordLayer = function (app, row) {
    var group = L.featureGroup();
    group.mdmLayer = row;
    app.groups[row] = group;
    app.use(function () {
      shared(app);
      var M = app.data.marks, style = app.data.layers[row];
      for (var mi = 0; mi < M.id.length; mi++) {
        if (M.layer[mi] !== row) continue;
        var mark = draw(app, mi, style);
        mark.group = group;
        for (var j = 0; j < mark.objects.length; j++) mark.objects[j].addTo(group);
        app.marks.push(mark);
      }
    });
    return group;
  };
}());
