// Each hidden layer's activation std over training steps (a line per layer, log scale), to see
// collapse or explosion develop while the network trains.
#pragma once

#include <vector>

#include "plots/chart_plot.h"
#include "plots/smooth_range.h"

namespace layerscope {

class LayerStdOverTimePlot : public ChartPlot {
  Q_OBJECT
 public:
  explicit LayerStdOverTimePlot(QWidget* parent = nullptr);
  void refresh(const PlotInputs& inputs) override;
  void setSelectedLayer(int layer) override;
  void clear() override;
  static QString seriesName(int layer) { return QStringLiteral("layer %1").arg(layer); }

 private:
  void zoomWasReset() override;
  void rebuildSeries(int layerCount);
  void applyPens();

  QValueAxis* x_;
  QLogValueAxis* y_;
  std::vector<QLineSeries*> lines_;  // index = layer number (0 = input, unused)
  SmoothRange xRange_, yRange_{true};
  int selectedLayer_ = -1;
  unsigned long revision_ = 0;
};

}  // namespace layerscope
