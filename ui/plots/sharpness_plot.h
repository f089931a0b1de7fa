// Sharpness over steps (analysis/sharpness.h): the largest eigenvalue of the training loss's
// Hessian at each measured step, the optimizer's edge of stability (2 / lr for sgd) as a dashed
// line, and the training loss on a log axis at the right. Gradient descent at the edge of
// stability (Cohen et al. 2021): the sharpness rises until it reaches 2 / lr and hovers there,
// while the loss keeps falling, not monotonically. Fed point by point by
// theory/sharpness_dialog.h as its run goes; it draws nothing from PlotInputs.
#pragma once

#include <cmath>

#include "plots/chart_plot.h"

namespace layerscope {

class SharpnessPlot : public ChartPlot {
  Q_OBJECT
 public:
  explicit SharpnessPlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs&) override {}
  void setSelectedLayer(int) override {}
  void clear() override;

  // The edge of stability; NaN (adam) draws no line. Call before the points or after: the line
  // spans step 0 to the last step planned.
  void setThreshold(double threshold, long lastStep);
  // Adam: the points are the preconditioned sharpness lambda_max(P^-1 H) (analysis/sharpness.h),
  // named so in the legend and on the axis; the threshold is then 38 / lr's kind.
  void setPreconditioned(bool preconditioned);
  void addSharpness(long step, double sharpness);
  void addLoss(long step, double loss);

  static QString sharpnessSeriesName() { return QStringLiteral("sharpness"); }
  static QString preconditionedSeriesName() { return QStringLiteral("preconditioned sharpness"); }
  static QString thresholdSeriesName() { return QStringLiteral("edge of stability"); }
  static QString lossSeriesName() { return QStringLiteral("training loss"); }

 private:
  void fitAxes();
  QValueAxis* x_;
  QValueAxis* y_;
  QLogValueAxis* lossAxis_;
  QLineSeries* sharpness_;
  QLineSeries* threshold_;
  QLineSeries* loss_;
  double thresholdValue_;
  long lastStep_ = 1;
  double sharpnessHi_ = 0.0, lossLo_ = INFINITY, lossHi_ = 0.0;
};

}  // namespace layerscope
