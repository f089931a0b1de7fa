// The plots, arranged in a grid: depth profile and histograms (the article's figures) on top,
// then each layer's std over time and the gradients, then loss/accuracy and, for 2-D data, the
// decision regions. Forwards a layer selection made in any plot to all of them.
#pragma once

#include <QWidget>
#include <vector>

class QGridLayout;

namespace layerscope {

struct PlotInputs;
class PlotView;
class DepthProfilePlot;
class LayerHistogramsPlot;
class LayerStdOverTimePlot;
class GradientPlot;
class LossAccuracyPlot;
class DecisionRegionPlot;

class Dashboard : public QWidget {
  Q_OBJECT
 public:
  explicit Dashboard(QWidget* parent = nullptr);

  void refresh(const PlotInputs& inputs);
  void clear();
  void setSelectedLayer(int layer);
  int selectedLayer() const { return selectedLayer_; }
  std::vector<PlotView*> plots() const;

  DepthProfilePlot* depthProfile() const { return depth_; }
  LayerHistogramsPlot* histograms() const { return histograms_; }
  LayerStdOverTimePlot* stdOverTime() const { return stdOverTime_; }
  GradientPlot* gradients() const { return gradients_; }
  LossAccuracyPlot* lossAccuracy() const { return loss_; }
  DecisionRegionPlot* decisionRegions() const { return decision_; }

 signals:
  void layerSelected(int layer);
  void exportRequested(layerscope::PlotView* plot, const QString& format);

 private:
  void arrange();

  QGridLayout* grid_;
  DepthProfilePlot* depth_;
  LayerHistogramsPlot* histograms_;
  LayerStdOverTimePlot* stdOverTime_;
  GradientPlot* gradients_;
  LossAccuracyPlot* loss_;
  DecisionRegionPlot* decision_;
  int selectedLayer_ = -1;
};

}  // namespace layerscope
