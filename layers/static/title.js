/* Title bar: the map's title, its record count, and 'About & sources'.
 * Other units (export.js, records.js, views.js, links.js) add their buttons
 * to it through app.addButton, into the bar's group of buttons.
 *
 * About & sources is a modal dialog (<dialog>, showModal): it sits above
 * everything without pushing or covering a panel for good, keeps focus inside
 * while open, closes with Escape, its Close button or a click beside it, and
 * gives focus back to the button that opened it. */
(function () {
  'use strict';
  var el = MDM.el;

  function aboutDialog(d) {
    var S = d.sources, n = S.id.length;
    var dialog = el('dialog', 'mdm-about');
    dialog.id = 'mdm-about';
    dialog.setAttribute('aria-labelledby', 'mdm-about-title');
    var close = el('button', 'mdm-button mdm-close', 'Close');
    close.type = 'button';
    close.addEventListener('click', function () { dialog.close(); });
    dialog.appendChild(close);
    var title = el('h2', null, 'About this map');
    title.id = 'mdm-about-title';
    dialog.appendChild(title);
    dialog.appendChild(el('p', null, d.about));
    dialog.appendChild(el('h3', null, 'Sources (' + n + ')'));
    var list = el('ul');
    for (var s = 0; s < n; s++) {
      var li = el('li');
      li.appendChild(MDM.details.sourceTitle(S, s));
      var bits = [S.author[s], S.publisher[s], S.published_label[s], S.kind[s]].filter(Boolean);
      li.appendChild(document.createTextNode(' \u2014 ' + bits.join(', ')));
      list.appendChild(li);
    }
    dialog.appendChild(list);
    // A click on the backdrop (outside the dialog's box) closes it, as in most reading tools.
    dialog.addEventListener('click', function (e) {
      if (e.target !== dialog) return;
      var r = dialog.getBoundingClientRect();
      if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) dialog.close();
    });
    return dialog;
  }

  MDM.titleBar = function (app) {
    var d = app.data;
    var bar = el('div', 'mdm-title');
    bar.appendChild(el('h1', null, d.title));
    if (d.subtitle) {
      // Cut short with an ellipsis where the bar has no room for all of it (app.css): the whole on hover.
      var subtitle = el('p', null, d.subtitle);
      subtitle.title = d.subtitle;
      bar.appendChild(subtitle);
    }
    var about = el('button', 'mdm-button', 'About & sources');
    about.type = 'button';
    about.setAttribute('aria-haspopup', 'dialog');
    about.setAttribute('aria-controls', 'mdm-about');
    var dialog = aboutDialog(d);
    about.addEventListener('click', function () {
      dialog.showModal();
      dialog.querySelector('h2').tabIndex = -1;
      dialog.querySelector('h2').focus();
    });
    dialog.addEventListener('close', function () { about.focus(); });
    // The buttons in a group of their own: on a narrow screen it moves below the
    // title as a whole, and wraps its buttons only where it must.
    var tools = el('div', 'mdm-title-tools');
    tools.appendChild(about);
    bar.appendChild(tools);
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.disableScrollPropagation(bar);
    // First in the map's tab order: the title bar's controls come before the panels on the map.
    var container = app.map.getContainer();
    container.insertBefore(bar, container.firstChild);
    // Outside the map, so the map's key and wheel handlers never see what the dialog does.
    document.body.appendChild(dialog);
    app.titleBar = bar;
    app.addButton = function (button) { tools.appendChild(button); };
    app.about = dialog;
  };
}());
