/* Every use of Leaflet's private members, in one file, for one Leaflet version.
 *
 * Written for Leaflet 1.9.3 (xstatic-leaflet, inlined by layers/assets.py).
 * Leaflet 2 renames or drops these members: when the version differs, this
 * file stops the page with a message naming both versions rather than draw
 * wrongly. What it uses, and why:
 *
 * - Path#_updatePath and Path#_containsPoint: a mark the year filter hides
 *   stays in its layer, flagged (mdmHidden), neither drawn nor hit. Flipping
 *   a flag and redrawing once is far cheaper than removing and adding back
 *   thousands of layers.
 * - Canvas#_drawing, #_ctx, #_fillStroke, CircleMarker#_point, #_radius,
 *   #_empty: drawing the layers' symbols (square, diamond, star, ...) on the
 *   shared canvas, as Leaflet draws its circles.
 * - Canvas#_redraw, #_redrawBounds, Layer#_map: one full redraw of the
 *   canvas after the filter flips many flags.
 */
(function () {
  'use strict';

  var WRITTEN_FOR = '1.9.3';
  if (L.version !== WRITTEN_FOR) {
    throw new Error('layers/static/leaflet-private.js was written for Leaflet ' + WRITTEN_FOR +
      ', this page has Leaflet ' + L.version);
  }

  function drawSymbol(ctx, symbol, x, y, r) {
    var i, a;
    if (symbol === 'square') {
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
    } else if (symbol === 'diamond') {
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r * 1.2); ctx.lineTo(x - r, y);
    } else if (symbol === 'triangle') {
      ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r * 1.05, y + r * 0.8); ctx.lineTo(x - r * 1.05, y + r * 0.8);
    } else if (symbol === 'star') {
      for (i = 0; i < 10; i++) {
        a = Math.PI / 5 * i - Math.PI / 2;
        var rr = i % 2 ? r * 0.55 : r * 1.3;
        if (i === 0) ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
        else ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
      }
    } else {
      ctx.arc(x, y, r, 0, Math.PI * 2, false);
    }
  }

  function hideable(Base) {
    return Base.extend({
      _updatePath: function () {
        if (!this.mdmHidden) Base.prototype._updatePath.call(this);
      },
      _containsPoint: function (p) {
        return !this.mdmHidden && Base.prototype._containsPoint.call(this, p);
      }
    });
  }

  var ShapeMarker = hideable(L.CircleMarker.extend({
    options: { symbol: 'circle' },
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || this._empty()) return;
      var ctx = renderer._ctx, p = this._point;
      ctx.beginPath();
      drawSymbol(ctx, this.options.symbol, p.x, p.y, this._radius);
      ctx.closePath();
      renderer._fillStroke(ctx, this);
    }
  }));

  // A dashed ring of uncertainty, drawn only once it is wider than the symbol
  // it surrounds: at world zoom a 15 km ring is a pixel, and thousands of
  // dashed strokes would slow every redraw for nothing.
  var HideableCircle = hideable(L.Circle);
  var UncertaintyRing = HideableCircle.extend({
    _updatePath: function () {
      if (this._radius >= 8) HideableCircle.prototype._updatePath.call(this);
    }
  });

  MDM.leaflet = {
    version: WRITTEN_FOR,
    ShapeMarker: ShapeMarker,
    Polyline: hideable(L.Polyline),
    Polygon: hideable(L.Polygon),
    UncertaintyRing: UncertaintyRing,
    // Whether a drawn, shown path lies under a layer point (Path#_containsPoint,
    // with the canvas's click tolerance, as Leaflet tests the top one).
    contains: function (layer, point) {
      return !!layer._map && !layer.mdmHidden && layer._containsPoint(point);
    },
    // One full redraw of a canvas (with no redraw bounds set, Canvas#_redraw
    // clears and draws every layer once).
    redraw: function (renderer) {
      if (!renderer._map) return;
      renderer._redrawBounds = null;
      renderer._redraw();
    }
  };
}());
