// Gradients per layer on a log scale: the std of the back-propagated gradient dL/da, the std of
// the weight gradient dL/dW, and the update/weight ratio ||dW|| / ||W|| of the last step
// (healthy training: around 1e-3). Vanishing gradients fall towards the input layer, exploding
// ones grow.
#pragma once

#include "plots/chart_plot.h"
#include "plots/smooth_range.h"

namespace layerscope {

class GradientPlot : public ChartPlot {
  Q_OBJECT
 public:
  explicit GradientPlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs& inputs) override;
  void setSelectedLayer(int layer) override;
  void clear() override;

  static QString gradientSeriesName() { return QStringLiteral("dL/da std"); }
  static QString weightGradientSeriesName() { return QStringLiteral("dL/dW std"); }
  static QString updateRatioSeriesName() { return QStringLiteral("update/weight"); }

 private:
  void updateSelection();
  QValueAxis* x_;
  QLogValueAxis* y_;
  QLineSeries* gradient_;
  QLineSeries* weightGradient_;
  QLineSeries* updateRatio_;
  QScatterSeries* selected_;
  SmoothRange yRange_{true}, xRange_;
  int selectedLayer_ = -1;
};

}  // namespace layerscope
