#include "plots/gradient_plot.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "training/stats.h"
#include "run/training_types.h"

namespace layerscope {

GradientPlot::GradientPlot(QWidget* parent)
    : ChartPlot(tr("Gradients per layer"), parent) {
  x_ = addValueAxis(Qt::AlignBottom, tr("layer (last = output)"));
  x_->setLabelFormat(QStringLiteral("%d"));
  y_ = addLogAxis(Qt::AlignLeft, tr("std / ratio (log)"));
  gradient_ = addLine(gradientSeriesName(), QColor(148, 103, 189), x_, y_, 2.0);
  weightGradient_ = addLine(weightGradientSeriesName(), QColor(44, 160, 44), x_, y_, 2.0);
  updateRatio_ = addLine(updateRatioSeriesName(), QColor(255, 127, 14), x_, y_, 2.0);
  for (QLineSeries* s : {gradient_, weightGradient_, updateRatio_}) {
    s->setPointsVisible(true);
    const QString name = s->name();
    attachHover(s, [name](const QPointF& p) {
      return tr("layer %1: %2 = %3").arg(std::lround(p.x())).arg(name).arg(formatNumber(p.y()));
    }, true);
  }
  selected_ = addScatter(QStringLiteral("selected"), QColor(0, 0, 0, 0), x_, y_, 15);
  selected_->setPen(QPen(QColor(255, 140, 0), 2.5));
  hideFromLegend(selected_);
  x_->setRange(0.5, 11.5);
}

void GradientPlot::clear() {
  for (QXYSeries* s : std::initializer_list<QXYSeries*>{gradient_, weightGradient_, updateRatio_, selected_})
    s->clear();
  yRange_.reset();
  xRange_.reset();
  setNote({});
}

void GradientPlot::refresh(const PlotInputs& in) {
  if (!in.snapshotChanged || !in.snapshot) return;
  QList<QPointF> g, w, u;
  double lo = INFINITY, hi = 0;
  int notDrawn = 0, last = 1;
  auto add = [&](QList<QPointF>& list, int layer, double v) {
    if (std::isfinite(v) && v > 0) {
      list.append(QPointF(layer, v));
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    } else if (!std::isnan(v) || layer > 0) {
      ++notDrawn;
    }
  };
  for (const LayerStats& l : in.snapshot->layers) {
    if (l.kind == "input") continue;
    last = std::max(last, l.layer);
    add(g, l.layer, l.gradientStd);
    add(w, l.layer, l.weightGradientStd);
    // The ratio is unknown (NaN) until the first update: not a problem worth reporting.
    if (in.snapshot->step > 0) add(u, l.layer, l.updateRatio);
  }
  gradient_->replace(g);
  weightGradient_->replace(w);
  updateRatio_->replace(u);
  if (xRange_.fit(0.5, last + 0.5)) {
    x_->setRange(0.5, last + 0.5);
    x_->setTickType(QValueAxis::TicksDynamic);
    x_->setTickAnchor(1);
    x_->setTickInterval(std::max(1.0, std::ceil(last / 12.0)));  // 10 hidden + output: all labelled
  }
  if (hi > 0 && yRange_.fit(lo, hi)) setLogRange(y_, yRange_.lo(), yRange_.hi());
  setNote(notDrawn ? tr("Not drawn: %1 values that are zero or non-finite").arg(notDrawn)
                   : QString());
  updateSelection();
  countRedraw();
}

void GradientPlot::setSelectedLayer(int layer) {
  selectedLayer_ = layer;
  updateSelection();
}

void GradientPlot::updateSelection() {
  QList<QPointF> marks;
  for (QLineSeries* s : {gradient_, weightGradient_, updateRatio_})
    for (const QPointF& p : s->points())
      if (std::lround(p.x()) == selectedLayer_) marks.append(p);
  selected_->replace(marks);
}

}  // namespace layerscope
