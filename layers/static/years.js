/* Year filter: two sliders from the first to the last record's year, and the
 * count of records shown (in the years selected, in the layers on). */
(function () {
  'use strict';
  var el = MDM.el;

  MDM.years = function (app) {
    if (!app.years) return;
    MDM.control('topright', function () {
      var box = el('div', 'mdm-years leaflet-bar');
      var heading = el('h4', null, 'Years'), body = el('div', 'mdm-panel-body');
      box.appendChild(heading);
      box.appendChild(body);
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
      function show() {
        var s = app.stats();
        label.textContent = app.range[0] + ' \u2013 ' + app.range[1] + ' \u00b7 ' + s.records + ' records shown';
        label.setAttribute('data-from', app.range[0]);
        label.setAttribute('data-to', app.range[1]);
        label.setAttribute('data-records', s.records);
      }
      app.on('range', function () {
        from.value = app.range[0]; to.value = app.range[1];
        show();
      });
      app.on('layers', show);
      var rows = el('div', 'mdm-year-inputs');
      rows.appendChild(el('label', null, 'from')); rows.appendChild(from);
      rows.appendChild(el('label', null, 'to')); rows.appendChild(to);
      body.appendChild(label);
      body.appendChild(rows);
      // On a phone too the years stay open: they are how a reader narrows the map.
      app.panels.years = MDM.foldable(box, heading, body, 'years', true);
      app.yearInputs = [from, to];
      return box;
    }).addTo(app.map);
  };
}());
