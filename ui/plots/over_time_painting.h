// What the "Over time" plots (layer x step heatmap, one layer's histogram over steps, its
// percentile bands) share: a canvas widget that paints and hovers through callbacks, the step
// axis, columns of pixels mapped to the snapshots kept by the run's record
// (run/snapshot_record.h), a colour scale with its bar, and the texts as painted (tests check
// that none overlap).
#pragma once

#include <QFontMetricsF>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <functional>
#include <vector>

#include "training/stats.h"

class QPainter;

namespace layerscope {

// A text as painted and the box it occupies.
struct PaintedText {
  QString text;
  QRectF box;
};

// A plain widget whose painting, hover text and clicks are the owning plot's.
class PaintCanvas : public QWidget {
 public:
  explicit PaintCanvas(QWidget* parent = nullptr);
  std::function<void(QPainter&, const QRectF&)> paint;
  std::function<QString(const QPointF&)> hoverText;  // empty: no tooltip
  std::function<void(const QPointF&)> clicked;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
};

// Colour = value on a viridis scale over [lo, hi], logarithmic when `log` (a statistic that
// spans decades, e.g. a std): t = (log v - log lo) / (log hi - log lo), clamped to [0, 1].
struct ColourScale {
  double lo = 0.0, hi = 1.0;
  bool log = false;
  double position(double value) const;  // t in [0, 1]; NaN for a value it cannot show
  QColor colour(double value) const;    // grey for NaN / non-positive on a log scale
  QRgb rgb(double value) const;         // the same from a 256-entry table: for every pixel
  // Fits [lo, hi] to finite values (positive ones when log); a log range spans at most
  // `maxDecades` below the top, so one collapsed layer does not wash out the rest.
  static ColourScale fit(const std::vector<double>& values, bool log, double maxDecades = 6.0);
};

// The width a colour bar takes right of its plot: a 10 px gap, the bar (kColourBarWidth), its
// ticks and their labels, the rotated title and a margin, so nothing reaches the area's edge
// (an exported image cut the title off at the edge).
inline constexpr double kColourBarWidth = 14;
double colourBarSpace(const QFontMetricsF& fm);
// The colour bar in `bar` (vertical, low at the bottom) with its ticks and `title` to its
// right; appends the texts painted to `texts`.
void drawColourBar(QPainter& painter, const QRectF& bar, const ColourScale& scale,
                   const QString& title, std::vector<PaintedText>* texts);

// Round tick values in [lo, hi] (1, 2, 5 x 10^k apart, about `about` of them); for a log scale,
// powers of ten (every k-th when there are many).
std::vector<double> roundTicks(double lo, double hi, int about, bool log = false);

// The step axis under `plot`: ticks at round steps between firstStep and lastStep.
void drawStepAxis(QPainter& painter, const QRectF& plot, double firstStep, double lastStep,
                  std::vector<PaintedText>* texts);

// A value axis tick label no wider than kWidestValueLabel: "0.25", "-0.025", and beyond
// 0.01 .. 1e5 as "-2.5e-3", "-1.5e-6" (formatNumber's "-1.50e-06" ran into the axis title in
// the N(0, 0.01) collapse).
QString valueAxisLabel(double v);
// The widest label valueAxisLabel writes (a two-digit exponent): plots keep this much room left
// of the axis for the labels, then the title.
inline const QString kWidestValueLabel = QStringLiteral("-2.5e-12");
// The value axis left of `plot` over [lo, hi] (lo at the bottom), with `title` up its side.
void drawValueAxis(QPainter& painter, const QRectF& plot, double lo, double hi,
                   const QString& title, std::vector<PaintedText>* texts);

// For each of `columns` pixel columns over [steps.front(), steps.back()], the index of the
// snapshot nearest the column's middle step, so the cost of a drawing depends on its width, not
// on the number of probes. `steps` increasing.
std::vector<int> snapshotPerColumn(const std::vector<long>& steps, int columns);

// The first of `choices` (longest first) that fits in `width`, else the last one.
QString firstThatFits(const QFontMetricsF& metrics, const std::vector<QString>& choices, double width);

// Draws `text` at `at` (aligned by `flags` in a box of its own size around it) unless it would
// overlap a text already in `texts`; returns whether it was drawn.
bool drawTextClear(QPainter& painter, const QPointF& at, Qt::Alignment flags, const QString& text,
                   std::vector<PaintedText>* texts);

}  // namespace layerscope
