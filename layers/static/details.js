/* Details: what a record says, as popups and tooltips show it.
 *
 * Everything here is read from the contract by name (layers/wire.py): dates
 * come with their labels, places with their precision, citations with their
 * sources. Text goes in with textContent only.
 */
(function () {
  'use strict';
  var el = MDM.el;

  function sourceTitle(S, s) {
    var href = MDM.safeHref(S.address[s]);
    if (!href) return el('cite', null, S.title[s]);
    var a = el('a', null, S.title[s]);
    a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer';
    return a;
  }

  var STATUS_LABEL = { confirmed: 'Confirmed', differs: 'Differs', unconfirmed: 'Unconfirmed' };

  // A seed claim's assessment: its status in words, the one-line note, the sources behind it.
  function assessmentView(d, check) {
    var box = el('div', 'mdm-assessment');
    box.setAttribute('data-status', check.status);
    box.appendChild(el('strong', 'mdm-status mdm-status-' + check.status, STATUS_LABEL[check.status] || check.status));
    box.appendChild(document.createTextNode(' ' + check.note));
    if (check.sources.length) {
      var by = el('span', 'mdm-assessment-sources', ' Sources: ');
      check.sources.forEach(function (s, i) {
        if (i) by.appendChild(document.createTextNode('; '));
        by.appendChild(sourceTitle(d.sources, s));
      });
      box.appendChild(by);
    }
    return box;
  }

  function citationView(d, c) {
    var S = d.sources, s = c.source;
    var li = el('li', 'mdm-cite');
    if (c.quote) li.appendChild(el('q', 'mdm-quote', c.quote));
    var bits = [S.author[s], S.publisher[s], S.published_label[s]].filter(Boolean);
    var src = el('div', 'mdm-source');
    src.appendChild(sourceTitle(S, s));
    if (bits.length) src.appendChild(document.createTextNode(' \u2014 ' + bits.join(', ')));
    if (c.ref) src.appendChild(document.createTextNode(' [' + c.ref + ']'));
    li.appendChild(src);
    if (c.assessment) li.appendChild(assessmentView(d, c.assessment));
    if (c.note) li.appendChild(el('div', 'mdm-note', 'Note: ' + c.note));
    return li;
  }

  function placeLabel(P, p) {
    return P.name[p] + (P.precision[p] === 'exact' ? '' : ' (' + P.precision[p] + ')');
  }

  // One record: title, dates in their precision, place, who, description, sources.
  function record(app, ri) {
    var d = app.data, R = d.records, isEvent = R.record_type[ri] === 'event';
    var sec = el('section', 'mdm-record');
    sec.setAttribute('data-record', R.id[ri]);
    sec.appendChild(el('h3', null, R.title[ri]));
    var when = R.date_label[ri];
    if (!isEvent && R.start[ri] && !R.end[ri]) when = 'since ' + when;
    sec.appendChild(el('p', 'mdm-when', [when, R.kind[ri]].filter(Boolean).join(' \u00b7 ')));
    var places = R.places[ri];
    if (places.length) {
      sec.appendChild(el('p', 'mdm-where', 'Where: ' + places.map(function (p) {
        return placeLabel(d.places, p);
      }).join('; ')));
    }
    var actors = R.actors[ri];
    if (actors.length) {
      sec.appendChild(el('p', 'mdm-who', (isEvent ? 'Participants: ' : 'Between: ') +
        actors.map(function (a) { return d.actors.name[a]; }).join(', ')));
    }
    if (R.description[ri]) sec.appendChild(el('p', 'mdm-desc', R.description[ri]));
    d.details.forEach(function (f) {
      var value = R[f.key][ri];
      if (value !== null && value !== undefined) sec.appendChild(el('p', 'mdm-field', f.label + ': ' + value));
    });
    var link = el('a', 'mdm-record-link', 'Link to this record');
    link.href = '#record=' + encodeURIComponent(R.id[ri]);
    sec.appendChild(link);
    var list = el('ol', 'mdm-cites');
    R.citations[ri].forEach(function (c) { list.appendChild(citationView(d, c)); });
    sec.appendChild(el('div', 'mdm-cites-head', 'Sources'));
    sec.appendChild(list);
    return sec;
  }

  // What a mark is called: its place, country, or the actors it joins.
  function markTitle(app, mi) {
    var d = app.data, M = d.marks, P = d.places, role = M.role[mi], props = M.props;
    if (role === 'place') {
      var p = M.place[mi];
      return P.local_name[p] ? P.name[p] + ' (' + P.local_name[p] + ')' : P.name[p];
    }
    if (role === 'country') return props.country_name[mi] || props.country[mi];
    if (role === 'participant') return props.participant[mi] + ' \u2192 ' + P.name[M.place[mi]];
    var first = M.records[mi][0];
    return d.records.actors[first].map(function (a) { return d.actors.name[a]; }).join(' \u2194 ');
  }

  function tooltip(app, mi) {
    var box = el('div', 'mdm-tooltip');
    box.appendChild(el('strong', null, markTitle(app, mi)));
    var recs = app.visibleRecords(mi);
    if (recs.length === 1) box.appendChild(el('div', null, app.data.records.title[recs[0]]));
    else if (recs.length > 1) box.appendChild(el('div', null, recs.length + ' records \u00b7 click to read'));
    return box;
  }

  function popup(app, mi) {
    var d = app.data, M = d.marks, style = d.layers[M.layer[mi]], role = M.role[mi];
    var box = el('div', 'mdm-popup');
    box.setAttribute('data-mark', M.id[mi]);
    var head = el('div', 'mdm-popup-head');
    head.appendChild(MDM.symbolSvg(style.symbol, style.colour, 14));
    head.appendChild(el('span', 'mdm-layer', style.label));
    box.appendChild(head);
    box.appendChild(el('h2', null, markTitle(app, mi)));
    if (role === 'place' || role === 'participant') {
      var p = M.place[mi], km = d.places.uncertainty_km[p];
      var where = 'Location known to: ' + d.places.precision[p];
      if (km > 0) where += ' (within about ' + km + ' km)';
      box.appendChild(el('p', 'mdm-precision', where));
    }
    var recs = app.visibleRecords(mi);
    if (role === 'country' && recs.length) {
      var years = recs.map(function (ri) { return d.records.years[ri][0]; });
      box.appendChild(el('p', 'mdm-count', recs.length + ' record' + (recs.length > 1 ? 's' : '') +
        ' in the years shown: ' + years.join(', ')));
    }
    for (var i = 0; i < recs.length; i++) box.appendChild(record(app, recs[i]));
    if (!recs.length) box.appendChild(el('p', 'mdm-empty', 'No records in the years selected.'));
    return box;
  }

  MDM.details = {
    record: record, markTitle: markTitle, tooltip: tooltip, popup: popup, sourceTitle: sourceTitle,
    assessment: assessmentView
  };
}());
