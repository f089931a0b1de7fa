#include "plots/loss_accuracy_plot.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "plots/decimate.h"
#include "run/run_history.h"

namespace layerscope {

LossAccuracyPlot::LossAccuracyPlot(QWidget* parent)
    : ChartPlot(tr("Loss and accuracy"), parent) {
  x_ = addValueAxis(Qt::AlignBottom, tr("step"));
  loss_ = addValueAxis(Qt::AlignLeft, tr("loss (cross-entropy)"));
  accuracy_ = addValueAxis(Qt::AlignRight, tr("accuracy"));
  accuracy_->setRange(0, 1);
  accuracy_->setLabelFormat(QStringLiteral("%.1f"));
  accuracy_->setTickCount(6);  // 0.0 0.2 ... 1.0: with 5 ticks "%.1f" rounds 0.25 to "0.2"
  lossRange_.setFloor(0);
  trainLoss_ = addLine(trainLossName(), QColor(31, 119, 180, 160), x_, loss_, 1.0);
  validationLoss_ = addLine(validationLossName(), QColor(214, 39, 40), x_, loss_, 2.0);
  trainAccuracy_ = addLine(trainAccuracyName(), QColor(44, 160, 44), x_, accuracy_, 2.0);
  validationAccuracy_ = addLine(validationAccuracyName(), QColor(255, 127, 14), x_, accuracy_,
                                2.0, Qt::DashLine);
  for (QLineSeries* s : {trainLoss_, validationLoss_, trainAccuracy_, validationAccuracy_}) {
    const QString name = s->name();
    attachHover(s, [name](const QPointF& p) {
      return tr("step %1: %2 = %3").arg(std::llround(p.x())).arg(name).arg(formatNumber(p.y()));
    });
  }
  setIntegerAxisRange(x_, 10);
  setRangeWithRoundTicks(loss_, 0, 1);
}

void LossAccuracyPlot::clear() {
  for (QLineSeries* s : {trainLoss_, validationLoss_, trainAccuracy_, validationAccuracy_}) s->clear();
  xRange_.reset();
  lossRange_.reset();
  revision_ = 0;
  setNote({});
}

void LossAccuracyPlot::setPinned(const QVector<PinnedRun>& pinned) {
  for (QLineSeries* s : pinnedSeries_) {
    chart()->removeSeries(s);
    delete s;
  }
  pinnedSeries_.clear();
  pinnedLossLo_ = INFINITY;
  pinnedLossHi_ = -INFINITY;
  pinnedStepMax_ = 0;
  for (const PinnedRun& run : pinned) {
    QLineSeries* loss = addLine(run.label, run.color, x_, loss_, 1.6);
    loss->replace(run.trainLoss);
    QLineSeries* accuracy = addLine(pinnedAccuracySeriesName(run.label), run.color, x_,
                                    accuracy_, 1.6, Qt::DashLine);
    accuracy->replace(run.validationAccuracy.isEmpty() ? run.trainAccuracy : run.validationAccuracy);
    hideFromLegend(accuracy);
    for (const QPointF& p : run.trainLoss) {
      pinnedLossLo_ = std::min(pinnedLossLo_, p.y());
      pinnedLossHi_ = std::max(pinnedLossHi_, p.y());
      pinnedStepMax_ = std::max(pinnedStepMax_, p.x());
    }
    const QString label = run.label;
    attachHover(loss, [label](const QPointF& p) {
      return tr("%1, step %2: training loss = %3").arg(label).arg(std::llround(p.x())).arg(formatNumber(p.y()));
    });
    attachHover(accuracy, [label](const QPointF& p) {
      return tr("%1, step %2: accuracy = %3").arg(label).arg(std::llround(p.x())).arg(formatNumber(p.y()));
    });
    pinnedSeries_ << loss << accuracy;
  }
  revision_ = 0;  // the next refresh fits the axes to the live and the pinned curves
  if (pinnedStepMax_ > 0 && xRange_.fit(0, pinnedStepMax_)) {
    setIntegerAxisRange(x_, xRange_.hi());
  }
  if (pinnedLossHi_ >= pinnedLossLo_ && lossRange_.fit(std::max(0.0, pinnedLossLo_), pinnedLossHi_))
    setRangeWithRoundTicks(loss_, lossRange_.lo(), lossRange_.hi());
  countRedraw();
}

void LossAccuracyPlot::refresh(const PlotInputs& in) {
  if (!in.history || in.history->revision() == revision_) return;
  revision_ = in.history->revision();
  const RunHistory& h = *in.history;
  const int columns = plotColumns();
  double lo = pinnedLossLo_, hi = pinnedLossHi_, xMax = std::max(1.0, pinnedStepMax_);
  auto draw = [&](QLineSeries* s, const BoundedSeries& data, bool isLoss) {
    const auto points = data.points();
    const QList<QPointF> drawn = decimateToPixels(points, columns);
    if (isLoss)
      for (const QPointF& p : drawn) {
        lo = std::min(lo, p.y());
        hi = std::max(hi, p.y());
      }
    if (!points.empty()) xMax = std::max(xMax, points.back().x);
    s->replace(drawn);
  };
  draw(trainLoss_, h.trainLoss(), true);
  draw(validationLoss_, h.validationLoss(), true);
  draw(trainAccuracy_, h.trainAccuracy(), false);
  draw(validationAccuracy_, h.validationAccuracy(), false);
  if (xRange_.fit(0, xMax)) {
    setIntegerAxisRange(x_, xRange_.hi());  // ticks on whole, round step numbers
  }
  if (hi >= lo && lossRange_.fit(std::max(0.0, lo), hi))
    setRangeWithRoundTicks(loss_, lossRange_.lo(), lossRange_.hi());
  const long bad = h.trainLoss().nonFinite();
  setNote(bad ? tr("Not drawn: %1 non-finite training losses").arg(bad) : QString());
  countRedraw();
}

}  // namespace layerscope
