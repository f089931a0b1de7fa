#include "plots/sharpness_plot.h"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

namespace layerscope {

SharpnessPlot::SharpnessPlot(QWidget* parent)
    : ChartPlot(tr("Sharpness (edge of stability)"), parent),
      thresholdValue_(std::numeric_limits<double>::quiet_NaN()) {
  x_ = addValueAxis(Qt::AlignBottom, tr("step"));
  x_->setLabelFormat(QStringLiteral("%.0f"));
  y_ = addValueAxis(Qt::AlignLeft, tr("sharpness: top eigenvalue of the Hessian"));
  lossAxis_ = addLogAxis(Qt::AlignRight, tr("training loss (log)"));
  loss_ = addLine(lossSeriesName(), QColor(150, 150, 150), x_, lossAxis_, 1.2);
  threshold_ = addLine(thresholdSeriesName(), QColor(214, 39, 40), x_, y_, 1.6, Qt::DashLine);
  sharpness_ = addLine(sharpnessSeriesName(), QColor(31, 119, 180), x_, y_, 2.2);
  sharpness_->setPointsVisible(true);
  attachHover(sharpness_, [](const QPointF& p) {
    return tr("step %1: sharpness %2").arg(std::llround(p.x())).arg(formatNumber(p.y()));
  });
  attachHover(loss_, [](const QPointF& p) {
    return tr("step %1: loss %2").arg(std::llround(p.x())).arg(formatNumber(p.y()));
  });
  enableNavigation();
  fitAxes();
}

void SharpnessPlot::clear() {
  for (QLineSeries* s : {sharpness_, threshold_, loss_}) s->clear();
  thresholdValue_ = std::numeric_limits<double>::quiet_NaN();
  sharpnessHi_ = 0.0;
  lossLo_ = INFINITY;
  lossHi_ = 0.0;
  lastStep_ = 1;
  fitAxes();
}

void SharpnessPlot::setPreconditioned(bool preconditioned) {
  sharpness_->setName(preconditioned ? preconditionedSeriesName() : sharpnessSeriesName());
  y_->setTitleText(preconditioned ? tr("preconditioned sharpness: top eigenvalue of P^-1 H")
                                  : tr("sharpness: top eigenvalue of the Hessian"));
}

void SharpnessPlot::setThreshold(double threshold, long lastStep) {
  thresholdValue_ = threshold;
  lastStep_ = std::max(1L, lastStep);
  if (std::isfinite(threshold) && threshold > 0)
    threshold_->replace({QPointF(0, threshold), QPointF(double(lastStep_), threshold)});
  else
    threshold_->clear();
  fitAxes();
}

void SharpnessPlot::addSharpness(long step, double sharpness) {
  if (!std::isfinite(sharpness)) return;
  sharpness_->append(QPointF(double(step), sharpness));
  sharpnessHi_ = std::max(sharpnessHi_, sharpness);
  fitAxes();
  countRedraw();
}

void SharpnessPlot::addLoss(long step, double loss) {
  if (!std::isfinite(loss) || loss <= 0) return;
  loss_->append(QPointF(double(step), loss));
  const bool grew = loss < lossLo_ || loss > lossHi_;
  lossLo_ = std::min(lossLo_, loss);
  lossHi_ = std::max(lossHi_, loss);
  if (grew) setLogRange(lossAxis_, lossLo_, lossHi_ * 1.05);
}

void SharpnessPlot::fitAxes() {
  if (userZoomed()) return;
  setIntegerAxisRange(x_, double(lastStep_), 5);
  // The threshold stays in view with room above it: the sharpness hovers just around it.
  double hi = std::max(sharpnessHi_, std::isfinite(thresholdValue_) ? thresholdValue_ : 0.0);
  if (!(hi > 0)) hi = 1.0;
  setRangeWithRoundTicks(y_, 0.0, 1.15 * hi);
  if (!(lossHi_ > 0)) setLogRange(lossAxis_, 0.1, 1.0);
}

}  // namespace layerscope
