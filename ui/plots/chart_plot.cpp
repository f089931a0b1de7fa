#include "chart_plot.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

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

QLineSeries* ChartPlot::addLine(const QString& name, const QColor& color, QAbstractAxis* x,
                                QAbstractAxis* y, qreal width) {
  auto* series = new QLineSeries;
  series->setName(name);
  QPen pen(color);
  pen.setWidthF(width);
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
