/* Links: the address (#...) holds the view: the layers shown, the years, the
 * record open, the map's centre and zoom, and the base map when it is not
 * the page's default (base=tiles or base=outlines). Opening the page at such
 * an address (file:// included) restores it; 'Copy link' copies it.
 *
 *   #layers=alaska,nato&years=2010-2015&record=alaska-arctic-training-visit-2024&map=5/64.8/-147.7&base=tiles
 *
 * Absent keys keep the page's defaults. Uses history.replaceState, so moving
 * the map does not fill the browser's history.
 */
(function () {
  'use strict';

  function parse(hash) {
    var out = {};
    hash.replace(/^#/, '').split('&').forEach(function (pair) {
      var i = pair.indexOf('=');
      if (i > 0) out[decodeURIComponent(pair.slice(0, i))] = decodeURIComponent(pair.slice(i + 1));
    });
    return out;
  }

  function apply(app, view) {
    var d = app.data;
    if (view.layers !== undefined) {
      var keys = view.layers ? view.layers.split(',') : [];
      d.layers.forEach(function (style, row) {
        var want = keys.indexOf(style.key) !== -1, group = app.groups[row];
        if (want && !app.map.hasLayer(group)) app.map.addLayer(group);
        if (!want && app.map.hasLayer(group)) app.map.removeLayer(group);
      });
    }
    var years = /^(?<from>\d{1,4})-(?<to>\d{1,4})$/.exec(view.years || '');
    if (years && app.years) app.setYears(+years.groups.from, +years.groups.to);
    var at = /^(?<zoom>\d{1,2})\/(?<lat>-?[\d.]+)\/(?<lng>-?[\d.]+)$/.exec(view.map || '');
    if (at) app.map.setView([+at.groups.lat, +at.groups.lng], +at.groups.zoom, { animate: false });
    if ((view.base === 'tiles' || view.base === 'outlines') && app.basemap) app.basemap.set(view.base);
    if (view.record && app.records) {
      var ri = d.records.id.indexOf(view.record);
      if (ri !== -1) app.records.open(ri, null, !at);
    }
  }

  function current(app) {
    var d = app.data, parts = [], on = [];
    d.layers.forEach(function (style, row) { if (app.layerOn(row)) on.push(style.key); });
    if (on.length !== d.layers.length) parts.push('layers=' + on.map(encodeURIComponent).join(','));
    if (app.range && (app.range[0] !== app.years[0] || app.range[1] !== app.years[1])) {
      parts.push('years=' + app.range[0] + '-' + app.range[1]);
    }
    if (app.openRecord !== undefined && app.openRecord !== null) {
      parts.push('record=' + encodeURIComponent(d.records.id[app.openRecord]));
    }
    var c = app.map.getCenter();
    parts.push('map=' + app.map.getZoom() + '/' + c.lat.toFixed(2) + '/' + c.lng.toFixed(2));
    if (app.basemap && app.basemap.current() !== app.basemap.default) parts.push('base=' + app.basemap.current());
    return '#' + parts.join('&');
  }

  MDM.links = function (app) {
    var writing = false;
    function write() {
      var hash = current(app);
      if (hash === location.hash) return;
      writing = true;
      history.replaceState(null, '', hash);
      writing = false;
    }
    apply(app, parse(location.hash));
    app.on('range', write);
    app.on('layers', write);
    app.on('record', write);
    app.map.on('moveend baselayerchange', write);
    window.addEventListener('hashchange', function () { if (!writing) apply(app, parse(location.hash)); });

    var copy = MDM.el('button', 'mdm-button', 'Copy link');
    copy.type = 'button';
    copy.title = 'Copy a link to this view: layers, years, record, map position and base map';
    var status = MDM.el('span', 'mdm-visually-hidden');
    status.setAttribute('role', 'status');
    copy.addEventListener('click', function () {
      write();
      var done = function () { status.textContent = 'Link copied'; copy.textContent = 'Link copied'; };
      var fail = function () { status.textContent = 'Copy the address from the address bar'; };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(location.href).then(done, fail);
      else fail();
      setTimeout(function () { copy.textContent = 'Copy link'; }, 2000);
    });
    app.addButton(copy);
    app.titleBar.appendChild(status);
    write();
  };
}());
