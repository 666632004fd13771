/* Views beside the records panel (partners.js, claims.js): a panel in the
 * records panel's place, opened from a title-bar button, one of them at a
 * time with the records panel (app.view names the one open; 'view' is
 * emitted when it changes). The layout pass ('layout') gives the panel the
 * records panel's top and bottom; on phones it is a bottom sheet, as the
 * records panel is. The page remembers which view was open.
 */
(function () {
  'use strict';
  var el = MDM.el;

  // Returns { panel, body, status, fold(open), open(), restore() }; `refresh`
  // is called each time the view opens.
  MDM.sideView = function (app, name, buttonLabel, heading, refresh) {
    var key = 'mdm-view-' + name;
    var panel = el('section', 'mdm-view mdm-panel mdm-view-' + name);
    panel.id = 'mdm-' + name;
    panel.setAttribute('aria-labelledby', panel.id + '-heading');
    panel.setAttribute('data-panel', name);
    var head = el('div', 'mdm-view-head');
    var h = el('h2', null, heading);
    h.id = panel.id + '-heading';
    var status = el('p', 'mdm-view-count');
    status.setAttribute('role', 'status');
    head.appendChild(h);
    head.appendChild(status);
    var body = el('div', 'mdm-view-body');
    panel.appendChild(head);
    panel.appendChild(body);
    panel.hidden = true;
    var container = app.map.getContainer();
    // Right after the title bar, whose button opens it (as the records panel is):
    // next in the tab order, not after every control of the map.
    app.titleBar.insertAdjacentElement('afterend', panel);
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);

    var toggle = el('button', 'mdm-button mdm-view-toggle', buttonLabel);
    toggle.type = 'button';
    toggle.setAttribute('aria-controls', panel.id);
    toggle.setAttribute('aria-expanded', 'false');

    function fold(open, remember) {
      if (open === !panel.hidden) return;
      panel.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      container.classList.toggle('mdm-view-open', !!container.querySelector('.mdm-view:not([hidden])'));
      if (remember !== false) MDM.store.set(key, open ? '1' : '0');
      if (open) {
        app.view = name;
        app.emit('view');
        refresh();
      }
      app.layout();
    }
    toggle.addEventListener('click', function () { fold(panel.hidden); });
    app.addButton(toggle);
    app.on('view', function () { if (app.view !== name) fold(false); });
    app.on('layout', function () {
      var records = container.querySelector('.mdm-records');
      panel.style.top = records ? records.style.top : '';
      panel.style.bottom = records ? records.style.bottom : '';
    });
    var view = { panel: panel, body: body, status: status, fold: fold, open: function () { return !panel.hidden; } };
    // Starts closed; the unit calls restore() once built: open if it was open
    // last time (then the records panel folds).
    view.restore = function () { if (MDM.store.get(key) === '1') fold(true, false); };
    app.panels[name] = { button: toggle, fold: fold, open: view.open };
    return view;
  };
}());
