#include "plots/chart_plot.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QMouseEvent>
#include <QWheelEvent>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QLegendMarker>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "plots/smooth_range.h"

namespace layerscope {

ChartPlot::ChartPlot(const QString& title, QWidget* parent)
    : PlotView(title, parent), chart_(new QChart), view_(new QChartView(chart_, this)) {
  chart_->setAnimationOptions(QChart::NoAnimation);
  chart_->setTitle(title);
  QFont titleFont = font();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.05);
  chart_->setTitleFont(titleFont);
  chart_->setMargins(QMargins(4, 2, 4, 2));
  chart_->layout()->setContentsMargins(0, 0, 0, 0);
  chart_->setBackgroundRoundness(0);
  QFont legendFont = font();
  legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
  chart_->legend()->setFont(legendFont);
  chart_->legend()->setAlignment(Qt::AlignBottom);
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setMinimumSize(240, 180);
  setContent(view_);
}

ChartPlot::~ChartPlot() = default;

QValueAxis* ChartPlot::addValueAxis(Qt::Alignment alignment, const QString& title) {
  auto* axis = new QValueAxis;
  axis->setTitleText(title);
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  axis->setLabelsFont(f);
  axis->setTitleFont(f);
  axis->setLabelFormat(QStringLiteral("%.3g"));
  axis->setTickCount(5);
  chart_->addAxis(axis, alignment);
  return axis;
}

QLogValueAxis* ChartPlot::addLogAxis(Qt::Alignment alignment, const QString& title) {
  auto* axis = new QLogValueAxis;
  axis->setTitleText(title);
  axis->setBase(10);
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  axis->setLabelsFont(f);
  axis->setTitleFont(f);
  axis->setLabelFormat(QStringLiteral("%g"));
  axis->setMinorTickCount(8);  // 2..9 x 10^k gridlines: readable even over one decade
  axis->setRange(1e-6, 1);
  chart_->addAxis(axis, alignment);
  return axis;
}

void ChartPlot::hideFromLegend(QAbstractSeries* series) const {
  for (QLegendMarker* m : chart_->legend()->markers(series)) m->setVisible(false);
}

QLineSeries* ChartPlot::addLine(const QString& name, const QColor& color, QAbstractAxis* x,
                                QAbstractAxis* y, qreal width, Qt::PenStyle style) {
  auto* series = new QLineSeries;
  series->setName(name);
  QPen pen(color);
  pen.setWidthF(width);
  pen.setStyle(style);
  series->setPen(pen);
  chart_->addSeries(series);
  series->attachAxis(x);
  series->attachAxis(y);
  return series;
}

QScatterSeries* ChartPlot::addScatter(const QString& name, const QColor& color, QAbstractAxis* x,
                                      QAbstractAxis* y, qreal size) {
  auto* series = new QScatterSeries;
  series->setName(name);
  series->setColor(color);
  series->setBorderColor(color.darker(130));
  series->setMarkerSize(size);
  chart_->addSeries(series);
  series->attachAxis(x);
  series->attachAxis(y);
  return series;
}

void ChartPlot::attachHover(QXYSeries* series, Formatter formatter, bool clickSelectsLayer) {
  formatters_.insert(series, Hover{series, formatter});
  connect(series, &QXYSeries::hovered, this, [this, formatter](const QPointF& p, bool state) {
    if (state)
      QToolTip::showText(QCursor::pos(), formatter(p), view_);
    else
      QToolTip::hideText();
  });
  if (clickSelectsLayer)
    connect(series, &QXYSeries::clicked, this,
            [this](const QPointF& p) { emit layerClicked(static_cast<int>(std::lround(p.x()))); });
}

void ChartPlot::enableNavigation() {
  view_->viewport()->setMouseTracking(true);
  view_->viewport()->installEventFilter(this);
  view_->setToolTip(tr("Hover: the nearest point's value. Wheel: zoom. Drag: pan. "
                       "Double-click: back to the whole run."));
}

