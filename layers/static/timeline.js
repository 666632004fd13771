/* Timeline: events per year, stacked by layer; the years selected stand out. */
(function () {
  'use strict';
  var el = MDM.el, SVG_NS = MDM.SVG_NS;

  function svgNode(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }

  MDM.timeline = function (app) {
    if (!app.years) return;
    var d = app.data, R = d.records;
    MDM.control('bottomleft', function () {
      var box = el('div', 'mdm-timeline leaflet-bar');
      var heading = el('h4', null, 'Events per year, by layer'), body = el('div', 'mdm-panel-body');
      box.appendChild(heading);
      box.appendChild(body);
      var W = 330, H = 96, pad = 18;
      var svg = svgNode('svg', { width: W, height: H, role: 'img',
        'aria-label': 'Number of events each year, stacked by layer' });
      body.appendChild(svg);
      app.panels.timeline = MDM.foldable(box, heading, body, 'timeline', false);
      var y0 = app.years[0], y1 = app.years[1], n = y1 - y0 + 1;
      var counts = {}, totals = {}, max = 1;
      for (var i = 0; i < R.id.length; i++) {
        if (R.record_type[i] !== 'event') continue;
        var key = R.years[i][0] + ':' + R.layer[i];
        counts[key] = (counts[key] || 0) + 1;
      }
      Object.keys(counts).forEach(function (k) {
        var y = k.split(':')[0];
        totals[y] = (totals[y] || 0) + counts[k];
        max = Math.max(max, totals[y]);
      });
      var bw = (W - 8) / n;
      function draw() {
        while (svg.firstChild) svg.removeChild(svg.firstChild);
        for (var y = y0; y <= y1; y++) {
          var x = 4 + (y - y0) * bw, base = H - pad, inRange = y >= app.range[0] && y <= app.range[1];
          for (var li = 0; li < d.layers.length; li++) {
            var c = counts[y + ':' + li];
            if (!c) continue;
            var h = c / max * (H - pad - 6);
            var rect = svgNode('rect', { x: x + 0.5, y: base - h, width: Math.max(1, bw - 1), height: h,
              fill: d.layers[li].colour, opacity: inRange ? '0.9' : '0.2' });
            var t = document.createElementNS(SVG_NS, 'title');
            t.textContent = y + ': ' + c + ' ' + d.layers[li].label;
            rect.appendChild(t);
            svg.appendChild(rect);
            base -= h;
          }
        }
        var step = n > 30 ? 10 : 5;
        for (var yy = Math.ceil(y0 / step) * step; yy <= y1; yy += step) {
          var tx = 4 + (yy - y0 + 0.5) * bw, text = svgNode('text', { y: H - 4 });
          // A label near either edge is anchored there, so it is not cut off.
          if (tx < 16) { text.setAttribute('x', 2); text.setAttribute('text-anchor', 'start'); }
          else if (tx > W - 16) { text.setAttribute('x', W - 2); text.setAttribute('text-anchor', 'end'); }
          else { text.setAttribute('x', tx); text.setAttribute('text-anchor', 'middle'); }
          text.textContent = String(yy);
          svg.appendChild(text);
        }
      }
      app.on('range', draw);
      // A click on a year's bar selects that year; a drag selects the years it crosses.
      // (The year sliders remain the keyboard and single-pointer way.)
      function yearAt(e) {
        var box = svg.getBoundingClientRect();
        var y = y0 + Math.floor((e.clientX - box.left - 4) / bw);
        return Math.max(y0, Math.min(y1, y));
      }
      var anchor = null;
      svg.style.cursor = 'pointer';
      svg.addEventListener('pointerdown', function (e) {
        anchor = yearAt(e);
        svg.setPointerCapture(e.pointerId);
        app.setYears(anchor, anchor);
      });
      svg.addEventListener('pointermove', function (e) {
        if (anchor !== null) app.setYears(anchor, yearAt(e));
      });
      svg.addEventListener('pointerup', function () { anchor = null; });
      return box;
    }).addTo(app.map);
  };
}());
