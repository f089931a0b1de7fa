#include "plots/chart_plot.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QMouseEvent>
#include <QWheelEvent>
#include <QFontMetricsF>
#include <QGraphicsItem>
#include <QGraphicsLayout>
#include <QLegend>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QLegendMarker>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <vector>
#include <cmath>

#include "plots/smooth_range.h"

namespace layerscope {

namespace {

// The legend under a chart: each entry a short sample of its series' line (or its marker) and
// the series' whole name, laid out left to right and wrapped before an entry that would pass the
// right edge. Entries are computed by ChartPlot::updateLegend, which also reserves the rows'
// height under the plot area so the axes never run into it.
class WrappedLegend : public QGraphicsItem {
 public:
  struct Entry {
    QString label;
    QPen pen;        // a line series: its pen
    QColor marker;   // a scatter series: its colour (pen style NoPen then)
    QPointF at;      // top left of the entry, item coordinates
  };
  explicit WrappedLegend(QGraphicsItem* parent) : QGraphicsItem(parent) { setZValue(30); }
  static constexpr qreal kSample = 22, kGap = 12, kLeft = 6;

  // Lays `entries` out within `width`; returns the height they take.
  qreal layout(std::vector<Entry> entries, const QFont& font, qreal width) {
    prepareGeometryChange();
    entries_ = std::move(entries);
    font_ = font;
    const QFontMetricsF m(font);
    line_ = m.height();
    qreal x = kLeft, y = 0;
    for (Entry& e : entries_) {
      const qreal w = kSample + 4 + m.horizontalAdvance(e.label);
      if (x > kLeft && x + w > width - 2) x = kLeft, y += line_;
      e.at = QPointF(x, y);
      x += w + kGap;
    }
    width_ = width;
    height_ = entries_.empty() ? 0 : y + line_;
    update();
    return height_;
  }
  QStringList labels() const {
    QStringList out;
    if (isVisible())
      for (const Entry& e : entries_) out << e.label;
    return out;
  }
  QRectF boundingRect() const override { return QRectF(0, 0, width_, height_); }
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    p->save();
    p->setFont(font_);
    p->setRenderHint(QPainter::Antialiasing);
    for (const Entry& e : entries_) {
      const qreal mid = e.at.y() + line_ / 2;
      if (e.pen.style() != Qt::NoPen) {
        QPen pen = e.pen;
        pen.setWidthF(std::max<qreal>(pen.widthF(), 1.5));
        p->setPen(pen);
        p->drawLine(QPointF(e.at.x(), mid), QPointF(e.at.x() + kSample, mid));
      } else {
        p->setPen(e.marker.darker(130));
        p->setBrush(e.marker);
        p->drawEllipse(QPointF(e.at.x() + kSample / 2, mid), 4, 4);
      }
      p->setPen(QColor(30, 30, 30));
      // TextDontClip: the entry's width was measured with these metrics; never cut a glyph.
      p->drawText(QRectF(e.at.x() + kSample + 4, e.at.y(), width_, line_),
                  Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip, e.label);
    }
    p->restore();
  }

 private:
  std::vector<Entry> entries_;
  QFont font_;
  qreal line_ = 0, width_ = 0, height_ = 0;
};

}  // namespace

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
  chart_->legend()->setVisible(false);  // the wrapped legend replaces it (updateLegend)
  legend_ = new WrappedLegend(chart_);
  connect(chart_, &QGraphicsWidget::geometryChanged, this, [this] { updateLegend(); });
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setMinimumSize(240, 150);
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

void ChartPlot::hideFromLegend(QAbstractSeries* series) {
  for (QLegendMarker* m : chart_->legend()->markers(series)) m->setVisible(false);
  notInLegend_.append(series);
  updateLegend();
}

void ChartPlot::setBottomReserve(int pixels) {
  if (bottomReserve_ == pixels) return;
  bottomReserve_ = pixels;
  updateLegend();
}

void ChartPlot::raiseSeries(QAbstractSeries* series) {
  const QList<QAbstractAxis*> axes = series->attachedAxes();
  const bool hidden = notInLegend_.contains(series);
  chart_->removeSeries(series);
  chart_->addSeries(series);
  for (QAbstractAxis* a : axes) series->attachAxis(a);
  if (hidden)
    for (QLegendMarker* m : chart_->legend()->markers(series)) m->setVisible(false);
}

void ChartPlot::updateLegend() {
  if (layingOutLegend_) return;  // setMargins below re-enters through geometryChanged
  layingOutLegend_ = true;
  auto* legend = static_cast<WrappedLegend*>(legend_);
  const bool bottom = chart_->legend()->alignment() == Qt::AlignBottom;
  std::vector<WrappedLegend::Entry> entries;
  if (bottom) {
    const QList<QAbstractSeries*> present = chart_->series();
    legendOrder_.removeAll(nullptr);
    for (const QPointer<QAbstractSeries>& s : legendOrder_) {
      if (!present.contains(s.data()) || notInLegend_.contains(s.data()) || s->name().isEmpty() ||
          !s->isVisible())
        continue;
      WrappedLegend::Entry e;
      e.label = s->name();
      if (auto* scatter = qobject_cast<QScatterSeries*>(s.data())) {
        e.pen = Qt::NoPen;
        e.marker = scatter->color();
      } else if (auto* xy = qobject_cast<QXYSeries*>(s.data())) {
        e.pen = xy->pen();
      }
      entries.push_back(e);
    }
  }
  const qreal width = chart_->size().width() - 8;
  const qreal h = width > 0 ? legend->layout(entries, chart_->legend()->font(), width) : 0;
  legendHeight_ = static_cast<int>(std::ceil(h));
  legend->setVisible(bottom && h > 0);
  legend->setPos(4, chart_->size().height() - bottomReserve_ - legendHeight_);
  const int wanted = bottomReserve_ + (legendHeight_ > 0 ? legendHeight_ + 4 : 0);
  const QMargins m = chart_->margins();
  if (m.bottom() != wanted) chart_->setMargins(QMargins(m.left(), m.top(), m.right(), wanted));
  layingOutLegend_ = false;
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
  notInLegend_.removeAll(series);  // a new series may reuse a deleted one's address
  legendOrder_.append(series);
  updateLegend();
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
  notInLegend_.removeAll(series);  // a new series may reuse a deleted one's address
  legendOrder_.append(series);
  updateLegend();
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

QPen ChartPlot::seriesPen(const QString& name) const {
  for (QAbstractSeries* s : chart_->series())
    if (s->name() == name)
      if (auto* xy = qobject_cast<QXYSeries*>(s)) return xy->pen();
  return QPen(Qt::NoPen);
}

QStringList ChartPlot::legendLabels() const {
  return static_cast<const WrappedLegend*>(legend_)->labels();
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
