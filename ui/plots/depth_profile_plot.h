// The article's figure: mean and standard deviation of every hidden layer's activations on the
// probe batch, against the layer index. Collapse (std falling geometrically towards 0) and
// saturation (std near 1 for tanh) are visible at a glance.
#pragma once

#include "chart_plot.h"
#include "smooth_range.h"

namespace layerscope {

class DepthProfilePlot : public ChartPlot {
  Q_OBJECT
 public:
  explicit DepthProfilePlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs& inputs) override;
  void setSelectedLayer(int layer) override;
  void clear() override;

  static QString meanSeriesName() { return QStringLiteral("mean"); }
  static QString stdSeriesName() { return QStringLiteral("std"); }

 private:
  void updateSelection();

  QValueAxis* x_;
  QValueAxis* y_;
  QLineSeries* mean_;
  QLineSeries* std_;
  QScatterSeries* meanPoints_;
  QScatterSeries* stdPoints_;
  QScatterSeries* selected_;
  SmoothRange yRange_, xRange_;
  int selectedLayer_ = -1;
  int layers_ = 0;
};

}  // namespace layerscope
