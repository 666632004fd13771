/* Partners over time: for each partner (country or organisation) and year, how
 * many of the records shown involve it, partners grouped into blocs. A heat
 * table whose counts are its text; it follows the layers and years live.
 *
 * Who is a partner, their bloc and order, and the years each record counts in
 * come from the contract (layers/wire.py, 'partners'; the rule is
 * geo/partners.py's): the page only counts the records shown. A cell is a
 * button that selects its records in the records panel. 'Download CSV' writes
 * the table as shown, in the form of output/partners_by_year.csv.
 */
(function () {
  'use strict';
  var el = MDM.el;
  // Cell shades, light to dark; black text on each keeps a contrast above 7:1.
  var SHADES = ['#eef4fb', '#d3e2f4', '#b4cdeb', '#94b7e1', '#76a2d8'];

  MDM.partnersView = function (app) {
    var d = app.data, P = d.partners, R = d.records, n = R.id.length, np = P.actors.length;
    var partnerOf = new Int32Array(d.actors.id.length).fill(-1);
    P.actors.forEach(function (a, k) { partnerOf[a] = k; });
    // The years each record counts in: its years, or the contract's exception.
    var c0 = new Float64Array(n), c1 = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var span = Object.prototype.hasOwnProperty.call(P.counted, i) ? P.counted[i] : R.years[i];
      c0[i] = span && span[0] !== null ? span[0] : NaN;
      c1[i] = span && span[1] !== null ? span[1] : NaN;
    }
    var table = null;  // the last count: { lo, hi, counts, partners shown }
    var picked = null;  // [partner, year] of the cell selected in the records panel

    var view = MDM.sideView(app, 'partners', 'Partners', 'Partners over time', refresh);
    view.body.appendChild(el('p', 'mdm-view-how', 'A record counts once for each partner that took part ' +
      '(a multinational exercise, once in each of its partners\' rows). Choose a count to list its records.'));
    var more = el('details', 'mdm-view-more');
    more.appendChild(el('summary', null, 'How records are counted, and the blocs'));
    more.appendChild(el('p', null, P.how));
    var blocList = el('dl');
    P.blocs.forEach(function (b) {
      blocList.appendChild(el('dt', null, b.label));
      blocList.appendChild(el('dd', null, b.description || (b.id === 'other' ? 'Every partner in no other bloc.' : '')));
    });
    more.appendChild(blocList);
    view.body.appendChild(more);
    var download = el('button', 'mdm-button', 'Download CSV');
    download.type = 'button';
    download.title = 'The table as shown: partner, bloc, year, records';
    view.body.appendChild(download);
    var scroller = el('div', 'mdm-partners-scroll');
    scroller.tabIndex = 0;  // a scrolling region is reached by keyboard too
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', 'Partners by year');
    view.body.appendChild(scroller);

    function count() {
      var lo = app.range ? app.range[0] : 0, hi = app.range ? app.range[1] : -1, ny = hi - lo + 1;
      var counts = new Int32Array(Math.max(0, np * ny)), seen = new Int32Array(np).fill(-1), on = [];
      for (var l = 0; l < d.layers.length; l++) on[l] = app.layerOn(l);
      for (var ri = 0; ri < n; ri++) {
        if (!on[R.layer[ri]] || !app.inRange(ri) || c0[ri] !== c0[ri]) continue;
        var a = Math.max(c0[ri], lo), b = Math.min(c1[ri], hi), actors = R.actors[ri];
        if (a > b) continue;
        for (var j = 0; j < actors.length; j++) {
          var k = partnerOf[actors[j]];
          if (k < 0 || seen[k] === ri) continue;  // an actor named twice takes part once
          seen[k] = ri;
          for (var y = a; y <= b; y++) counts[k * ny + y - lo]++;
        }
      }
      // The rows and columns shown: partners and years with a record.
      var shown = [], max = 0, used = new Uint8Array(Math.max(0, ny)), years = [];
      for (var p = 0; p < np; p++) {
        var total = 0;
        for (var c = 0; c < ny; c++) {
          var v = counts[p * ny + c];
          if (v) { total += v; max = Math.max(max, v); used[c] = 1; }
        }
        if (total) shown.push(p);
      }
      for (c = 0; c < ny; c++) if (used[c]) years.push(lo + c);
      return { lo: lo, hi: hi, ny: ny, counts: counts, shown: shown, max: max, years: years };
    }

    // The records shown that count for partner k in year y.
    function cellRecords(k, y) {
      var out = [], actor = P.actors[k], on = [];
      for (var l = 0; l < d.layers.length; l++) on[l] = app.layerOn(l);
      for (var ri = 0; ri < n; ri++) {
        if (on[R.layer[ri]] && app.inRange(ri) && c0[ri] <= y && c1[ri] >= y && R.actors[ri].indexOf(actor) !== -1) out.push(ri);
      }
      return out;
    }

    function shade(value, max) {
      return SHADES[Math.min(SHADES.length - 1, Math.floor((value - 1) * SHADES.length / max))];
    }

    function cell(t, k, y) {
      var value = t.counts[k * t.ny + y - t.lo], td = el('td');
      if (!value) return td;
      var name = d.actors.name[P.actors[k]];
      var button = el('button', 'mdm-cell', value);
      button.type = 'button';
      button.style.background = shade(value, t.max);
      button.setAttribute('aria-label', value + (value === 1 ? ' record' : ' records') + ': ' + name + ', ' + y);
      if (picked && picked[0] === k && picked[1] === y) button.setAttribute('aria-current', 'true');
      button.setAttribute('data-partner', d.actors.id[P.actors[k]]);
      button.setAttribute('data-row', k);
      button.setAttribute('data-year', y);
      td.appendChild(button);
      return td;
    }

    // One listener for every cell (at 100,000 records the table has thousands).
    scroller.addEventListener('click', function (e) {
      var button = e.target.closest && e.target.closest('button.mdm-cell');
      if (!button) return;
      var k = +button.getAttribute('data-row'), y = +button.getAttribute('data-year');
      picked = [k, y];
      app.records.choose(cellRecords(k, y), d.actors.name[P.actors[k]] + ', ' + y);
    });

    function render(t) {
      var tableEl = el('table', 'mdm-partners-table');
      tableEl.appendChild(el('caption', 'mdm-visually-hidden',
        'Records per partner and year, in the layers and years shown, partners grouped by bloc'));
      var thead = el('thead'), tr = el('tr'), th = el('th', null, 'Partner');
      th.scope = 'col';
      tr.appendChild(th);
      t.years.forEach(function (y) {
        th = el('th', 'mdm-year', y);
        th.scope = 'col';
        tr.appendChild(th);
      });
      thead.appendChild(tr);
      tableEl.appendChild(thead);
      var bloc = -1, tbody = null;
      t.shown.forEach(function (k) {
        if (P.bloc[k] !== bloc) {
          bloc = P.bloc[k];
          tbody = el('tbody');
          var head = el('tr', 'mdm-bloc'), hth = el('th', null, P.blocs[bloc].label);
          hth.scope = 'rowgroup';
          hth.colSpan = t.years.length + 1;
          head.appendChild(hth);
          tbody.appendChild(head);
          tableEl.appendChild(tbody);
        }
        var row = el('tr'), name = el('th', null, d.actors.name[P.actors[k]]);
        name.scope = 'row';
        row.appendChild(name);
        t.years.forEach(function (y) { row.appendChild(cell(t, k, y)); });
        tbody.appendChild(row);
      });
      scroller.textContent = '';
      if (t.shown.length) scroller.appendChild(tableEl);
      else scroller.appendChild(el('p', 'mdm-empty', 'No partner in the layers and years shown.'));
    }

    function refresh() {
      if (!view.open()) return;
      var t0 = performance.now();
      table = count();
      render(table);
      var ys = table.years, first = ys[0], last = ys[ys.length - 1];
      view.status.textContent = table.shown.length + (table.shown.length === 1 ? ' partner' : ' partners') +
        (ys.length ? ' in ' + ys.length + (ys.length === 1 ? ' year' : ' years') +
          (first === last ? ' (' + first + ')' : ' with records, ' + first + '\u2013' + last) : '') + (table.max ? '; darker cells: more records (at most ' + table.max + ')' : '');
      app.partnersMs = performance.now() - t0;
    }

    // The table as shown, written as output/partners_by_year.csv is (the contract's CSV cells).
    function csvText(t) {
      var lines = [P.csv_columns.join(',')];
      t.shown.forEach(function (k) {
        for (var y = t.lo; y <= t.hi; y++) {
          var value = t.counts[k * t.ny + y - t.lo];
          if (value) lines.push([P.csv[k], P.blocs[P.bloc[k]].csv, y, value].join(','));
        }
      });
      return lines.join('\n') + '\n';
    }

    download.addEventListener('click', function () {
      MDM.saveFile(csvText(table || count()), 'partners_by_year.csv', 'text/csv;charset=utf-8');
    });

    app.on('range', refresh);
    app.on('layers', refresh);
    app.on('selection', function () {
      if (!app.records.chosen()) picked = null;
    });
    app.partners = { count: count, csvText: function () { return csvText(count()); } };
    view.restore();
  };
}());
