/* Mongolia defence map: the page's core, and its one global, window.MDM.
 *
 * Python writes one data contract (layers/wire.py, documented field by field
 * there) into the data block with id "mdm-wire" (a script element of type
 * application/octet-stream, never run): JSON,
 * deflated, in base64. MDM.wire reads it and checks its version; MDM.App
 * holds it with the state every unit shares (the year range, the layers on)
 * and tells units when that state changes. Each unit (record layer, legend,
 * years, timeline, details, export, ...) is its own file, added by its own
 * small Python element (layers/units.py).
 *
 * Record text reaches the page through textContent or createTextNode, never
 * innerHTML: a title holding a script tag is shown as those characters.
 */
(function () {
  'use strict';

  var MDM = window.MDM = { WIRE_VERSION: 2, app: null };
  var SVG_NS = MDM.SVG_NS = 'http://www.w3.org/2000/svg';

  MDM.el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  // Hand text to the browser as a downloaded file (the in-map exports).
  MDM.saveFile = function (text, name, type) {
    var a = document.createElement('a');
    a.download = name;
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  };

  MDM.safeHref = function (url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
  };

  MDM.symbolSvg = function (symbol, colour, size) {
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
  };

  // A Leaflet control holding what build() returns; clicks and wheel stay in it.
  MDM.control = function (position, build) {
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
  };

  // ---- panels that fold ----------------------------------------------------

  // Whether the page is on a phone-sized screen (as app.css's @media rule).
  MDM.narrow = function () {
    return !!(window.matchMedia && window.matchMedia('(max-width: 700px)').matches);
  };

  // Remembered panel states; storage may be off (file:// in some browsers,
  // private mode), and then the page just does not remember.
  MDM.store = {
    get: function (key) {
      try { return window.localStorage.getItem(key); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, value); } catch (e) { /* storage off */ }
    }
  };

  // A panel that folds: its heading becomes a button (aria-expanded) that
  // hides and shows `body`, and the page remembers the state under `name`.
  // It starts as remembered, else open on wide screens and as `phone` says on
  // narrow ones. Returns { button, fold(open), open() }.
  MDM.foldable = function (box, heading, body, name, phone) {
    var key = 'mdm-fold-' + name;
    var button = MDM.el('button', 'mdm-fold', heading.textContent);
    button.type = 'button';
    if (!body.id) body.id = 'mdm-fold-body-' + name;
    button.setAttribute('aria-controls', body.id);
    heading.textContent = '';
    heading.appendChild(button);
    box.setAttribute('data-panel', name);
    function fold(open, remember) {
      body.hidden = !open;
      box.classList.toggle('mdm-folded', !open);
      button.setAttribute('aria-expanded', String(open));
      if (remember !== false) MDM.store.set(key, open ? '1' : '0');
      if (MDM.app && MDM.app.data) MDM.app.layout();
    }
    button.addEventListener('click', function () { fold(body.hidden); });
    var remembered = MDM.store.get(key);
    fold(remembered === null ? (MDM.narrow() ? !!phone : true) : remembered === '1', false);
    return { button: button, fold: fold, open: function () { return !body.hidden; } };
  };

  // ---- the contract -------------------------------------------------------

  MDM.wire = {
    // The contract's version check: a page whose data was written for another
    // reader says so rather than drawing something wrong.
    check: function (data) {
      if (!data || data.version !== MDM.WIRE_VERSION) {
        throw new Error('map data version ' + (data && data.version) + ', this page reads version ' +
          MDM.WIRE_VERSION);
      }
      return data;
    },
    bytes: function (base64) {
      if (Uint8Array.fromBase64) return Uint8Array.fromBase64(base64);
      var text = atob(base64), out = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
      return out;
    },
    // The element's text: base64 of zlib-deflated JSON (layers/wire.py encode).
    read: function (elementId) {
      var node = document.getElementById(elementId);
      var bytes = MDM.wire.bytes(node.textContent.trim());
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
      return new Response(stream).text().then(function (text) { return MDM.wire.check(JSON.parse(text)); });
    }
  };

  // ---- the application: data, shared state, units ------------------------

  function domReady() {
    return new Promise(function (resolve) {
      if (document.readyState !== 'loading') resolve();
      else document.addEventListener('DOMContentLoaded', resolve);
    });
  }

  function App(map, wireId) {
    this.map = map;
    this.units = [];
    this.groups = [];   // a Leaflet group per layer row (record-layer.js)
    this.marks = [];    // a drawn mark per mark row, filled by record-layer.js
    this.panels = {};   // the panels that fold, by name (MDM.foldable)
    this.listeners = {};
    var app = this;
    this.loaded = Promise.all([MDM.wire.read(wireId), domReady()])
      .then(function (got) { app.start(got[0]); })
      .catch(function (err) { app.fail(err); throw err; });
  }

  // A unit: a function called with the app once the data is read, in the order added.
  App.prototype.use = function (unit, options) {
    this.units.push([unit, options || {}]);
    return this;
  };

  App.prototype.start = function (data) {
    this.data = data;
    // The map's accessible name; its records are reached through the records table.
    var container = this.map.getContainer();
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', 'Map: ' + data.title + '. The records table lists what it shows.');
    var R = data.records, n = R.id.length;
    // The years each record covers, as the filter reads them: open ends reach forever.
    this.y0 = new Float64Array(n);
    this.y1 = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var span = R.years[i];
      this.y0[i] = span[0] === null ? -Infinity : span[0];
      this.y1[i] = span[1] === null ? Infinity : span[1];
    }
    this.years = data.years ? data.years.slice() : null;
    this.range = data.years ? data.years.slice() : null;
    for (var u = 0; u < this.units.length; u++) this.units[u][0](this, this.units[u][1]);
    var app = this;
    this.layout();
    if (window.ResizeObserver) {
      var queued = false, watcher = new ResizeObserver(function () {
        if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; app.layout(); }); }
      });
      ['.mdm-title', '.leaflet-top.leaflet-right', '.leaflet-bottom.leaflet-left', '.mdm-details'].forEach(function (sel) {
        var node = container.querySelector(sel);
        if (node) watcher.observe(node);
      });
      watcher.observe(container);
    }
    this.map.on('overlayadd overlayremove', function () { app.emit('layers'); });
    this.emit('range');
    document.body.setAttribute('data-map-ready', 'true');
  };

  // Keeps the panels clear of each other as they fold, wrap and the window
  // changes: the top-right panels start below the title bar where they share
  // its columns (phones); the legend scrolls in the room the top-right panels
  // leave it; the records panel runs from below the title bar and the zoom
  // buttons to above the timeline. (On phones the records panel is a bottom sheet: app.css.)
  App.prototype.layout = function () {
    var c = this.map.getContainer(), box = c.getBoundingClientRect();
    var each = function (parent, fn) { if (parent) [].forEach.call(parent.children, fn); };
    var title = c.querySelector('.mdm-title'), right = c.querySelector('.leaflet-top.leaflet-right');
    var titleBox = title ? title.getBoundingClientRect() : null;
    if (right) {
      right.style.top = '';
      var left = box.right;
      each(right, function (k) { left = Math.min(left, k.getBoundingClientRect().left); });
      if (titleBox && titleBox.right + 6 > left) right.style.top = Math.ceil(titleBox.bottom - box.top) + 'px';
    }
    var legend = c.querySelector('.mdm-legend'), body = legend && legend.querySelector('.mdm-panel-body');
    if (body) {
      body.style.maxHeight = '';
      body.removeAttribute('tabindex');
      if (!body.hidden) {
        var above = box.top;
        each(right, function (k) { above = Math.max(above, k.getBoundingClientRect().bottom); });
        var lr = legend.getBoundingClientRect(), room = lr.bottom - above - 10;
        if (lr.height > room) {
          body.style.maxHeight = Math.max(40, room - (lr.height - body.offsetHeight)) + 'px';
          body.tabIndex = 0;  // a scrolling region is reached by keyboard too
        }
      }
    }
    var records = c.querySelector('.mdm-records'), details = c.querySelector('.mdm-details');
    var top = titleBox ? titleBox.bottom : box.top;
    each(c.querySelector('.leaflet-top.leaflet-left'), function (k) { top = Math.max(top, k.getBoundingClientRect().bottom); });
    top = Math.ceil(top - box.top) + 10;
    if (records && !MDM.narrow()) {
      var lowest = box.height;
      each(c.querySelector('.leaflet-bottom.leaflet-left'), function (k) {
        lowest = Math.min(lowest, k.getBoundingClientRect().top - box.top);
      });
      records.style.top = top + 'px';
      records.style.bottom = Math.ceil(box.height - lowest + 10) + 'px';
      if (details) details.style.top = top + 'px';
    } else if (records) {
      records.style.top = records.style.bottom = '';
      if (details) details.style.top = '';
    }
    if (details) this.layoutDetails(details, box);
    this.emit('layout');
  };

  // The details panel sits beside the records panel (or in its place when that is
  // folded) and never covers a control: of the widths that keep it clear of the
  // controls to its right (its default, or up to the left edge of one of them), it
  // takes the one that shows most of the record, stops above any control below
  // it in its columns (the legend, the timeline) and scrolls inside. On phones,
  // where it is a bottom sheet, it stops below the controls at the top.
  App.prototype.layoutDetails = function (details, box) {
    details.style.maxHeight = details.style.width = details.style.minWidth = details.style.left = '';
    if (details.hidden) return;
    var c = this.map.getContainer(), room, style = getComputedStyle(details);
    // max-height and width count the content only (content-box): padding and border aside.
    var padY = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) +
      parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
    var controls = [].map.call(c.querySelectorAll('.mdm-title, .leaflet-control'), function (k) {
      return k.getBoundingClientRect();
    }).filter(function (r) { return r.width > 0; });
    if (MDM.narrow()) {
      var ceiling = box.top;
      controls.forEach(function (r) { if (r.bottom < box.top + box.height / 2) ceiling = Math.max(ceiling, r.bottom); });
      room = box.bottom - ceiling - 10;
      if (details.getBoundingClientRect().height > room) details.style.maxHeight = Math.max(120, Math.floor(room - padY)) + 'px';
      return;
    }
    var records = c.querySelector('.mdm-records');
    var left = records && !records.hidden ? records.getBoundingClientRect().right + 10 : box.left + 10;
    details.style.left = Math.round(left - box.left) + 'px';
    var d = details.getBoundingClientRect(), top = d.top, natural = d.height;
    var extra = d.width - details.clientWidth + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    function floorFor(right) {
      var floor = box.bottom - 10;
      controls.forEach(function (r) {
        if (r.right > left && r.left < right && r.top >= top) floor = Math.min(floor, r.top - 10);
      });
      return floor;
    }
    // A control that reaches its top rows (the years, on a small screen) limits its width.
    var widest = d.right;
    controls.forEach(function (r) {
      if (r.left > left && r.left < widest && r.top < top + 160 && r.bottom > top) widest = r.left - 10;
    });
    var best = { right: widest, score: -1 };
    [widest].concat(controls.map(function (r) { return r.left - 10; })).forEach(function (right) {
      if (right > widest || right - left < 260) return;
      var score = (right - left) * Math.min(natural, floorFor(right) - top);
      if (score > best.score) best = { right: right, score: score };
    });
    if (best.right < d.right) {
      details.style.minWidth = '0';
      details.style.width = Math.floor(best.right - left - extra) + 'px';
      d = details.getBoundingClientRect();
    }
    room = floorFor(d.right) - top;
    if (d.height > room) details.style.maxHeight = Math.max(120, Math.floor(room - padY)) + 'px';
  };

  App.prototype.fail = function (err) {
    var box = MDM.el('div', 'mdm-error', 'The map could not be drawn: ' + err.message);
    box.setAttribute('role', 'alert');
    this.map.getContainer().appendChild(box);
  };

  App.prototype.on = function (name, fn) {
    (this.listeners[name] || (this.listeners[name] = [])).push(fn);
  };

  App.prototype.emit = function (name) {
    var fns = this.listeners[name] || [];
    for (var i = 0; i < fns.length; i++) fns[i].call(this);
  };

  // The year filter's rule (geo/features.py overlaps; tests/cases/mirrors.json).
  MDM.overlaps = function (first, last, range) {
    return !range || ((first === null || first <= range[1]) && (last === null || last >= range[0]));
  };

  // An exported line (LineString, or MultiLineString cut at ±180°) as the map
  // draws it: one part, every longitude west of the seam moved a turn east.
  // (geo/geometry.py display_line; tests/cases/mirrors.json.)
  MDM.displayLine = function (geometry, seam) {
    var parts = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates, out = [];
    for (var i = 0; i < parts.length; i++) {
      for (var j = 0; j < parts[i].length; j++) {
        var c = parts[i][j];
        out.push([c[0] < seam ? c[0] + 360 : c[0], c[1]]);
      }
    }
    return [out];
  };

  App.prototype.inRange = function (ri) {
    return !this.range || (this.y0[ri] <= this.range[1] && this.y1[ri] >= this.range[0]);
  };

  App.prototype.layerOn = function (li) {
    return !!this.groups[li] && this.map.hasLayer(this.groups[li]);
  };

  // A mark's records in the years selected.
  App.prototype.visibleRecords = function (mi) {
    var recs = this.data.marks.records[mi], out = [];
    for (var i = 0; i < recs.length; i++) if (this.inRange(recs[i])) out.push(recs[i]);
    return out;
  };

  App.prototype.setYears = function (from, to) {
    if (!this.years) return;
    this.range = [Math.min(from, to), Math.max(from, to)];
    this.emit('range');
  };

  // Records shown: in the years selected, in a layer that is on the map.
  App.prototype.stats = function () {
    var on = [], i, R = this.data.records, n = R.id.length, records = 0;
    for (i = 0; i < this.data.layers.length; i++) on[i] = this.layerOn(i);
    for (i = 0; i < n; i++) if (on[R.layer[i]] && this.inRange(i)) records++;
    return { records: records };
  };

  MDM.App = App;
  MDM.start = function (map, wireId) {
    MDM.app = new App(map, wireId);
    return MDM.app;
  };
}());
