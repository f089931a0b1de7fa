// Base of the plots drawn with Qt Charts: one QChart in a QChartView, animations off, no OpenGL
// (it crashes on the offscreen platform), hover tooltips and vector rendering of the scene.
// Qt Charts types appear only in ui/plots.
#pragma once

#include <QColor>
#include <QHash>
#include <QPointer>
#include <QXYSeries>
#include <QList>
#include <QPen>
#include <QPointF>
#include <functional>

#include "common/number_format.h"
#include "plots/plot_view.h"

class QChart;
class QChartView;
class QAbstractSeries;
class QXYSeries;
class QLineSeries;
class QScatterSeries;
class QAbstractAxis;
class QValueAxis;
class QLogValueAxis;
class QGraphicsItem;

namespace layerscope {

class ChartPlot : public PlotView {
  Q_OBJECT
 public:
  explicit ChartPlot(const QString& title, QWidget* parent = nullptr);
  ~ChartPlot() override;

  void renderTo(QPainter& painter, const QRectF& target) override;
  // The points currently drawn by the series of that name (tests compare them with the engine).
  QList<QPointF> seriesPoints(const QString& name) const;
  // In drawing order: a later series is drawn over the earlier ones.
  QStringList seriesNames() const;
  // The pen of the series of that name (Qt::NoPen when there is none).
  QPen seriesPen(const QString& name) const;
  // The legend's entries as drawn under the plot, in order (series hidden from it left out).
  QStringList legendLabels() const;

  // Navigation (plots that call enableNavigation()): the wheel zooms about the cursor, a left
  // drag pans, a double click returns to the automatic range. While zoomed or panned the plot
  // keeps the user's range instead of fitting it to new data.
  bool userZoomed() const { return userZoomed_; }
  void zoomBy(double factor, const QPointF& center);  // factor < 1 zooms in; center in pixels
  void panBy(const QPointF& pixels);
  void resetZoom();
  // The tooltip for the viewport position `pos` (pixels): the point of any visible series
  // nearest to it, within `radius` pixels, as its hover formatter writes it ("series, step: y"
  // without one); empty when none is that close.
  QString hoverText(const QPointF& pos, double radius = 24) const;

 protected:
  using Formatter = std::function<QString(const QPointF&)>;
  QChart* chart() const { return chart_; }
  QChartView* view() const { return view_; }
  QValueAxis* addValueAxis(Qt::Alignment alignment, const QString& title);
  QLogValueAxis* addLogAxis(Qt::Alignment alignment, const QString& title);
  // Theory curves and pinned runs are dashed or dotted: pass the style.
  QLineSeries* addLine(const QString& name, const QColor& color, QAbstractAxis* x,
                       QAbstractAxis* y, qreal width = 1.6, Qt::PenStyle style = Qt::SolidLine);
  // Drawn but not listed in the legend (markers, companion lines of a listed series).
  void hideFromLegend(QAbstractSeries* series);
  // The legend under the plot wraps onto as many rows as its entries need, so no label is ever
  // elided (Qt Charts' own bottom legend keeps one row and cuts labels to "pinn..."). Call after
  // removing series; adding them through addLine / addScatter updates it. A plot whose legend is
  // not at the bottom (chart()->legend()->setAlignment) keeps Qt's legend.
  void updateLegend();
  // Pixels kept free under the legend (the loss plot writes its numbers there in exports).
  void setBottomReserve(int pixels);
  // Draws `series` above every other series (Qt Charts stacks series in the order they were
  // added): the current run stays on top of pinned runs added after it. Its legend place stays.
  void raiseSeries(QAbstractSeries* series);
  QScatterSeries* addScatter(const QString& name, const QColor& color, QAbstractAxis* x,
                             QAbstractAxis* y, qreal size = 7);
  // Hover shows formatter(point) as a tooltip; clicking a point of a per-layer plot selects it.
  void attachHover(QXYSeries* series, Formatter formatter, bool clickSelectsLayer = false);
  // Plot-area width in pixels: the decimation target.
  int plotColumns() const;
  void enableNavigation();
  // After resetZoom(): forget the fitted ranges so the next refresh fits them again.
  virtual void zoomWasReset() {}
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QChart* chart_;
  QChartView* view_;
  // Hover formatters by series; the guard is null once that series is deleted (pinned runs).
  struct Hover {
    QPointer<QXYSeries> series;
    Formatter format;
  };
  QHash<QXYSeries*, Hover> formatters_;
  QGraphicsItem* legend_ = nullptr;       // the wrapped legend, a child of the chart
  QList<QPointer<QAbstractSeries>> legendOrder_;  // the order series were first added
  QList<const QAbstractSeries*> notInLegend_;
  int bottomReserve_ = 2;
  int legendHeight_ = 0;
  bool layingOutLegend_ = false;
  bool userZoomed_ = false;
  bool dragging_ = false;
  QPointF lastDrag_;
};

// Sets a step axis (integers only) to [0, >= hi] with ticks on whole numbers: the tick interval
// is 1, 2 or 5 x 10^k (at least 1) and divides the range, with at most `maxIntervals` intervals,
// so "%.0f" labels never repeat ("0 1 1 2" on [0, 2] with 5 ticks).
void setIntegerAxisRange(QValueAxis* axis, double hi, int maxIntervals = 4);

// Sets a value axis to [lo, hi] with ticks on round numbers (multiples of 1, 2, 2.5 or 5 x 10^k,
// about `about` of them, anchored at 0): "0 0.25 0.5 0.75 1", not "-0.2 0.1 0.4 0.7 1". Use it
// instead of setRange: the range and the tick interval must change together, or Qt Charts lays
// out (range / stale interval) ticks in between, millions when the range jumps.
void setRangeWithRoundTicks(QValueAxis* axis, double lo, double hi, int about = 5);

// Sets a log axis to [lo, hi] with at most about 6 labelled powers of ten: over many decades (a
// diverging run spans 1e-10..1e+31) a label per decade overlaps and Qt elides every one to
// "...", so the base grows to 10^k, with a minor gridline per decade in between.
void setLogRange(QLogValueAxis* axis, double lo, double hi);

// Colors for layer i of n: dark blue (input side) to yellow (output side), viridis-like.
QColor layerColor(int layer, int layerCount);

}  // namespace layerscope
