/* Records panel: a table of the records the layers and years select, with
 * search and sorting; a row opens the record's details and shows it on the map.
 *
 * The table follows the layer list and the year filter live. "N of M records"
 * is announced (aria-live). Above ROWS_ALL rows only the rows in view are in
 * the DOM (with spacer rows above and below), so 100,000 records stay fast.
 * The spacers are sized in the rows' real height, measured on the rows drawn
 * (it depends on the fonts, the zoom and the screen's pixels: 31 px at 100%,
 * fractions of a pixel at other zooms), so that a scroll position deep in the
 * table shows the rows that belong there.
 * The table is one Tab stop: the arrow keys, Home, End, Page Up and Page Down
 * move between rows (one row at a time is tabbable, the one last reached), and
 * Enter or Space opens a row's details.
 */
(function () {
  'use strict';
  var el = MDM.el;
  // ROW_HEIGHT: the rows' height before it is measured (at 100% zoom it is this).
  var ROW_HEIGHT = 31, ROWS_ALL = 2000, OVERSCAN = 20;

  function recordMarks(app) {
    // Each record's marks: the marks that list it (their references, read backwards).
    var M = app.data.marks, out = new Array(app.data.records.id.length);
    for (var mi = 0; mi < M.id.length; mi++) {
      var recs = M.records[mi];
      for (var j = 0; j < recs.length; j++) (out[recs[j]] || (out[recs[j]] = [])).push(mi);
    }
    return out;
  }

  function searchText(d, ri) {
    var R = d.records, parts = [R.title[ri], R.description[ri] || '', R.kind[ri], R.date_label[ri]];
    R.places[ri].forEach(function (p) { parts.push(d.places.name[p]); });
    R.actors[ri].forEach(function (a) { parts.push(d.actors.name[a]); });
    R.citations[ri].forEach(function (c) {
      parts.push(d.sources.title[c.source], c.quote || '', c.ref || '', c.note || '');
    });
    return parts.join('\n').toLowerCase();
  }

  MDM.recordsPanel = function (app) {
    var d = app.data, R = d.records, n = R.id.length;
    // current: position (in rows) of the row Tab returns to.
    var state = { query: '', sort: 'date', dir: 1, rows: [], current: 0 };
    var marksOf = null, texts = null;
    // From one row's top to the next one's, in CSS px: measured on the rows drawn (measureRows).
    var rowHeight = ROW_HEIGHT;

    var panel = el('section', 'mdm-records mdm-panel');
    panel.id = 'mdm-records';
    panel.setAttribute('aria-label', 'Records');
    var head = el('div', 'mdm-records-head');
    var title = el('h2', null, 'Records');
    var count = el('p', 'mdm-records-count');
    count.setAttribute('aria-live', 'polite');
    count.setAttribute('role', 'status');
    var searchLabel = el('label', 'mdm-search');
    searchLabel.appendChild(el('span', null, 'Search'));
    var search = el('input');
    search.type = 'search';
    search.placeholder = 'title, place, participant, source\u2026';
    searchLabel.appendChild(search);
    head.appendChild(title); head.appendChild(count); head.appendChild(searchLabel);
    // A selection made in another view (a partners cell): only its records, until cleared.
    var chosen = null;
    var chip = el('p', 'mdm-records-selected');
    chip.hidden = true;
    var chipText = el('span');
    var unchoose = el('button', 'mdm-button', 'Clear selection');
    unchoose.type = 'button';
    chip.appendChild(chipText); chip.appendChild(unchoose);
    head.appendChild(chip);
    panel.appendChild(head);

    var scroller = el('div', 'mdm-records-scroll');
    var table = el('table', 'mdm-records-table');
    var caption = el('caption', 'mdm-visually-hidden', 'Records shown on the map; arrow keys move between rows, Enter opens a record\u2019s details');
    table.appendChild(caption);
    var thead = el('thead'), tr = el('tr');
    var headers = {};
    [['date', 'Date'], ['title', 'Title'], ['layer', 'Layer']].forEach(function (h) {
      var th = el('th');
      th.scope = 'col';
      var b = el('button', 'mdm-sort', h[1]);
      b.type = 'button';
      b.addEventListener('click', function () {
        state.dir = state.sort === h[0] ? -state.dir : 1;
        state.sort = h[0];
        update();
      });
      th.appendChild(b);
      headers[h[0]] = th;
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = el('tbody');
    table.appendChild(tbody);
    scroller.appendChild(table);
    panel.appendChild(scroller);
    // Right after the title bar, whose button opens it: next in the tab order.
    app.titleBar.insertAdjacentElement('afterend', panel);
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);

    // Each sort's order of all records, computed on its first use: a change of
    // layers, years or search then only walks it (no sort of 100,000 rows per change).
    var orders = {};
    function order(key, dir) {
      var name = key + dir;
      if (orders[name]) return orders[name];
      var column = key === 'title' ? R.title : key === 'layer' ? R.layer : R.start;
      var all = new Array(n);
      for (var i = 0; i < n; i++) all[i] = i;
      all.sort(function (a, b) {
        var x = column[a], y = column[b];
        if (key === 'date') { x = x || ''; y = y || ''; }
        if (x < y) return -dir;
        if (x > y) return dir;
        return R.id[a] < R.id[b] ? -1 : 1;  // ties in id order, whichever the direction
      });
      return (orders[name] = all);
    }

    function select() {
      var on = [], rows = [], q = state.query, i, ri, all = order(state.sort, state.dir);
      for (i = 0; i < d.layers.length; i++) on[i] = app.layerOn(i);
      if (q && !texts) { texts = new Array(n); for (i = 0; i < n; i++) texts[i] = searchText(d, i); }
      for (i = 0; i < n; i++) {
        ri = all[i];
        if (!on[R.layer[ri]] || !app.inRange(ri)) continue;
        if (q && texts[ri].indexOf(q) === -1) continue;
        if (chosen && !chosen.has[ri]) continue;
        rows.push(ri);
      }
      return rows;
    }

    function row(ri, position) {
      var tr = el('tr');
      tr.tabIndex = position === state.current ? 0 : -1;
      tr.setAttribute('data-record', R.id[ri]);
      tr.setAttribute('aria-rowindex', position + 2);
      var style = d.layers[R.layer[ri]];
      tr.appendChild(el('td', 'mdm-col-date', R.date_label[ri] || 'undated'));
      var tdTitle = el('td', 'mdm-col-title');
      tdTitle.appendChild(el('span', null, R.title[ri]));
      tr.appendChild(tdTitle);
      var tdLayer = el('td', 'mdm-col-layer');
      tdLayer.appendChild(MDM.symbolSvg(style.symbol, style.colour, 12));
      tdLayer.appendChild(document.createTextNode(' ' + style.label));
      tr.appendChild(tdLayer);
      tr.addEventListener('click', function () { open(ri, tr); });
      tr.addEventListener('focus', function () { current(position); });
      tr.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(ri, tr); return; }
        // A view's worth of rows, less one: measured for those keys only (it reads every row drawn).
        var page = e.key === 'PageDown' || e.key === 'PageUp'
          ? Math.max(1, Math.floor(scroller.clientHeight / (measureRows() || rowHeight)) - 1) : 0;
        var to = { ArrowDown: position + 1, ArrowUp: position - 1, Home: 0, End: state.rows.length - 1,
                   PageDown: position + page, PageUp: position - page }[e.key];
        if (to === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        focusRow(Math.max(0, Math.min(state.rows.length - 1, to)));
      });
      return tr;
    }

    // The row Tab comes back to: tabbable, every other row not.
    function current(position) {
      if (position === state.current) return;
      var was = tbody.querySelector('tr[tabindex="0"]');
      if (was) was.tabIndex = -1;
      state.current = position;
      var now = rowAt(position);
      if (now) now.tabIndex = 0;
    }

    function rowAt(position) {
      return tbody.querySelector('tr[aria-rowindex="' + (position + 2) + '"]');
    }

    // Focus the row at a position, scrolled into view below the sticky header
    // (above ROWS_ALL, first scrolled to where it is and drawn).
    function focusRow(position) {
      var tr = rowAt(position);
      if (!tr) {
        scroller.scrollTop = Math.max(0, position * rowHeight - scroller.clientHeight / 2);
        render();
        tr = rowAt(position);
      }
      current(position);
      if (!tr) return;
      var r = tr.getBoundingClientRect(), view = scroller.getBoundingClientRect();
      var top = view.top + thead.offsetHeight;
      if (r.top < top) scroller.scrollTop -= top - r.top;
      else if (r.bottom > view.bottom) scroller.scrollTop += r.bottom - view.bottom;
      tr.focus({ preventScroll: true });
    }

    // A row standing for `count` rows not drawn, as high as they would be.
    function spacer(count) {
      var tr = el('tr', 'mdm-spacer');
      tr.setAttribute('aria-hidden', 'true');
      tr.setAttribute('data-rows', count);
      tr.style.height = (count * rowHeight) + 'px';
      return tr;
    }

    // The rows' height as drawn: the distance from the first row drawn to the last, over the
    // rows between (fractions of a pixel included, which add up over 100,000 rows); null
    // where it cannot be measured (fewer than two rows, or the panel not shown). In the
    // table's own pixels, those of the spacers and the scroll position: where a CSS zoom
    // scales the page, the taller spacer's drawn height against its own says by how much.
    function measureRows() {
      var drawn = tbody.querySelectorAll('tr:not(.mdm-spacer)');
      if (drawn.length < 2) return null;
      var first = drawn[0].getBoundingClientRect(), last = drawn[drawn.length - 1].getBoundingClientRect();
      if (!first.height) return null;
      var pitch = (last.top - first.top) / (drawn.length - 1), own = 0, shown = 0;
      [].forEach.call(tbody.querySelectorAll('.mdm-spacer'), function (tr) {
        var h = parseFloat(tr.style.height);
        if (h > own) { own = h; shown = tr.getBoundingClientRect().height; }
      });
      return shown > 0 ? pitch * own / shown : pitch;
    }

    // Above ROWS_ALL rows: measures the rows drawn and, if their height is not the one the
    // spacers were sized in (by half a pixel or more over the whole table), sizes the spacers
    // again and scrolls to keep the same row at the top of the view. True if it did: the rows
    // are then to be drawn again, for the new scroll position. (Below, every row is drawn
    // and the table's height is theirs: nothing to fit.)
    function fitRowHeight() {
      if (state.rows.length <= ROWS_ALL) return false;
      var measured = measureRows();
      if (measured === null || Math.abs(measured - rowHeight) * state.rows.length < 0.5) return false;
      var top = scroller.scrollTop / rowHeight;
      rowHeight = measured;
      [].forEach.call(tbody.querySelectorAll('.mdm-spacer'), function (tr) {
        tr.style.height = (+tr.getAttribute('data-rows') * rowHeight) + 'px';
      });
      scroller.scrollTop = top * rowHeight;
      return true;
    }

    function render(refitted) {
      var rows = state.rows, from = 0, to = rows.length;
      if (rows.length > ROWS_ALL) {
        from = Math.max(0, Math.floor(scroller.scrollTop / rowHeight) - OVERSCAN);
        to = Math.min(rows.length, from + Math.ceil(scroller.clientHeight / rowHeight) + 2 * OVERSCAN);
      }
      var frag = document.createDocumentFragment();
      if (from > 0) frag.appendChild(spacer(from));
      for (var i = from; i < to; i++) frag.appendChild(row(rows[i], i));
      if (to < rows.length) frag.appendChild(spacer(rows.length - to));
      // Keep the focus on the row that had it, if it is drawn again.
      var focused = tbody.contains(document.activeElement) ? document.activeElement.getAttribute('aria-rowindex') : null;
      tbody.textContent = '';
      tbody.appendChild(frag);
      // The current row scrolled out of the DOM: Tab enters the table at the first row drawn.
      if (!tbody.querySelector('tr[tabindex="0"]') && to > from) rowAt(from).tabIndex = 0;
      if (focused) {
        var again = tbody.querySelector('tr[aria-rowindex="' + focused + '"]');
        if (again) again.focus({ preventScroll: true });
      }
      // The first time (or after a zoom): the rows' real height, then the rows of that position.
      if (!refitted && fitRowHeight()) render(true);
    }

    function update() {
      var t = performance.now();
      state.rows = select();
      state.current = 0;  // a new selection: Tab enters it at its first row
      table.setAttribute('aria-rowcount', state.rows.length + 1);
      Object.keys(headers).forEach(function (k) {
        headers[k].setAttribute('aria-sort', k === state.sort ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
      });
      count.textContent = state.rows.length.toLocaleString('en') + ' of ' + n.toLocaleString('en') + ' records';
      count.setAttribute('data-shown', state.rows.length);
      render();
      app.tableMs = performance.now() - t;
    }

    // Details beside the table: the same content as a popup; focus moves in,
    // Escape (or Close) returns it to the row.
    var details = el('section', 'mdm-details mdm-panel');
    details.setAttribute('aria-label', 'Record details');
    details.hidden = true;
    var close = el('button', 'mdm-button mdm-close', 'Close');
    close.type = 'button';
    var body = el('div', 'mdm-details-body');
    details.appendChild(close);
    details.appendChild(body);
    panel.insertAdjacentElement('afterend', details);
    L.DomEvent.disableClickPropagation(details);
    L.DomEvent.disableScrollPropagation(details);
    var returnTo = null;

    function show(ri) {
      marksOf = marksOf || recordMarks(app);
      var mis = marksOf[ri] || [];
      var mark = null;
      for (var i = 0; i < app.marks.length && !mark; i++) {
        if (mis.indexOf(app.marks[i].index) !== -1 && app.marks[i].role === 'place') mark = app.marks[i];
      }
      for (i = 0; i < app.marks.length && !mark; i++) if (mis.indexOf(app.marks[i].index) !== -1) mark = app.marks[i];
      if (!mark) return;
      // Shown in the part of the map the panels leave free: between the records
      // panel and details and the panels on the right on a wide screen; between
      // the controls at the top and the bottom sheet on a phone.
      var container = app.map.getContainer(), c = container.getBoundingClientRect();
      var left = c.left, right = c.right, top = c.top, bottom = c.bottom, narrow = MDM.narrow();
      [panel, details].forEach(function (box) {
        if (box.hidden) return;
        var r = box.getBoundingClientRect();
        if (narrow) bottom = Math.min(bottom, r.top); else left = Math.max(left, r.right);
      });
      var others = narrow ? '.mdm-title, .leaflet-top .leaflet-control' : '.leaflet-right .leaflet-control:not(.leaflet-control-attribution)';
      container.querySelectorAll(others).forEach(function (k) {
        var r = k.getBoundingClientRect();
        if (!r.width) return;
        if (narrow && r.bottom < bottom - 60) top = Math.max(top, r.bottom);
        if (!narrow && r.left > left + 120) right = Math.min(right, r.left);
      });
      var layer = mark.main, size = app.map.getSize();
      if (layer.getLatLng) {
        app.map.setView(layer.getLatLng(), Math.max(app.map.getZoom(), 4), { animate: false });
        app.map.panBy([size.x / 2 - ((left + right) / 2 - c.left), size.y / 2 - ((top + bottom) / 2 - c.top)], { animate: false });
      } else {
        app.map.fitBounds(layer.getBounds(), {
          animate: false, paddingTopLeft: [left - c.left + 20, top - c.top + 20],
          paddingBottomRight: [c.right - right + 20, c.bottom - bottom + 20]
        });
      }
    }

    function open(ri, from, move) {
      returnTo = from || null;
      app.openRecord = ri;
      body.textContent = '';
      body.appendChild(MDM.details.record(app, ri));
      details.hidden = false;
      details.setAttribute('data-record', R.id[ri]);
      app.layout();  // its place and height, before it is painted
      var h = body.querySelector('h3');
      h.tabIndex = -1;
      h.focus();
      if (move !== false) show(ri);
      app.emit('record');
    }

    function shut() {
      details.hidden = true;
      app.openRecord = null;
      app.emit('record');
      // Back to the row it was opened from; drawn again if it scrolled away meanwhile.
      if (returnTo && !document.body.contains(returnTo) && !panel.hidden && returnTo.getAttribute('aria-rowindex')) {
        var position = +returnTo.getAttribute('aria-rowindex') - 2;
        if (state.rows[position] !== undefined && R.id[state.rows[position]] === returnTo.getAttribute('data-record')) {
          focusRow(position);
          return;
        }
      }
      if (returnTo && document.body.contains(returnTo)) returnTo.focus();
    }
    close.addEventListener('click', shut);
    details.addEventListener('keydown', function (e) { if (e.key === 'Escape') shut(); });

    var pending = 0;
    search.addEventListener('input', function () {
      clearTimeout(pending);
      pending = setTimeout(function () { state.query = search.value.trim().toLowerCase(); update(); }, 120);
    });
    scroller.addEventListener('scroll', function () { if (state.rows.length > ROWS_ALL) render(); });
    // The panel folds away from a button in the title bar, and the page remembers it.
    var toggle = el('button', 'mdm-button mdm-records-toggle', 'Records');
    toggle.type = 'button';
    toggle.setAttribute('aria-controls', panel.id);
    // rows: record rows to show (null clears); label: what they are, shown as 'Selected: label'.
    function choose(rows, label) {
      chosen = rows ? { has: new Uint8Array(n), label: label } : null;
      if (rows) rows.forEach(function (ri) { chosen.has[ri] = 1; });
      chip.hidden = !chosen;
      chipText.textContent = chosen ? 'Selected: ' + label + ' ' : '';
      chip.setAttribute('data-selected', chosen ? label : '');
      if (panel.hidden) fold(true); else update();
      app.emit('selection');
    }
    unchoose.addEventListener('click', function () { choose(null); search.focus(); });

    function fold(open, remember) {
      if (open && panel.hidden) { app.view = 'records'; app.emit('view'); }
      panel.hidden = !open;
      if (!open) details.hidden = true;
      toggle.setAttribute('aria-expanded', String(open));
      app.map.getContainer().classList.toggle('mdm-records-open', open);
      if (remember !== false) MDM.store.set('mdm-records-open', open ? '1' : '0');
      if (open) update();
      app.layout();
    }
    toggle.addEventListener('click', function () { fold(panel.hidden); });
    app.addButton(toggle);
    fold(MDM.store.get('mdm-records-open') === '1', false);
    app.panels.records = { button: toggle, fold: fold, open: function () { return !panel.hidden; } };
    app.on('range', function () { if (!panel.hidden) update(); });
    app.on('layers', function () { if (!panel.hidden) update(); });
    // A zoom changes the rows' height (the window's size changes with it, and the layout runs).
    app.on('layout', function () { if (!panel.hidden && fitRowHeight()) render(true); });
    app.on('view', function () { if (app.view !== 'records' && !panel.hidden) fold(false); });
    app.records = {
      panel: panel, update: update, open: open, details: details, fold: fold, choose: choose,
      chosen: function () { return chosen && chosen.label; }
    };
  };
}());
