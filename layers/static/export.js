/* Export: 'Export GeoJSON' downloads the features shown now (layers checked,
 * years selected) as the command line's export would write them.
 *
 * Properties are read from the contract by name, in its feature_keys order:
 * a mark's own (marks.props), else the record's plain fields; participants
 * and citations are joined from the actors and sources tables. Geometry is
 * given by the contract where Python knows it; an arc the display window does
 * not cut is cut at ±180° here by toWindow, the mirror of geo/geometry.py
 * to_window (both tested from tests/cases/mirrors.json).
 */
(function () {
  'use strict';

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

  var CITATION_SOURCE_KEYS = ['title', 'author', 'publisher', 'published', 'address'];

  function properties(d, mi, ri) {
    var R = d.records, M = d.marks, out = {};
    d.feature_keys.forEach(function (key) {
      if (key in M.props) out[key] = M.props[key][mi];
      else if (key === 'participants') out[key] = R.actors[ri].map(function (a) { return d.actors.name[a]; });
      else if (key === 'citations') {
        out[key] = R.citations[ri].map(function (c) {
          var cite = { source: d.sources.id[c.source] };
          CITATION_SOURCE_KEYS.forEach(function (k) { cite[k] = d.sources[k][c.source]; });
          cite.quote = c.quote === undefined ? null : c.quote;
          cite.ref = c.ref === undefined ? null : c.ref;
          cite.note = c.note === undefined ? null : c.note;
          return cite;
        });
      } else if (key === 'layer') out[key] = d.layers[R.layer[ri]].key;
      else out[key] = R[key][ri];
    });
    return out;
  }

  function geometry(d, mi) {
    var M = d.marks;
    if (M.export[mi]) return M.export[mi];
    if (M.role[mi] === 'place') {
      var p = M.place[mi];
      return { type: 'Point', coordinates: [d.places.lon[p], d.places.lat[p]] };
    }
    var scale = Math.pow(10, d.line_digits);
    var parts = toWindow(M.line[mi][0], -180).map(function (part) {
      return part.map(function (c) { return [Math.round(c[0] * scale) / scale, Math.round(c[1] * scale) / scale]; });
    });
    if (parts.length === 1) return { type: 'LineString', coordinates: parts[0] };
    return { type: 'MultiLineString', coordinates: parts };
  }

  function visibleFeatures(app) {
    var d = app.data, features = [];
    for (var i = 0; i < app.marks.length; i++) {
      var mark = app.marks[i], mi = mark.index;
      if (!mark.shown || !app.map.hasLayer(mark.group)) continue;
      var recs = app.visibleRecords(mi);
      if (!recs.length) continue;
      var geom = geometry(d, mi);
      for (var j = 0; j < recs.length; j++) {
        var props = properties(d, mi, recs[j]);
        features.push({ type: 'Feature', id: props.id + '@' + d.marks.id[mi], geometry: geom, properties: props });
      }
    }
    features.sort(function (a, b) { return a.id < b.id ? -1 : (a.id > b.id ? 1 : 0); });
    // Keys in the command line's order: type, the data set (when the folder has one), features.
    var collection = { type: 'FeatureCollection' };
    if (d.dataset) collection.dataset = d.dataset;
    collection.features = features;
    return collection;
  }

  function download(app) {
    var text = JSON.stringify(visibleFeatures(app)) + '\n';
    var blob = new Blob([text], { type: 'application/geo+json' });
    var a = document.createElement('a');
    var name = 'mongolia-defence-map';
    if (app.range) name += '-' + app.range[0] + '-' + app.range[1];
    a.download = name + '.geojson';
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  MDM.exportButton = function (app) {
    var button = MDM.el('button', 'mdm-button mdm-export', 'Export GeoJSON');
    button.type = 'button';
    button.title = 'Download the features shown now (layers checked, years selected) as GeoJSON';
    button.addEventListener('click', function () { download(app); });
    app.addButton(button);
  };
  MDM.geo = { toWindow: toWindow, wrapLon: wrapLon, visibleFeatures: visibleFeatures, properties: properties };
}());
