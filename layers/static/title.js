/* Title bar: the map's title, its record count, and 'About & sources'.
 * Other units (export.js) add their buttons to it through app.titleBar. */
(function () {
  'use strict';
  var el = MDM.el;

  function aboutPanel(d) {
    var S = d.sources, n = S.id.length;
    var panel = el('div', 'mdm-about');
    panel.hidden = true;
    panel.appendChild(el('p', null, d.about));
    panel.appendChild(el('h3', null, 'Sources (' + n + ')'));
    var list = el('ul');
    for (var s = 0; s < n; s++) {
      var li = el('li');
      li.appendChild(MDM.details.sourceTitle(S, s));
      var bits = [S.author[s], S.publisher[s], S.published_label[s], S.kind[s]].filter(Boolean);
      li.appendChild(document.createTextNode(' \u2014 ' + bits.join(', ')));
      list.appendChild(li);
    }
    panel.appendChild(list);
    return panel;
  }

  MDM.titleBar = function (app) {
    var d = app.data;
    var bar = el('div', 'mdm-title');
    bar.appendChild(el('h1', null, d.title));
    if (d.subtitle) bar.appendChild(el('p', null, d.subtitle));
    var about = el('button', 'mdm-button', 'About & sources');
    about.type = 'button';
    about.setAttribute('aria-expanded', 'false');
    var panel = aboutPanel(d);
    about.addEventListener('click', function () {
      var open = panel.hidden;
      panel.hidden = !open;
      about.setAttribute('aria-expanded', String(open));
    });
    bar.appendChild(about);
    bar.appendChild(panel);
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.disableScrollPropagation(bar);
    app.map.getContainer().appendChild(bar);
    app.titleBar = bar;
    app.addButton = function (button) { bar.insertBefore(button, panel); };
  };
}());
