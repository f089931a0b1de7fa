// What the two QPainter heat maps, the phase diagram (phase_diagram_plot.h) and the trainability
// map (sweep_heatmap_plot.h), paint the same way: the title band, the cells, the viridis colour
// bar right of the map with its ticks and title, the rotated title of the vertical axis, and the
// legend line with the wrapped caption under the axes. Each function leaves the painter's pen,
// brush and font as stated, so a plot paints on with the state it had before the helper.
#pragma once

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <vector>

class QPainter;

namespace layerscope {

// matplotlib's viridis at t in [0, 1] (dark purple to yellow).
QColor viridis(double t);

// The title, bold 10 pt in dark grey, centred in the band at the top of a plot of `size`. Leaves
// the font set to `font` and the pen dark grey (the "no data" text is painted with it).
void drawHeatmapTitle(QPainter& painter, const QSizeF& size, const QFont& font,
                      const QString& title);

// One cell, filled with `color`, slightly enlarged so antialiased neighbours leave no hairline
// gaps. Leaves no pen and the brush `color`.
void fillHeatmapCell(QPainter& painter, const QRectF& cell, const QColor& color);

// The title of the vertical axis, rotated to read upwards, centred at x = `x` along the map's
// height.
void drawVerticalAxisTitle(QPainter& painter, const QRectF& map, double x, const QString& title);

// A tick of the colour bar: at fraction t of its height (0 the bottom), with its label.
struct ColourBarTick {
  double t = 0.0;
  QString label;
};

// The colour bar right of `map`: viridis from the bottom (t = 0) to the top (t = 1) in a grey
// frame, a tick and its label to its right for each of `ticks`, and `title` above it. Leaves
// no brush and the pen grey.
void drawViridisColourBar(QPainter& painter, const QRectF& map,
                          const std::vector<ColourBarTick>& ticks, const QString& title);

// The legend (one line, 8 pt, dark grey) from `legendTop` and the caption (wrapped, grey) under
// it, across a plot of `size`. Leaves the 8 pt font set.
void drawLegendAndCaption(QPainter& painter, const QSizeF& size, const QFont& font,
                          double legendTop, const QString& legend, const QString& caption);

}  // namespace layerscope
