/* Mongolia defence map: the page's runtime.
 *
 * Python writes the data (tables of sources, places, actors, records, and per
 * layer the marks to draw) as JSON; this file draws it with Leaflet on one
 * canvas, builds popups on click, filters by year, and exports what is shown.
 *
 * All record text reaches the page through textContent or createTextNode,
 * never innerHTML: a title holding a script tag is shown as those characters.
 */
(function () {
  'use strict';

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];
  var MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var SVG_NS = 'http://www.w3.org/2000/svg';

  // ---- text helpers (mirror geo/dates.py) ---------------------------------

  function datePrecision(text) {
    if (!text) return null;
    return text.length === 4 ? 'year' : (text.length === 7 ? 'month' : 'day');
  }

  function dateLabel(text) {
    var p = datePrecision(text);
    if (p === 'year') return text;
    var month = parseInt(text.slice(5, 7), 10) - 1;
    if (p === 'month') return MONTHS[month] + ' ' + text.slice(0, 4);
    return parseInt(text.slice(8, 10), 10) + ' ' + MON[month] + ' ' + text.slice(0, 4);
  }

  function spanLabel(start, end) {
    if (!start) return end ? 'until ' + dateLabel(end) : '';
    if (!end || end === start) return dateLabel(start);
    return dateLabel(start) + ' \u2013 ' + dateLabel(end);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeHref(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
  }

  // A source's title, as a link when it has a web address.
  function sourceTitle(source) {
    var href = safeHref(source.address);
    if (!href) return el('cite', null, source.title);
    var a = el('a', null, source.title);
    a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer';
    return a;
  }

  // ---- decoding the compact tables (layers/app.py) ---------------------------

  function pad(n, width) {
    var text = String(n);
    while (text.length < width) text = '0' + text;
    return text;
  }

  // date_number: YYYY, or YYYYMMDD with 00 for an unknown day, back to text.
  function dateText(n) {
    if (n === null || n === undefined) return null;
    if (n < 10000) return pad(n, 4);
    var day = n % 100, month = Math.floor(n / 100) % 100;
    var text = pad(Math.floor(n / 10000), 4) + '-' + pad(month, 2);
    return day ? text + '-' + pad(day, 2) : text;
  }

  // sparse: [rows, values] back to a column of n entries, null elsewhere.
  function unsparse(pair, n) {
    var out = new Array(n).fill(null);
    for (var i = 0; i < pair[0].length; i++) out[pair[0][i]] = pair[1][i];
    return out;
  }

  // A record's citations as [[source row, quote, ref, note], ...]: the page
  // carries [source, ref, quote, note] trimmed, one citation unwrapped, and a
  // bare ref in the commonest source as the ref alone.
  function citations(c, commonSource) {
    if (typeof c === 'string') return [[commonSource, null, c, null]];
    var rows = typeof c[0] === 'number' ? [c] : c;
    return rows.map(function (r) { return [r[0], nz(r[2]), nz(r[1]), nz(r[3])]; });
  }

  // delta_ints: each part a flat list of integer steps, back to [x, y] pairs.
  function undelta(parts, scale) {
    return parts.map(function (flat) {
      var out = new Array(flat.length / 2), x = 0, y = 0;
      for (var i = 0, j = 0; j < flat.length; i++, j += 2) {
        x += flat[j]; y += flat[j + 1];
        out[i] = [x / scale, y / scale];
      }
      return out;
    });
  }

  function nz(value) {
    return value === undefined ? null : value;
  }

  function latlngs(coords) {
    var out = new Array(coords.length);
    for (var i = 0; i < coords.length; i++) out[i] = [coords[i][1], coords[i][0]];
    return out;
  }

  // ---- symbols on the canvas ----------------------------------------------

  function drawSymbol(ctx, symbol, x, y, r) {
    var i, a;
    if (symbol === 'square') {
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
    } else if (symbol === 'diamond') {
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r * 1.2); ctx.lineTo(x - r, y);
    } else if (symbol === 'triangle') {
      ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r * 1.05, y + r * 0.8); ctx.lineTo(x - r * 1.05, y + r * 0.8);
    } else if (symbol === 'star') {
      for (i = 0; i < 10; i++) {
        a = Math.PI / 5 * i - Math.PI / 2;
        var rr = i % 2 ? r * 0.55 : r * 1.3;
        if (i === 0) ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
        else ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
      }
    } else {
      ctx.arc(x, y, r, 0, Math.PI * 2, false);
    }
  }

  // Features the year filter hides stay in their layer, flagged: they are
  // neither drawn nor hit. Flipping a flag and redrawing once is far cheaper
  // than removing and adding back thousands of layers.
  function hideable(Base) {
    return Base.extend({
      _updatePath: function () {
        if (!this._mdmHidden) Base.prototype._updatePath.call(this);
      },
      _containsPoint: function (p) {
        return !this._mdmHidden && Base.prototype._containsPoint.call(this, p);
      }
    });
  }

  var ShapeMarker = hideable(L.CircleMarker.extend({
    options: { symbol: 'circle' },
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || this._empty()) return;
      var ctx = renderer._ctx, p = this._point;
      ctx.beginPath();
      drawSymbol(ctx, this.options.symbol, p.x, p.y, this._radius);
      ctx.closePath();
      renderer._fillStroke(ctx, this);
    }
  }));
  var Polyline = hideable(L.Polyline);
  var Polygon = hideable(L.Polygon);

  // A dashed ring of uncertainty, drawn only once it is wider than the symbol
  // it surrounds: at world zoom a 15 km ring is a pixel, and thousands of
  // dashed strokes would slow every redraw for nothing.
  var HideableCircle = hideable(L.Circle);
  var UncertaintyRing = HideableCircle.extend({
    _updatePath: function () {
      if (this._radius >= 8) HideableCircle.prototype._updatePath.call(this);
    }
  });

  function symbolSvg(symbol, colour, size) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('width', size); svg.setAttribute('height', size);
    svg.setAttribute('viewBox', '-10 -10 20 20');
    svg.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS(SVG_NS, 'path');
    var d = {
      circle: 'M-6,0a6,6 0 1,0 12,0a6,6 0 1,0 -12,0',
      square: 'M-5.5,-5.5h11v11h-11z',
      diamond: 'M0,-7.5L6.5,0L0,7.5L-6.5,0z',
      triangle: 'M0,-7L6.5,5L-6.5,5z',
      star: 'M0,-8L2,-2.6L7.6,-2.5L3.1,1L4.7,6.5L0,3.3L-4.7,6.5L-3.1,1L-7.6,-2.5L-2,-2.6z'
    }[symbol] || 'M-6,0a6,6 0 1,0 12,0a6,6 0 1,0 -12,0';
    path.setAttribute('d', d);
    path.setAttribute('fill', colour); path.setAttribute('fill-opacity', '0.85');
    path.setAttribute('stroke', '#222'); path.setAttribute('stroke-width', '1');
    svg.appendChild(path);
    return svg;
  }

  // ---- RFC 7946 geometry for export (mirror geo/geometry.py to_window) ----

  function wrapLon(lon, seam) {
    var x = ((lon - seam) % 360 + 360) % 360 + seam;
    return Math.round(x * 1e9) / 1e9;
  }

  function toWindow(coords, seam) {
    var parts = [], current = [], prev = null, east = seam + 360;
    for (var i = 0; i < coords.length; i++) {
      var x = wrapLon(coords[i][0], seam), lat = coords[i][1];
      if (prev && Math.abs(x - prev[0]) > 180) {
        var stepX = x > prev[0] ? x - 360 : x + 360;
        var out = stepX > prev[0] ? east : seam, into = stepX > prev[0] ? seam : east;
        var t = (out - prev[0]) / (stepX - prev[0]);
        var y = Math.round((prev[1] + t * (lat - prev[1])) * 1e6) / 1e6;
        current.push([out, y]);
        parts.push(current);
        current = [[into, y]];
      }
      current.push([x, lat]);
      prev = [x, lat];
    }
    if (current.length) parts.push(current);
    return parts;
  }

  // ---- the application ------------------------------------------------------

  var ROLES = { p: 'place', a: 'participant', l: 'link', c: 'country' };

  function MapApp(map, data) {
    this.map = map;
    this.data = data;
    // Records arrive as columns (layers/app.py record_columns); years are
    // derived here from the dates: open ends of links reach forever.
    var R = this.R = data.records;
    R.id = R.id ? R.id.split(' ') : [];
    var n = R.id.length;
    R.kind = Array.prototype.map.call(R.kind, function (c) { return c.charCodeAt(0) - 97; });
    R.end = R.end.map(function (diff, i) { return diff === null ? null : dateText((R.start[i] || 0) + diff); });
    R.start = R.start.map(dateText);
    R.description = unsparse(R.description, n);
    R.cites = R.cites.map(function (c) { return citations(c, R.cite_source); });
    R.layer = new Int16Array(n);  // filled from the marks, in layer()
    this.y0 = new Float64Array(n);
    this.y1 = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var start = R.start[i], end = R.end[i];
      if (R.type.charCodeAt(i) === 101) {  // 'e': an event
        this.y0[i] = +start.slice(0, 4);
        this.y1[i] = end ? +end.slice(0, 4) : this.y0[i];
      } else {
        this.y0[i] = start ? +start.slice(0, 4) : -Infinity;
        this.y1[i] = end ? +end.slice(0, 4) : Infinity;
      }
    }
    this.renderer = L.canvas({ padding: 0.5, tolerance: 4 });
    this.groups = [];
    this.marks = [];
    this.years = data.years ? data.years.slice() : null;
    this.range = data.years ? data.years.slice() : null;
    MapApp.instances.push(this);
    window.mapApp = this;
  }
  MapApp.instances = [];

  MapApp.prototype.recordInRange = function (ri) {
    return !this.range || (this.y0[ri] <= this.range[1] && this.y1[ri] >= this.range[0]);
  };

  MapApp.prototype.visibleRecords = function (mark) {
    var out = [];
    for (var i = 0; i < mark.records.length; i++) {
      if (this.recordInRange(mark.records[i])) out.push(mark.records[i]);
    }
    return out;
  };

  MapApp.prototype.basemap = function (countries) {
    var pane = this.map.createPane('mdmBasemap');
    pane.style.zIndex = 150;
    var renderer = L.canvas({ pane: 'mdmBasemap', padding: 0.5 });
    var group = L.layerGroup();
    for (var i = 0; i < countries.length; i++) {
      var polys = countries[i];
      var rings = polys.map(function (poly) { return poly.map(latlngs); });
      L.polygon(rings, {
        renderer: renderer, interactive: false, color: '#8a8f98', weight: 0.6,
        fillColor: '#eceae4', fillOpacity: 1
      }).addTo(group);
    }
    this.map.getContainer().style.background = '#cfe0ec';
    group.addTo(this.map);
    return group;
  };

  MapApp.prototype.layer = function (index, marks) {
    var style = this.data.layers[index];
    var group = L.featureGroup();
    group.mdmLayer = index;
    var recordPlaces = this.R.places || (this.R.places = {});
    // layers/app.py marks_by_role: rows grouped by role code, in drawing order.
    var specs = [];
    ['c', 'l', 'a', 'p'].forEach(function (code) {
      (marks[code] || []).forEach(function (row) { specs.push([code, row]); });
    });
    for (var i = 0; i < specs.length; i++) {
      var mark = this.makeMark(style, index, specs[i][0], specs[i][1]);
      for (var m = 0; m < mark.records.length; m++) this.R.layer[mark.records[m]] = index;
      if (mark.role === 'place') {
        // An event's places are the place marks that list it.
        for (var k = 0; k < mark.records.length; k++) {
          var ri = mark.records[k];
          if (this.R.type.charAt(ri) === 'e') (recordPlaces[ri] || (recordPlaces[ri] = [])).push(mark.place);
        }
      }
      mark.group = group;
      mark.shown = true;
      for (var j = 0; j < mark.objects.length; j++) mark.objects[j].addTo(group);
      this.marks.push(mark);
    }
    this.groups[index] = group;
    return group;
  };

  // The id layers/app.py mark_id derives, when the page does not carry one.
  MapApp.prototype.markId = function (style, mark, pair) {
    var d = this.data;
    if (mark.role === 'place') return style.key + '.' + d.places[mark.place][0];
    if (mark.role === 'participant') {
      return style.key + '.' + d.actors[mark.actor][0] + '.' + d.places[mark.place][0];
    }
    if (pair) return style.key + '.' + d.actors[pair[0]][0] + '.' + d.actors[pair[1]][0];
    return style.key + '.' + mark.country;
  };

  MapApp.prototype.makeMark = function (style, layerIndex, code, row) {
    var app = this, d = this.data, scale = Math.pow(10, d.line_digits);
    // The row's layout by role: layers/app.py mark_spec.
    var mark = {
      layer: layerIndex, role: ROLES[code], geom: null, records: row[0],
      place: null, actor: null, country: null, exportGeom: null, objects: []
    };
    var pair = null, exportParts = null, id = null;
    if (code === 'p') {
      mark.place = row[1];
      mark.geom = [d.places[mark.place][6], d.places[mark.place][7]];  // its place's point
      id = row[2];
    } else if (code === 'c') {
      mark.geom = row[1];
      mark.country = row[2];
      id = row[3];
    } else if (code === 'a') {
      mark.geom = undelta(row[1], scale);
      mark.place = row[2];
      mark.actor = row[3];
      exportParts = row[4];
      id = row[5];
    } else {
      mark.geom = undelta(row[1], scale);
      pair = nz(row[2]);
      exportParts = row[3];
      id = row[4];
    }
    if (exportParts) {
      var parts = undelta(exportParts, scale);
      mark.exportGeom = parts.length === 1 ? { type: 'LineString', coordinates: parts[0] } :
        { type: 'MultiLineString', coordinates: parts };
    }
    mark.id = id || this.markId(style, mark, pair);
    var colour = style.colour, main;
    if (mark.role === 'place') {
      var place = this.data.places[mark.place];
      var radius = Math.min(13, 5 + 1.6 * Math.sqrt(mark.records.length));
      if (place[5] >= 5) {
        mark.objects.push(new UncertaintyRing([mark.geom[1], mark.geom[0]], {
          renderer: this.renderer, radius: place[5] * 1000, color: colour, weight: 1.2,
          dashArray: '4 4', fill: true, fillOpacity: 0.04, interactive: false
        }));
      }
      main = new ShapeMarker([mark.geom[1], mark.geom[0]], {
        renderer: this.renderer, radius: radius, symbol: style.symbol, color: '#222',
        weight: 1, fillColor: colour, fillOpacity: 0.85
      });
    } else if (mark.role === 'country') {
      main = new Polygon(mark.geom.map(function (poly) { return poly.map(latlngs); }), {
        renderer: this.renderer, color: colour, weight: 0.8, fillColor: colour,
        fillOpacity: style.shade_by_count ? 0.25 : 0.14
      });
    } else {
      main = new Polyline(mark.geom.map(latlngs), {
        renderer: this.renderer, color: colour, weight: mark.role === 'link' ? 2.5 : 1.5,
        opacity: mark.role === 'link' ? 0.85 : 0.55,
        dashArray: mark.role === 'link' ? null : '6 4'
      });
    }
    main.bindPopup(function () { return app.popup(mark); }, {
      maxWidth: 420, maxHeight: 380, minWidth: 260,
      autoPanPaddingTopLeft: L.point(60, 80), autoPanPaddingBottomRight: L.point(60, 40)
    });
    main.bindTooltip(function () { return app.tooltip(mark); }, { sticky: mark.role !== 'place', direction: 'top' });
    main.mdmMark = mark;
    mark.main = main;
    mark.objects.push(main);
    return mark;
  };

  MapApp.prototype.markTitle = function (mark) {
    var d = this.data;
    if (mark.role === 'place') {
      var p = d.places[mark.place];
      return p[2] ? p[1] + ' (' + p[2] + ')' : p[1];
    }
    if (mark.role === 'country') return d.countries[mark.country] || mark.country;
    if (mark.role === 'participant') {
      return d.actors[mark.actor][1] + ' \u2192 ' + d.places[mark.place][1];
    }
    var names = this.R.actors[mark.records[0]].map(function (a) { return d.actors[a][1]; });
    return names.join(' \u2194 ');
  };

  MapApp.prototype.tooltip = function (mark) {
    var box = el('div', 'mdm-tooltip');
    box.appendChild(el('strong', null, this.markTitle(mark)));
    var recs = this.visibleRecords(mark);
    if (recs.length === 1) {
      box.appendChild(el('div', null, this.R.title[recs[0]]));
    } else if (recs.length > 1) {
      box.appendChild(el('div', null, recs.length + ' records \u00b7 click to read'));
    }
    return box;
  };

  MapApp.prototype.popup = function (mark) {
    var d = this.data, style = d.layers[mark.layer];
    var box = el('div', 'mdm-popup');
    var head = el('div', 'mdm-popup-head');
    head.appendChild(symbolSvg(style.symbol, style.colour, 14));
    head.appendChild(el('span', 'mdm-layer', style.label));
    box.appendChild(head);
    box.appendChild(el('h2', null, this.markTitle(mark)));
    if (mark.role === 'place' || mark.role === 'participant') {
      var p = d.places[mark.place];
      var where = 'Location known to: ' + p[4];
      if (p[5] > 0) where += ' (within about ' + p[5] + ' km)';
      box.appendChild(el('p', 'mdm-precision', where));
    }
    var recs = this.visibleRecords(mark);
    if (mark.role === 'country' && recs.length) {
      var self = this, years = recs.map(function (ri) { return self.y0[ri]; });
      box.appendChild(el('p', 'mdm-count', recs.length + ' record' + (recs.length > 1 ? 's' : '') +
        ' in the years shown: ' + years.join(', ')));
    }
    for (var i = 0; i < recs.length; i++) box.appendChild(this.recordView(recs[i]));
    if (!recs.length) box.appendChild(el('p', 'mdm-empty', 'No records in the years selected.'));
    return box;
  };

  MapApp.prototype.recordView = function (ri) {
    var d = this.data, R = this.R, isEvent = R.type.charAt(ri) === 'e';
    var sec = el('section', 'mdm-record');
    sec.setAttribute('data-record', R.id[ri]);
    sec.appendChild(el('h3', null, R.title[ri]));
    var when = spanLabel(R.start[ri], R.end[ri]);
    if (!isEvent && R.start[ri] && !R.end[ri]) when = 'since ' + dateLabel(R.start[ri]);
    sec.appendChild(el('p', 'mdm-when', [when, R.kinds[R.kind[ri]]].filter(Boolean).join(' \u00b7 ')));
    var places = (R.places && R.places[ri]) || [];
    if (places.length) {
      var placeNames = places.map(function (pi) {
        var p = d.places[pi];
        return p[1] + (p[4] === 'exact' ? '' : ' (' + p[4] + ')');
      });
      sec.appendChild(el('p', 'mdm-where', 'Where: ' + placeNames.join('; ')));
    }
    var actors = R.actors[ri];
    if (actors.length) {
      sec.appendChild(el('p', 'mdm-who', (isEvent ? 'Participants: ' : 'Between: ') +
        actors.map(function (a) { return d.actors[a][1]; }).join(', ')));
    }
    if (R.description[ri]) sec.appendChild(el('p', 'mdm-desc', R.description[ri]));
    var list = el('ol', 'mdm-cites');
    var cites = R.cites[ri];
    for (var i = 0; i < cites.length; i++) list.appendChild(this.citationView(cites[i]));
    sec.appendChild(el('div', 'mdm-cites-head', 'Sources'));
    sec.appendChild(list);
    return sec;
  };

  MapApp.prototype.citationView = function (c) {
    var s = this.data.sources[c[0]];
    var li = el('li', 'mdm-cite');
    if (c[1]) li.appendChild(el('q', 'mdm-quote', c[1]));
    var bits = [s.author, s.publisher, s.published ? dateLabel(s.published) : null].filter(Boolean);
    var src = el('div', 'mdm-source');
    src.appendChild(sourceTitle(s));
    if (bits.length) src.appendChild(document.createTextNode(' \u2014 ' + bits.join(', ')));
    if (c[2]) src.appendChild(document.createTextNode(' [' + c[2] + ']'));
    li.appendChild(src);
    if (c[3]) li.appendChild(el('div', 'mdm-note', 'Note: ' + c[3]));
    return li;
  };

  // ---- year filter ----------------------------------------------------------

  MapApp.prototype.setYears = function (from, to) {
    if (!this.years) return;
    var lo = Math.min(from, to), hi = Math.max(from, to);
    this.range = [lo, hi];
    var y0 = this.y0, y1 = this.y1, maxCount = {}, i, j, mark, changed = false;
    for (i = 0; i < this.marks.length; i++) {
      mark = this.marks[i];
      var recs = mark.records, count = 0;
      for (j = 0; j < recs.length; j++) {
        if (y0[recs[j]] <= hi && y1[recs[j]] >= lo) count++;
      }
      mark.count = count;
      var show = recs.length === 0 || count > 0;
      if (mark.role === 'country' && show) {
        maxCount[mark.layer] = Math.max(maxCount[mark.layer] || 0, count);
      }
      if (show !== mark.shown) {
        for (j = 0; j < mark.objects.length; j++) mark.objects[j]._mdmHidden = !show;
        mark.shown = show;
        changed = true;
      }
    }
    for (i = 0; i < this.marks.length; i++) {
      mark = this.marks[i];
      if (mark.role === 'country' && mark.shown && this.data.layers[mark.layer].shade_by_count) {
        mark.main.options.fillOpacity = 0.12 + 0.5 * mark.count / (maxCount[mark.layer] || 1);
        changed = true;
      }
    }
    // One full redraw of the shared canvas (Leaflet 1.9's Canvas#_redraw, with no
    // redraw bounds set, clears and draws every layer once).
    if (changed && this.renderer._map) {
      this.renderer._redrawBounds = null;
      this.renderer._redraw();
    }
    if (this.onRange) this.onRange();
  };

  // Records shown: in the years selected, in a layer that is on the map.
  MapApp.prototype.stats = function () {
    var on = [], i, n = this.R.id.length, records = 0, marks = 0;
    for (i = 0; i < this.groups.length; i++) on[i] = !!this.groups[i] && this.map.hasLayer(this.groups[i]);
    for (i = 0; i < n; i++) {
      if (on[this.R.layer[i]] && this.recordInRange(i)) records++;
    }
    for (i = 0; i < this.marks.length; i++) {
      if (this.marks[i].shown && on[this.marks[i].layer]) marks++;
    }
    return { marks: marks, records: records };
  };

  // ---- export ---------------------------------------------------------------

  MapApp.prototype.featureProperties = function (mark, ri) {
    var d = this.data, R = this.R;
    var place = mark.place !== null ? d.places[mark.place] : null;
    var country = mark.country || (place ? place[3] : null);
    var start = nz(R.start[ri]), end = nz(R.end[ri]);
    return {
      id: R.id[ri],
      feature: mark.id,
      role: mark.role,
      layer: d.layers[R.layer[ri]].key,
      record_type: R.type.charAt(ri) === 'e' ? 'event' : 'link',
      kind: R.kinds[R.kind[ri]],
      title: R.title[ri],
      description: nz(R.description[ri]),
      start: start,
      end: end,
      date_precision: datePrecision(start),
      date_label: spanLabel(start, end),
      place: place ? place[0] : null,
      place_name: place ? place[1] : null,
      country: country,
      country_name: country ? (d.countries[country] || null) : null,
      location_precision: place ? place[4] : null,
      uncertainty_km: place ? place[5] : null,
      participant: mark.actor !== null ? d.actors[mark.actor][1] : null,
      participants: R.actors[ri].map(function (a) { return d.actors[a][1]; }),
      citations: R.cites[ri].map(function (c) {
        var s = d.sources[c[0]];
        return {
          source: s.id, title: s.title, author: s.author, publisher: s.publisher,
          published: s.published, address: s.address, quote: nz(c[1]), ref: nz(c[2]), note: nz(c[3])
        };
      })
    };
  };

  MapApp.prototype.exportGeometry = function (mark) {
    if (mark.exportGeom) return mark.exportGeom;
    if (mark.role === 'place') {
      return { type: 'Point', coordinates: [wrapLon(mark.geom[0], -180), mark.geom[1]] };
    }
    if (mark.role === 'country') {
      // Each display polygon is a true-frame polygon moved by whole turns:
      // move it back by the turns of its outer ring's mean longitude.
      var polys = mark.geom.map(function (rings) {
        var sum = 0;
        for (var i = 0; i < rings[0].length; i++) sum += rings[0][i][0];
        var shift = 360 * Math.floor((sum / rings[0].length + 180) / 360);
        return rings.map(function (ring) {
          return ring.map(function (c) { return [Math.round((c[0] - shift) * 1e6) / 1e6, c[1]]; });
        });
      });
      return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } :
        { type: 'MultiPolygon', coordinates: polys };
    }
    // A line uncut by the display window is one part; a cut one carries exportGeom.
    var scale = Math.pow(10, this.data.line_digits);
    var parts = toWindow(mark.geom[0], -180).map(function (part) {
      return part.map(function (c) { return [Math.round(c[0] * scale) / scale, Math.round(c[1] * scale) / scale]; });
    });
    if (parts.length === 1) return { type: 'LineString', coordinates: parts[0] };
    return { type: 'MultiLineString', coordinates: parts };
  };

  MapApp.prototype.visibleFeatures = function () {
    var features = [];
    for (var i = 0; i < this.marks.length; i++) {
      var mark = this.marks[i];
      if (!mark.shown || !this.map.hasLayer(mark.group)) continue;
      var recs = this.visibleRecords(mark);
      if (!recs.length) continue;
      var geometry = this.exportGeometry(mark);
      for (var j = 0; j < recs.length; j++) {
        var props = this.featureProperties(mark, recs[j]);
        features.push({ type: 'Feature', id: props.id + '@' + mark.id, geometry: geometry, properties: props });
      }
    }
    features.sort(function (a, b) { return a.id < b.id ? -1 : (a.id > b.id ? 1 : 0); });
    return { type: 'FeatureCollection', features: features };
  };

  MapApp.prototype.download = function () {
    var text = JSON.stringify(this.visibleFeatures(), null, 1);
    var blob = new Blob([text], { type: 'application/geo+json' });
    var a = document.createElement('a');
    var name = 'mongolia-defence-map';
    if (this.range) name += '-' + this.range[0] + '-' + this.range[1];
    a.download = name + '.geojson';
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  };

  // ---- controls ---------------------------------------------------------------

  function control(position, build) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var div = build();
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    return new C();
  }

  MapApp.prototype.titleBar = function () {
    var app = this;
    var bar = el('div', 'mdm-title');
    bar.appendChild(el('h1', null, this.data.title));
    if (this.data.subtitle) bar.appendChild(el('p', null, this.data.subtitle));
    var about = el('button', 'mdm-button', 'About & sources');
    about.type = 'button';
    about.setAttribute('aria-expanded', 'false');
    var panel = this.aboutPanel();
    about.addEventListener('click', function () {
      var open = panel.hidden;
      panel.hidden = !open;
      about.setAttribute('aria-expanded', String(open));
    });
    bar.appendChild(about);
    var exp = el('button', 'mdm-button mdm-export', 'Export GeoJSON');
    exp.type = 'button';
    exp.title = 'Download the features shown now (layers checked, years selected) as GeoJSON';
    exp.addEventListener('click', function () { app.download(); });
    bar.appendChild(exp);
    bar.appendChild(panel);
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.disableScrollPropagation(bar);
    this.map.getContainer().appendChild(bar);
  };

  MapApp.prototype.aboutPanel = function () {
    var d = this.data;
    var panel = el('div', 'mdm-about');
    panel.hidden = true;
    panel.appendChild(el('p', null, d.about));
    panel.appendChild(el('h3', null, 'Sources (' + d.sources.length + ')'));
    var list = el('ul');
    for (var i = 0; i < d.sources.length; i++) {
      var s = d.sources[i], li = el('li');
      li.appendChild(sourceTitle(s));
      var bits = [s.author, s.publisher, s.published ? dateLabel(s.published) : null, s.kind].filter(Boolean);
      li.appendChild(document.createTextNode(' \u2014 ' + bits.join(', ')));
      list.appendChild(li);
    }
    panel.appendChild(list);
    return panel;
  };

  MapApp.prototype.legend = function () {
    var d = this.data;
    return control('bottomright', function () {
      var box = el('div', 'mdm-legend leaflet-bar');
      box.appendChild(el('h4', null, 'Legend'));
      var list = el('ul');
      d.layers.forEach(function (s) {
        var li = el('li');
        li.appendChild(symbolSvg(s.symbol, s.colour, 16));
        li.appendChild(el('span', null, s.label));
        if (s.description) li.title = s.description;
        list.appendChild(li);
      });
      box.appendChild(list);
      var keys = el('ul', 'mdm-legend-keys');
      [['mdm-key-link', 'link between partners'], ['mdm-key-arc', 'participant \u2192 exercise site'],
        ['mdm-key-shade', 'country shaded: took part (darker = more often)'],
        ['mdm-key-ring', 'dashed ring: approximate location (radius = uncertainty)'],
        ['mdm-key-size', 'bigger symbol = more records at the place']].forEach(function (k) {
        var li = el('li');
        li.appendChild(el('span', 'mdm-key ' + k[0]));
        li.appendChild(el('span', null, k[1]));
        keys.appendChild(li);
      });
      box.appendChild(keys);
      return box;
    });
  };

  MapApp.prototype.yearFilter = function () {
    var app = this;
    return control('topright', function () {
      var box = el('div', 'mdm-years leaflet-bar');
      box.appendChild(el('h4', null, 'Years'));
      var label = el('output', 'mdm-years-label');
      label.setAttribute('aria-live', 'polite');
      var from = el('input'), to = el('input');
      [from, to].forEach(function (input, i) {
        input.type = 'range';
        input.min = app.years[0]; input.max = app.years[1]; input.step = 1;
        input.value = app.years[i];
        input.className = 'mdm-year-' + (i ? 'to' : 'from');
        input.setAttribute('aria-label', i ? 'last year shown' : 'first year shown');
      });
      var pending = false;
      function apply() {
        pending = false;
        app.setYears(parseInt(from.value, 10), parseInt(to.value, 10));
      }
      function changed() {
        if (!pending) { pending = true; requestAnimationFrame(apply); }
      }
      from.addEventListener('input', changed);
      to.addEventListener('input', changed);
      app.onRange = function () {
        var s = app.stats();
        label.textContent = app.range[0] + ' \u2013 ' + app.range[1] + ' \u00b7 ' + s.records + ' records shown';
        label.setAttribute('data-from', app.range[0]);
        label.setAttribute('data-to', app.range[1]);
        label.setAttribute('data-records', s.records);
        if (app.drawTimeline) app.drawTimeline();
      };
      var rows = el('div', 'mdm-year-inputs');
      rows.appendChild(el('label', null, 'from')); rows.appendChild(from);
      rows.appendChild(el('label', null, 'to')); rows.appendChild(to);
      box.appendChild(label);
      box.appendChild(rows);
      app.yearInputs = [from, to];
      return box;
    });
  };

  MapApp.prototype.timeline = function () {
    var app = this, d = this.data;
    return control('bottomleft', function () {
      var box = el('div', 'mdm-timeline leaflet-bar');
      box.appendChild(el('h4', null, 'Events per year, by layer'));
      var svg = document.createElementNS(SVG_NS, 'svg');
      var W = 330, H = 96, pad = 18;
      svg.setAttribute('width', W); svg.setAttribute('height', H);
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', 'Number of events each year, stacked by layer');
      box.appendChild(svg);
      var y0 = app.years[0], y1 = app.years[1], n = y1 - y0 + 1;
      var counts = {}, max = 1;
      for (var i = 0; i < app.R.id.length; i++) {
        if (app.R.type.charAt(i) !== 'e') continue;
        var key = app.y0[i] + ':' + app.R.layer[i];
        counts[key] = (counts[key] || 0) + 1;
      }
      var totals = {};
      Object.keys(counts).forEach(function (k) {
        var y = k.split(':')[0];
        totals[y] = (totals[y] || 0) + counts[k];
        max = Math.max(max, totals[y]);
      });
      var bw = (W - 8) / n;
      app.drawTimeline = function () {
        while (svg.firstChild) svg.removeChild(svg.firstChild);
        for (var y = y0; y <= y1; y++) {
          var x = 4 + (y - y0) * bw, base = H - pad, inRange = y >= app.range[0] && y <= app.range[1];
          for (var li = 0; li < d.layers.length; li++) {
            var c = counts[y + ':' + li];
            if (!c) continue;
            var h = c / max * (H - pad - 6);
            var rect = document.createElementNS(SVG_NS, 'rect');
            rect.setAttribute('x', x + 0.5); rect.setAttribute('y', base - h);
            rect.setAttribute('width', Math.max(1, bw - 1)); rect.setAttribute('height', h);
            rect.setAttribute('fill', d.layers[li].colour);
            rect.setAttribute('opacity', inRange ? '0.9' : '0.2');
            var t = document.createElementNS(SVG_NS, 'title');
            t.textContent = y + ': ' + c + ' ' + d.layers[li].label;
            rect.appendChild(t);
            svg.appendChild(rect);
            base -= h;
          }
        }
        var step = n > 30 ? 10 : 5;
        for (var yy = Math.ceil(y0 / step) * step; yy <= y1; yy += step) {
          var text = document.createElementNS(SVG_NS, 'text'), tx = 4 + (yy - y0 + 0.5) * bw;
          text.setAttribute('y', H - 4);
          // A label near either edge is anchored there, so it is not cut off.
          if (tx < 16) { text.setAttribute('x', 2); text.setAttribute('text-anchor', 'start'); }
          else if (tx > W - 16) { text.setAttribute('x', W - 2); text.setAttribute('text-anchor', 'end'); }
          else { text.setAttribute('x', tx); text.setAttribute('text-anchor', 'middle'); }
          text.textContent = String(yy);
          svg.appendChild(text);
        }
      };
      return box;
    });
  };

  MapApp.prototype.ready = function () {
    this.titleBar();
    this.legend().addTo(this.map);
    if (this.years) {
      this.yearFilter().addTo(this.map);
      this.timeline().addTo(this.map);
      this.setYears(this.years[0], this.years[1]);
    }
    var app = this;
    this.map.on('overlayadd overlayremove', function () { if (app.onRange) app.onRange(); });
    document.body.setAttribute('data-map-ready', 'true');
  };

  window.MapApp = MapApp;
}());