void ChartPlot::zoomBy(double factor, const QPointF& center) {
  const QRectF area = chart_->plotArea();
  if (area.isEmpty() || !(factor > 0)) return;
  // The point under the cursor stays where it is: its offset from the edges scales by factor.
  const QPointF c = view_->mapToScene(center.toPoint());
  const QPointF inChart = chart_->mapFromScene(c);
  QRectF r(inChart.x() - (inChart.x() - area.left()) * factor,
           inChart.y() - (inChart.y() - area.top()) * factor, area.width() * factor,
           area.height() * factor);
  chart_->zoomIn(r);
  userZoomed_ = true;
}

void ChartPlot::panBy(const QPointF& pixels) {
  chart_->scroll(-pixels.x(), pixels.y());
  userZoomed_ = true;
}

void ChartPlot::resetZoom() {
  if (chart_->isZoomed()) chart_->zoomReset();
  userZoomed_ = false;
  zoomWasReset();
}

QString ChartPlot::hoverText(const QPointF& pos, double radius) const {
  const QPointF scenePos = view_->mapToScene(pos.toPoint());
  const QPointF chartPos = chart_->mapFromScene(scenePos);
  double best = radius * radius;
  QXYSeries* bestSeries = nullptr;
  QPointF bestPoint;
  for (QAbstractSeries* a : chart_->series()) {
    auto* xy = qobject_cast<QXYSeries*>(a);
    if (!xy || !xy->isVisible() || xy->count() == 0) continue;
    const QList<QPointF> points = xy->points();
    for (const QPointF& p : points) {
      const QPointF at = chart_->mapToPosition(p, xy);
      const double dx = at.x() - chartPos.x(), dy = at.y() - chartPos.y();
      if (dx * dx + dy * dy < best) {
        best = dx * dx + dy * dy;
        bestSeries = xy;
        bestPoint = p;
      }
    }
  }
  if (!bestSeries) return {};
  const auto f = formatters_.constFind(bestSeries);
  if (f != formatters_.constEnd() && f->series == bestSeries) return f->format(bestPoint);
  return tr("%1, step %2: %3").arg(bestSeries->name()).arg(std::llround(bestPoint.x()))
      .arg(formatNumber(bestPoint.y()));
}

bool ChartPlot::eventFilter(QObject* watched, QEvent* event) {
  if (watched != view_->viewport()) return PlotView::eventFilter(watched, event);
  switch (event->type()) {
    case QEvent::Wheel: {
      auto* w = static_cast<QWheelEvent*>(event);
      const double notches = w->angleDelta().y() / 120.0;
      if (notches != 0) zoomBy(std::pow(0.8, notches), w->position());
      return true;
    }
    case QEvent::MouseButtonPress: {
      auto* m = static_cast<QMouseEvent*>(event);
      if (m->button() != Qt::LeftButton) return false;
      dragging_ = true;
      lastDrag_ = m->position();
      return false;  // clicks still select layers
    }
    case QEvent::MouseMove: {
      auto* m = static_cast<QMouseEvent*>(event);
      if (dragging_ && (m->buttons() & Qt::LeftButton)) {
        const QPointF d = m->position() - lastDrag_;
        if (d.manhattanLength() >= 1) {
          panBy(d);
          lastDrag_ = m->position();
        }
        return true;
      }
      const QString text = hoverText(m->position());
      if (text.isEmpty())
        QToolTip::hideText();
      else
        QToolTip::showText(view_->viewport()->mapToGlobal(m->position().toPoint()), text,
                           view_->viewport());
      return false;
    }
    case QEvent::MouseButtonRelease:
      dragging_ = false;
      return false;
    case QEvent::MouseButtonDblClick:
      resetZoom();
      return true;
    default:
      return false;
  }
}

int ChartPlot::plotColumns() const {
  return std::max(50, static_cast<int>(chart_->plotArea().width()));
}

void ChartPlot::renderTo(QPainter& painter, const QRectF& target) {
  chart_->scene()->render(&painter, target, chart_->sceneBoundingRect());
}

