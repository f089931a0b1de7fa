// The plots, in two tabs. "Overview", a grid: depth profile and histograms (the article's
// figures) on top, then each layer's std over time and the gradients, then loss/accuracy and,
// for 2-D data, the decision regions. "Over time" (plots/over_time_page.h): one statistic of
// every layer as a layer x step heatmap, one layer's histogram and percentiles over training.
// Forwards a layer selection made in any plot to all of them.
#pragma once

#include <QVector>
#include <QWidget>
#include <optional>
#include <vector>

#include "config.h"
#include "plots/pinned_run.h"

class QGridLayout;
class QTabWidget;

namespace layerscope {

struct PlotInputs;
class PlotView;
class DepthProfilePlot;
class LayerHistogramsPlot;
class LayerStdOverTimePlot;
class GradientPlot;
class LossAccuracyPlot;
class DecisionRegionPlot;
class RunList;
class OverTimePage;
class LayerTimeHeatmapPlot;
class LayerHistogramOverTimePlot;
class LayerPercentilesPlot;

class Dashboard : public QWidget {
  Q_OBJECT
 public:
  explicit Dashboard(QWidget* parent = nullptr);

  void refresh(const PlotInputs& inputs);
  // Only the "Over time" plots: the record grew while the timeline shows a past step.
  void refreshOverTime(const PlotInputs& inputs);
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
  RunList* runList() const { return runList_; }
  OverTimePage* overTime() const { return overTime_; }
  LayerTimeHeatmapPlot* layerHeatmap() const;
  LayerHistogramOverTimePlot* histogramOverTime() const;
  LayerPercentilesPlot* percentiles() const;
  QTabWidget* tabs() const { return tabs_; }
  void showOverTime(bool shown);  // the "Over time" tab, else the overview

  // The pinned runs to overlay, compared with `current` (the experiment on screen) in the run
  // list under the plots; the plots get the runs whose checkbox there is ticked.
  void setPinned(const QVector<PinnedRun>& pinned,
                 const std::optional<ExperimentConfig>& current = std::nullopt);

 signals:
  void layerSelected(int layer);
  void exportRequested(layerscope::PlotView* plot, const QString& format);

 private:
  void arrange();
  void showPinned();

  QTabWidget* tabs_;
  QGridLayout* grid_;
  DepthProfilePlot* depth_;
  LayerHistogramsPlot* histograms_;
  LayerStdOverTimePlot* stdOverTime_;
  GradientPlot* gradients_;
  LossAccuracyPlot* loss_;
  DecisionRegionPlot* decision_;
  RunList* runList_;
  OverTimePage* overTime_;
  QVector<PinnedRun> pinned_;
  std::vector<bool> pinnedShown_;
  std::optional<ExperimentConfig> current_;  // what the run list compares the pins with
  int selectedLayer_ = -1;
};

}  // namespace layerscope
