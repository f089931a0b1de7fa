#include "depth_profile_plot.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "stats.h"
#include "training_types.h"

namespace layerscope {

DepthProfilePlot::DepthProfilePlot(QWidget* parent)
    : ChartPlot(tr("Depth profile: activations per layer"), parent) {
  x_ = addValueAxis(Qt::AlignBottom, tr("hidden layer"));
  x_->setLabelFormat(QStringLiteral("%d"));
  y_ = addValueAxis(Qt::AlignLeft, tr("value"));
  const QColor meanColor(31, 119, 180), stdColor(214, 39, 40);
  mean_ = addLine(meanSeriesName(), meanColor, x_, y_, 2.0);
  std_ = addLine(stdSeriesName(), stdColor, x_, y_, 2.0);
  meanPoints_ = addScatter(QStringLiteral("mean points"), meanColor, x_, y_, 7);
  stdPoints_ = addScatter(QStringLiteral("std points"), stdColor, x_, y_, 7);
  selected_ = addScatter(QStringLiteral("selected"), QColor(0, 0, 0, 0), x_, y_, 15);
  selected_->setBorderColor(QColor(255, 140, 0));
  selected_->setPen(QPen(QColor(255, 140, 0), 2.5));
  for (QScatterSeries* s : {meanPoints_, stdPoints_, selected_})
    for (QLegendMarker* m : chart()->legend()->markers(s)) m->setVisible(false);
  auto tip = [](const char* what) {
    return [what](const QPointF& p) {
      return tr("layer %1: %2 = %3").arg(std::lround(p.x())).arg(what).arg(formatNumber(p.y()));
    };
  };
  attachHover(mean_, tip("mean"), true);
  attachHover(meanPoints_, tip("mean"), true);
  attachHover(std_, tip("std"), true);
  attachHover(stdPoints_, tip("std"), true);
  x_->setRange(0.5, 10.5);
  y_->setRange(-0.1, 1);
}

void DepthProfilePlot::clear() {
  for (QXYSeries* s : std::initializer_list<QXYSeries*>{mean_, std_, meanPoints_, stdPoints_, selected_})
    s->clear();
  yRange_.reset();
  xRange_.reset();
  layers_ = 0;
  setNote({});
}

void DepthProfilePlot::refresh(const PlotInputs& in) {
  if (!in.snapshotChanged || !in.snapshot) return;
  QList<QPointF> mean, std;
  QStringList notFinite;
  double lo = 0.0, hi = 0.0;
  int count = 0;
  for (const LayerStats& l : in.snapshot->layers) {
    if (l.kind != "hidden") continue;
    ++count;
    if (!std::isfinite(l.activation.mean) || !std::isfinite(l.activation.std)) {
      notFinite << QString::number(l.layer);
      continue;
    }
    mean.append(QPointF(l.layer, l.activation.mean));
    std.append(QPointF(l.layer, l.activation.std));
    lo = std::min({lo, l.activation.mean, l.activation.std});
    hi = std::max({hi, l.activation.mean, l.activation.std});
  }
  layers_ = count;
  mean_->replace(mean);
  std_->replace(std);
  meanPoints_->replace(mean);
  stdPoints_->replace(std);
  if (count > 0 && xRange_.fit(0.5, count + 0.5)) {
    x_->setRange(0.5, count + 0.5);
    x_->setTickCount(std::min(count, 10) + 1);
    x_->setTickType(QValueAxis::TicksDynamic);
    x_->setTickAnchor(1);
    x_->setTickInterval(std::max(1.0, std::ceil(count / 10.0)));
  }
  if (yRange_.fit(lo, hi)) y_->setRange(yRange_.lo(), yRange_.hi());
  setNote(notFinite.isEmpty() ? QString()
                              : tr("Not drawn: non-finite mean/std in layer %1")
                                    .arg(notFinite.join(QStringLiteral(", "))));
  updateSelection();
  countRedraw();
}

void DepthProfilePlot::setSelectedLayer(int layer) {
  selectedLayer_ = layer;
  updateSelection();
}

void DepthProfilePlot::updateSelection() {
  QList<QPointF> marks;
  for (const QPointF& p : mean_->points())
    if (std::lround(p.x()) == selectedLayer_) marks.append(p);
  for (const QPointF& p : std_->points())
    if (std::lround(p.x()) == selectedLayer_) marks.append(p);
  selected_->replace(marks);
}

}  // namespace layerscope
