// Renders LayerScope's plots from a run's recorded data without a window: the same plot
// classes as the dashboard, laid out off screen at the requested size, then exported
// (ui/plots/plot_export.h). layerscope-cli --export-plot uses it on the offscreen platform.
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>
#include <vector>

#include "plots/pinned_run.h"
#include "plots/plot_export.h"
#include "config.h"
#include "training/stats.h"
#include "run/training_types.h"

namespace layerscope {

// What the plots are drawn from: a finished (or stopped) run.
struct RecordedRun {
  std::vector<StatsSnapshot> snapshots;  // in step order; the newest is the "current" one
  std::vector<StepLoss> losses;          // training loss per step (or per probe)
  PointCloud points;                     // 2-D training data for the decision regions, or empty
  int selectedLayer = -1;
  const ExperimentConfig* experiment = nullptr;  // when set, the depth profile draws the theory
  // Earlier runs overlaid as the window overlays pinned runs (a lesson's figure: its earlier
  // runs pinned, the last one live), and what the histograms show: "post_activation" (default),
  // "pre_activation" or "gradient".
  QVector<PinnedRun> pinned;
  QString histogramMode;
};

// depth_profile, histograms, std_over_time, gradients, loss, decision_regions, layer_heatmap,
// histogram_over_time, percentiles, dashboard.
QStringList renderablePlotNames();

// Draws plot `name` at options.size (a default size when empty) into `path` (.png, .svg,
// .pdf). Needs a QApplication. Returns an empty string, or a message naming the plot or file.
QString renderPlotFile(const QString& name, const RecordedRun& run, const QString& path,
                       const ExportOptions& options);

}  // namespace layerscope
