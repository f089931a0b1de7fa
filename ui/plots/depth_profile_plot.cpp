#include "plots/depth_profile_plot.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "training/stats.h"
#include "run/training_types.h"

namespace layerscope {

DepthProfilePlot::DepthProfilePlot(QWidget* parent)
    : ChartPlot(tr("Depth profile: activations per layer"), parent) {
  x_ = addValueAxis(Qt::AlignBottom, tr("hidden layer"));
  x_->setLabelFormat(QStringLiteral("%d"));
  y_ = addValueAxis(Qt::AlignLeft, tr("value"));
  const QColor meanColor(31, 119, 180), stdColor(214, 39, 40);
  mean_ = addLine(meanSeriesName(), meanColor, x_, y_, 2.0);
  std_ = addLine(stdSeriesName(), stdColor, x_, y_, 2.0);
  // dark and dashed: visible on top of the red measured std where the two agree
  theory_ = addLine(theorySeriesName(), QColor(30, 30, 30), x_, y_, 1.6, Qt::DashLine);
  meanPoints_ = addScatter(QStringLiteral("mean points"), meanColor, x_, y_, 7);
  stdPoints_ = addScatter(QStringLiteral("std points"), stdColor, x_, y_, 7);
  selected_ = addScatter(QStringLiteral("selected"), QColor(0, 0, 0, 0), x_, y_, 15);
  selected_->setBorderColor(QColor(255, 140, 0));
  selected_->setPen(QPen(QColor(255, 140, 0), 2.5));
  for (QScatterSeries* s : {meanPoints_, stdPoints_, selected_}) hideFromLegend(s);
  auto tip = [](const char* what) {
    return [what](const QPointF& p) {
      return tr("layer %1: %2 = %3").arg(std::lround(p.x())).arg(what).arg(formatNumber(p.y()));
    };
  };
  attachHover(mean_, tip("mean"), true);
  attachHover(meanPoints_, tip("mean"), true);
  attachHover(std_, tip("std"), true);
  attachHover(stdPoints_, tip("std"), true);
  attachHover(theory_, tip("predicted std"), true);
  x_->setRange(0.5, 10.5);
  setRangeWithRoundTicks(y_, -0.1, 1);
}

void DepthProfilePlot::clear() {
  for (QXYSeries* s :
       std::initializer_list<QXYSeries*>{mean_, std_, theory_, meanPoints_, stdPoints_, selected_})
    s->clear();
  yRange_.reset();
  xRange_.reset();
  layers_ = 0;
  setNote({});
  setCaveat({});
}

void DepthProfilePlot::refresh(const PlotInputs& in) {
  if (!in.snapshotChanged || !in.snapshot) return;
  QList<QPointF> mean, std;
  QStringList notFinite;
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
  }
  layers_ = count;
  mean_->replace(mean);
  std_->replace(std);
  meanPoints_->replace(mean);
  stdPoints_->replace(std);
  updateRanges();
  setNote(notFinite.isEmpty() ? QString()
                              : tr("Not drawn: non-finite mean/std in layer %1")
                                    .arg(notFinite.join(QStringLiteral(", "))));
  updateSelection();
  countRedraw();
}

void DepthProfilePlot::setTheory(const QList<QPointF>& std, const QString& caveat) {
  QList<QPointF> finite;
  for (const QPointF& p : std)
    if (std::isfinite(p.y())) finite.append(p);
  theory_->replace(finite);
  setCaveat(caveat.isEmpty() ? QString() : tr("Theory (dashed): %1").arg(caveat));
  updateRanges();
}

void DepthProfilePlot::setPinned(const QVector<PinnedRun>& pinned) {
  for (QLineSeries* s : pinnedSeries_) {
    chart()->removeSeries(s);
    delete s;
  }
  pinnedSeries_.clear();
  for (const PinnedRun& run : pinned) {
    // Pinned: dashed std, dotted mean, under the current run's solid lines and points.
    QLineSeries* std = addLine(run.label, run.color, x_, y_, 1.6, Qt::DashLine);
    std->replace(run.std);
    QLineSeries* mean =
        addLine(pinnedMeanSeriesName(run.label), run.color, x_, y_, 1.4, Qt::DotLine);
    mean->replace(run.mean);
    hideFromLegend(mean);
    const QString label = run.label;
    attachHover(std, [label](const QPointF& p) {
      return tr("%1, layer %2: std = %3").arg(label).arg(std::lround(p.x())).arg(formatNumber(p.y()));
    }, true);
    attachHover(mean, [label](const QPointF& p) {
      return tr("%1, layer %2: mean = %3").arg(label).arg(std::lround(p.x())).arg(formatNumber(p.y()));
    }, true);
    pinnedSeries_ << std << mean;
  }
  for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{
           mean_, std_, theory_, meanPoints_, stdPoints_, selected_})
    raiseSeries(s);
  updateLegend();
  // Attaching a series to an axis whose range Qt Charts considers empty (span <= 1e-12: an
  // all-zero profile) replaces that range by the series' own; set ours again.
  yRange_.reset();
  updateRanges();
  countRedraw();
}

void DepthProfilePlot::updateRanges() {
  double lo = 0.0, hi = 0.0;
  int count = layers_;
  auto take = [&](const QList<QPointF>& points) {
    for (const QPointF& p : points) {
      lo = std::min(lo, p.y());
      hi = std::max(hi, p.y());
      count = std::max(count, static_cast<int>(std::lround(p.x())));
    }
  };
  take(mean_->points());
  take(std_->points());
  take(theory_->points());
  for (QLineSeries* s : pinnedSeries_) take(s->points());
  if (count > 0 && xRange_.fit(0.5, count + 0.5)) {
    x_->setRange(0.5, count + 0.5);
    x_->setTickCount(std::min(count, 10) + 1);
    x_->setTickType(QValueAxis::TicksDynamic);
    x_->setTickAnchor(1);
    x_->setTickInterval(std::max(1.0, std::ceil(count / 10.0)));
  }
  if (yRange_.fit(lo, hi)) setRangeWithRoundTicks(y_, yRange_.lo(), yRange_.hi());
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
