// The dashboard's "Over time" tab: the layer x step heatmap of one statistic (picked here) and,
// for one layer (picked here, or by clicking a heatmap row or any plot), its histogram over
// training and its percentile bands.
#pragma once

#include <QWidget>
#include <vector>

class QComboBox;

namespace layerscope {

struct PlotInputs;
class PlotView;
class LayerTimeHeatmapPlot;
class LayerHistogramOverTimePlot;
class LayerPercentilesPlot;

class OverTimePage : public QWidget {
  Q_OBJECT
 public:
  explicit OverTimePage(QWidget* parent = nullptr);

  std::vector<PlotView*> plots() const;
  LayerTimeHeatmapPlot* heatmap() const { return heatmap_; }
  LayerHistogramOverTimePlot* histogramOverTime() const { return histogram_; }
  LayerPercentilesPlot* percentiles() const { return percentiles_; }
  QComboBox* statisticPicker() const { return statistic_; }
  QComboBox* layerPicker() const { return layer_; }
  QComboBox* quantityPicker() const { return quantity_; }

  // Keeps the layer picker's list to the run's layers.
  void refresh(const PlotInputs& inputs);
  void setSelectedLayer(int layer);  // shows it in the picker (-1: automatic)

 signals:
  void layerPicked(int layer);  // -1: automatic (the last hidden layer)

 private:
  void fillLayers(int layerCount);

  QComboBox* statistic_;
  QComboBox* layer_;
  QComboBox* quantity_;
  LayerTimeHeatmapPlot* heatmap_;
  LayerHistogramOverTimePlot* histogram_;
  LayerPercentilesPlot* percentiles_;
  int layerCount_ = -1;
  int selected_ = -1;
};

}  // namespace layerscope
