// Renders LayerScope's plots from a run's recorded data without a window: the same plot
// classes as the dashboard, laid out off screen at the requested size, then exported
// (ui/plots/plot_export.h) or drawn into an image (an animation's frames,
// ui/export/animation_export.h). layerscope-cli --export-plot uses it on the offscreen platform.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>
#include <vector>

#include "plots/pinned_run.h"
#include "plots/plot_export.h"
#include "config.h"
#include "training/stats.h"
#include "run/run_history.h"
#include "run/snapshot_record.h"
#include "run/training_types.h"

class QWidget;

namespace layerscope {

class PlotView;

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
  // What the layer heatmap colours: a LayerTimeHeatmapPlot::statisticKey ("" = activation_std).
  QString heatmapStatistic;
};

// depth_profile, histograms, std_over_time, gradients, loss, decision_regions, layer_heatmap,
// histogram_over_time, percentiles, dashboard.
QStringList renderablePlotNames();

// The size a plot is drawn at when none is asked for: 1400 x 1000 for the dashboard, 800 x 560
// for one plot.
QSize defaultPlotSize(const QString& name);

// One plot (or the dashboard) laid out off screen once, then fed run after run: an animation
// feeds it the same run cut at later and later steps, so the widgets, their layout and the
// curves' history are built once, not once per frame. Needs a QApplication; GUI thread only.
class PlotRenderer {
 public:
  // `name` is one of renderablePlotNames(); check error() before use.
  PlotRenderer(const QString& name, QSize size);
  ~PlotRenderer();
  PlotRenderer(const PlotRenderer&) = delete;
  PlotRenderer& operator=(const PlotRenderer&) = delete;

  QString error() const { return error_; }  // an unknown name; empty when usable
  QSize size() const { return size_; }
  // Shows `run` (which must have a snapshot, and must outlive the next show() for its
  // experiment pointer). A run that extends the one shown before (the same snapshots and
  // losses, and more) only adds what is new, as the window adds a live run's results.
  // Returns an empty string, or why this plot cannot show the run (decision regions of data
  // that is not 2-D).
  QString show(const RecordedRun& run);
  // The plot as shown, drawn at size() (ui/plots/plot_export.h renderPlotsImage).
  QImage image();
  // The plot as shown, written to `path` (.png, .svg, .pdf): ui/plots/plot_export.h exportPlots.
  QString exportTo(const QString& path, const ExportOptions& options);

 private:
  void rebuild(const RecordedRun& run);

  QString name_;
  QSize size_;
  QString error_;
  std::unique_ptr<QWidget> area_;
  std::vector<PlotView*> plots_;
  RunHistory history_;
  SnapshotRecord record_;  // what the Over time plots read; kept until the next show()
  std::size_t shownSnapshots_ = 0, shownLosses_ = 0;
  long lastShownStep_ = -1;
  bool laidOut_ = false;
};

// Draws plot `name` at options.size (a default size when empty) into `path` (.png, .svg,
// .pdf). Needs a QApplication. Returns an empty string, or a message naming the plot or file.
QString renderPlotFile(const QString& name, const RecordedRun& run, const QString& path,
                       const ExportOptions& options);

}  // namespace layerscope