QList<QPointF> ChartPlot::seriesPoints(const QString& name) const {
  for (QAbstractSeries* s : chart_->series())
    if (s->name() == name)
      if (auto* xy = qobject_cast<QXYSeries*>(s)) return xy->points();
  return {};
}

QStringList ChartPlot::seriesNames() const {
  QStringList names;
  for (QAbstractSeries* s : chart_->series()) names << s->name();
  return names;
}

void setIntegerAxisRange(QValueAxis* axis, double hi, int maxIntervals) {
  maxIntervals = std::max(1, maxIntervals);
  if (!std::isfinite(hi) || hi < 1) hi = 1;
  // the smallest 1, 2, 5 x 10^k >= hi / maxIntervals, and at least 1
  double interval = 1;
  for (double p = 1; interval * maxIntervals < hi * (1 - 1e-12); p *= 10) {
    for (double m : {1.0, 2.0, 5.0}) {
      interval = m * p;
      if (interval * maxIntervals >= hi * (1 - 1e-12)) break;
    }
  }
  const long intervals = std::max(1L, static_cast<long>(std::ceil(hi / interval - 1e-9)));
  axis->setTickType(QValueAxis::TicksFixed);
  axis->setRange(0, intervals * interval);
  axis->setTickCount(static_cast<int>(intervals) + 1);
  axis->setMinorTickCount(0);
  axis->setLabelFormat(QStringLiteral("%.0f"));
}

void setLogRange(QLogValueAxis* axis, double lo, double hi) {
  constexpr double kMaxLabels = 6;
  const double decades = std::log10(hi) - std::log10(lo);  // hi / lo may overflow
  const int step = std::isfinite(decades) ? std::max(1, int(std::ceil(decades / kMaxLabels))) : 1;
  axis->setBase(std::pow(10.0, step));
  axis->setMinorTickCount(step == 1 ? 8 : step - 1);  // 2..9 x 10^k, else one per decade
  axis->setRange(lo, hi);
}

void setRangeWithRoundTicks(QValueAxis* axis, double lo, double hi, int about) {
  const double span = hi - lo;
  // fixed ticks while the range changes: never (new range / old interval) dynamic ticks
  axis->setTickType(QValueAxis::TicksFixed);
  axis->setRange(lo, hi);
  // Qt Charts treats a range of span <= 1e-12 as empty (qFuzzyIsNull) and, when a series is
  // attached later (a pinned run), replaces it by the series' own range: a dynamic interval
  // meant for the tiny span would then lay out ~1e13 ticks (an all-zero depth profile did).
  if (!(span > 1e-12) || !std::isfinite(span)) return;
  const double interval = niceCeil(span / std::max(1, about - 1));
  // below the double resolution of the bounds the ticks could not advance: keep fixed ticks
  if (!(interval > 1e-9 * std::max(std::abs(lo), std::abs(hi)))) return;
  axis->setTickAnchor(0);
  axis->setTickInterval(interval);
  axis->setTickType(QValueAxis::TicksDynamic);
}

QColor layerColor(int layer, int layerCount) {
  // A few stops of matplotlib's viridis, interpolated.
  static const QColor stops[] = {QColor(68, 1, 84),   QColor(59, 82, 139), QColor(33, 145, 140),
                                 QColor(94, 201, 98), QColor(220, 200, 30)};
  const double t = layerCount > 1 ? std::clamp(double(layer) / (layerCount - 1), 0.0, 1.0) : 0.0;
  const double pos = t * 4;
  const int i = std::min(3, static_cast<int>(pos));
  const double f = pos - i;
  const QColor& a = stops[i];
  const QColor& b = stops[i + 1];
  return QColor::fromRgbF(a.redF() + f * (b.redF() - a.redF()),
                          a.greenF() + f * (b.greenF() - a.greenF()),
                          a.blueF() + f * (b.blueF() - a.blueF()));
}

}  // namespace layerscope
