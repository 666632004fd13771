/* Claims: every claim the seed articles make that the data records (each
 * citation of a seed source, on a record or a series), grouped by article,
 * with its quote, its assessment (confirmed, differs, unconfirmed), the
 * sources behind that and a way to the record: 'Open on the map' opens the
 * record's details as the records panel does (a #record= link), a series'
 * claim selects the series' records in the records panel.
 *
 * Every claim is listed, whatever the layers and years shown.
 */
(function () {
  'use strict';
  var el = MDM.el;

  // Every seed claim: { source, citation, record (row) or series (row) }, series first, then by date.
  function claims(d) {
    var R = d.records, S = d.series, out = [];
    S.id.forEach(function (id, si) {
      S.citations[si].forEach(function (c) { if (d.sources.seed[c.source]) out.push({ c: c, series: si, key: '' }); });
    });
    R.id.forEach(function (id, ri) {
      R.citations[ri].forEach(function (c) {
        if (d.sources.seed[c.source]) out.push({ c: c, record: ri, key: (R.start[ri] || '9999') + '\u0000' + id });
      });
    });
    return out.sort(function (a, b) { return a.key < b.key ? -1 : (a.key > b.key ? 1 : 0); });
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  MDM.claimsView = function (app) {
    var d = app.data, R = d.records, S = d.sources, all = claims(d);
    var view = MDM.sideView(app, 'claims', 'Claims', 'The articles\u2019 claims, checked', function () {});
    view.body.appendChild(el('p', 'mdm-view-how', 'What other sources say of each claim the records take from ' +
      'the seed articles: confirmed, differs (the note says how) or unconfirmed (no other source found). ' +
      'Every claim is listed, whatever the layers and years.'));
    var tally = { confirmed: 0, differs: 0, unconfirmed: 0 };
    all.forEach(function (x) { if (x.c.assessment) tally[x.c.assessment.status]++; });
    view.status.textContent = plural(all.length, 'claim', 'claims') + ': ' + tally.confirmed + ' confirmed, ' +
      tally.differs + ' differ, ' + tally.unconfirmed + ' unconfirmed';

    var filterLabel = el('label', 'mdm-claims-filter');
    filterLabel.appendChild(el('span', null, 'Show '));
    var filter = el('select');
    [['', 'all claims'], ['confirmed', 'confirmed'], ['differs', 'differs'], ['unconfirmed', 'unconfirmed']].forEach(function (o) {
      var option = el('option', null, o[1] + ' (' + (o[0] ? tally[o[0]] : all.length) + ')');
      option.value = o[0];
      filter.appendChild(option);
    });
    filterLabel.appendChild(filter);
    view.body.appendChild(filterLabel);
    var list = el('div', 'mdm-claims');
    view.body.appendChild(list);

    function recordLink(ri) {
      var p = el('p', 'mdm-claim-record');
      p.appendChild(document.createTextNode('Record: ' + R.title[ri] + ' (' + (R.date_label[ri] || 'undated') + ') '));
      var a = el('a', 'mdm-claim-open', 'Open on the map');
      a.href = '#record=' + encodeURIComponent(R.id[ri]);
      a.setAttribute('data-record', R.id[ri]);
      a.setAttribute('aria-label', 'Open on the map: ' + R.title[ri]);
      a.addEventListener('click', function (e) { e.preventDefault(); app.records.open(ri, a); });
      p.appendChild(a);
      return p;
    }

    function seriesLink(si) {
      var p = el('p', 'mdm-claim-record'), rows = d.series.records[si], title = d.series.title[si];
      p.appendChild(document.createTextNode('About the series ' + title + ' (' + plural(rows.length, 'record', 'records') + ') '));
      var b = el('button', 'mdm-button mdm-claim-open', 'List its records');
      b.type = 'button';
      b.setAttribute('aria-label', 'List its records: ' + title);
      b.addEventListener('click', function () { app.records.choose(rows, 'the ' + title + ' series'); });
      p.appendChild(b);
      return p;
    }

    function claimView(x) {
      var li = el('li', 'mdm-claim');
      li.setAttribute('data-status', x.c.assessment ? x.c.assessment.status : '');
      if (x.c.quote) li.appendChild(el('q', 'mdm-quote', x.c.quote));
      if (x.c.assessment) li.appendChild(MDM.details.assessment(d, x.c.assessment));
      li.appendChild(x.record !== undefined ? recordLink(x.record) : seriesLink(x.series));
      return li;
    }

    function render() {
      var want = filter.value;
      list.textContent = '';
      S.id.forEach(function (id, s) {
        if (!S.seed[s]) return;
        var mine = all.filter(function (x) { return x.c.source === s; });
        var shown = mine.filter(function (x) { return !want || (x.c.assessment && x.c.assessment.status === want); });
        var section = el('section', 'mdm-claims-article');
        section.setAttribute('data-source', id);
        var h = el('h3');
        h.appendChild(MDM.details.sourceTitle(S, s));
        section.appendChild(h);
        var bits = [S.author[s], S.publisher[s], S.published_label[s]].filter(Boolean);
        var howMany = want ? shown.length + ' of ' + plural(mine.length, 'claim', 'claims') + ' (' + want + ')'
          : plural(mine.length, 'claim', 'claims');
        section.appendChild(el('p', 'mdm-when', bits.concat([howMany]).join(' \u00b7 ')));
        var ol = el('ol', 'mdm-claims-list');
        shown.forEach(function (x) { ol.appendChild(claimView(x)); });
        section.appendChild(ol);
        list.appendChild(section);
      });
    }
    filter.addEventListener('change', render);
    render();
    view.restore();
  };
}());
