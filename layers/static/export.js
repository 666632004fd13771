/* Export: 'Export GeoJSON' downloads the features shown now (layers checked,
 * years selected) as the command line's export writes them, byte for byte.
 *
 * Properties are read from the contract by name, in its feature_keys order:
 * a mark's own (marks.props), else the record's plain fields; participants
 * and citations are joined from the actors and sources tables. Geometry is
 * the contract's (marks.export, the command line's own; a place's point from
 * the places table), and the text is written as geo/export.py's orjson writes
 * it: pyJson below, whose number format (floatText) is tested against
 * orjson's from tests/cases/mirrors.json. Every number in an exported feature
 * is a float in Python, so a whole number is written '104.0'.
 */
(function () {
  'use strict';

  // A Python float as orjson writes it: the shortest text that reads back the
  // same number (as JavaScript's), '.0' on a whole number, an exponent below
  // 1e-5 and from 1e16.
  function floatText(x) {
    if (!isFinite(x)) throw new Error('not a finite number: ' + x);
    var size = Math.abs(x);
    if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
    if (size < 1e-5 || size >= 1e16) return x.toExponential();
    return Number.isInteger(x) ? String(x) + '.0' : String(x);
  }

  // JSON as orjson writes it (compact, keys in insertion order; strings are
  // escaped as JSON.stringify escapes them, which is orjson's escaping too).
  function pyJson(value) {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number') return floatText(value);
    if (typeof value !== 'object') return JSON.stringify(value);
    var out = [], i;
    if (Array.isArray(value)) {
      for (i = 0; i < value.length; i++) out.push(pyJson(value[i]));
      return '[' + out.join(',') + ']';
    }
    var keys = Object.keys(value);
    for (i = 0; i < keys.length; i++) out.push(JSON.stringify(keys[i]) + ':' + pyJson(value[keys[i]]));
    return '{' + out.join(',') + '}';
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
          var check = c.assessment;
          cite.assessment = check ? {
            status: check.status,
            sources: check.sources.map(function (s) { return d.sources.id[s]; }),
            note: check.note
          } : null;
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
    var p = M.place[mi];
    return { type: 'Point', coordinates: [d.places.lon[p], d.places.lat[p]] };
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
    var name = 'mongolia-defence-map';
    if (app.range) name += '-' + app.range[0] + '-' + app.range[1];
    MDM.saveFile(pyJson(visibleFeatures(app)) + '\n', name + '.geojson', 'application/geo+json');
  }

  MDM.exportButton = function (app) {
    var button = MDM.el('button', 'mdm-button mdm-export', 'Export GeoJSON');
    button.type = 'button';
    button.title = 'Download the features shown now (layers checked, years selected) as GeoJSON';
    button.addEventListener('click', function () { download(app); });
    app.addButton(button);
  };
  MDM.geo = {
    floatText: floatText, pyJson: pyJson,
    visibleFeatures: visibleFeatures, properties: properties
  };
}());
