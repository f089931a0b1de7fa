#include "export/plot_render.h"

#include <QApplication>
#include <memory>

#include "plots/dashboard.h"
#include "plots/decision_region_plot.h"
#include "plots/depth_profile_plot.h"
#include "plots/gradient_plot.h"
#include "plots/layer_histogram_over_time_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_percentiles_plot.h"
#include "plots/layer_time_heatmap_plot.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "run/run_history.h"
#include "run/snapshot_record.h"
#include "run/theory_curve.h"

namespace layerscope {

namespace {

std::unique_ptr<PlotView> makePlot(const QString& name) {
  if (name == QLatin1String("depth_profile")) return std::make_unique<DepthProfilePlot>();
  if (name == QLatin1String("histograms")) return std::make_unique<LayerHistogramsPlot>();
  if (name == QLatin1String("std_over_time")) return std::make_unique<LayerStdOverTimePlot>();
  if (name == QLatin1String("gradients")) return std::make_unique<GradientPlot>();
  if (name == QLatin1String("loss")) return std::make_unique<LossAccuracyPlot>();
  if (name == QLatin1String("decision_regions")) return std::make_unique<DecisionRegionPlot>();
  if (name == QLatin1String("layer_heatmap")) return std::make_unique<LayerTimeHeatmapPlot>();
  if (name == QLatin1String("histogram_over_time"))
    return std::make_unique<LayerHistogramOverTimePlot>();
  if (name == QLatin1String("percentiles")) return std::make_unique<LayerPercentilesPlot>();
  return nullptr;
}

// Lets the widgets settle (resize events, chart layouts) before and after new data.
void settle() {
  for (int i = 0; i < 3; ++i) {
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
  }
}

}  // namespace

QStringList renderablePlotNames() {
  return {QStringLiteral("depth_profile"),    QStringLiteral("histograms"),
          QStringLiteral("std_over_time"),    QStringLiteral("gradients"),
          QStringLiteral("loss"),             QStringLiteral("decision_regions"),
          QStringLiteral("layer_heatmap"),    QStringLiteral("histogram_over_time"),
          QStringLiteral("percentiles"),      QStringLiteral("dashboard")};
}

QString renderPlotFile(const QString& name, const RecordedRun& run, const QString& path,
                       const ExportOptions& options) {
  if (!renderablePlotNames().contains(name))
    return QObject::tr("unknown plot '%1' (expected one of: %2)")
        .arg(name, renderablePlotNames().join(QStringLiteral(", ")));
  if (run.snapshots.empty())
    return QObject::tr("%1: no statistics were recorded (--stats-every 0?): nothing to plot")
        .arg(path);
  const bool dashboard = name == QLatin1String("dashboard");
  const QSize size = options.size.isValid() ? options.size
                                            : (dashboard ? QSize(1400, 1000) : QSize(800, 560));

  std::unique_ptr<QWidget> area;
  std::vector<PlotView*> plots;
  if (dashboard) {
    auto* d = new Dashboard;
    area.reset(d);
    plots = d->plots();
  } else {
    std::unique_ptr<PlotView> plot = makePlot(name);
    plots = {plot.get()};
    area = std::move(plot);
  }
  area->setAttribute(Qt::WA_DontShowOnScreen);
  area->resize(size);
  area->show();
  settle();

  RunHistory history;
  history.addLosses(run.losses);
  SnapshotRecord record;  // what the window's Over time plots read
  for (const StatsSnapshot& s : run.snapshots) {
    history.addSnapshot(s);
    record.add(s);
  }
  PlotInputs inputs;
  inputs.record = &record;
  inputs.snapshot = &run.snapshots.back();
  inputs.history = &history;
  inputs.points = &run.points;
  inputs.snapshotChanged = true;
  inputs.historyChanged = true;
  for (PlotView* plot : plots) {
    if (auto* h = dynamic_cast<LayerHistogramsPlot*>(plot)) {
      using Mode = LayerHistogramsPlot::Mode;
      h->setMode(run.histogramMode == QLatin1String("pre_activation") ? Mode::PreActivation
                 : run.histogramMode == QLatin1String("gradient")     ? Mode::Gradient
                                                                      : Mode::PostActivation);
      h->setPinned(run.pinned);
    }
    if (auto* d = dynamic_cast<DepthProfilePlot*>(plot)) d->setPinned(run.pinned);
    if (auto* l = dynamic_cast<LossAccuracyPlot*>(plot)) l->setPinned(run.pinned);
    if (auto* r = dynamic_cast<DecisionRegionPlot*>(plot)) r->setPinned(run.pinned);
  }
  // Twice: the first refresh may change the layout (the decision plot appears, axes get their
  // labels), and curves are decimated to the plot area's final width.
  for (int pass = 0; pass < 2; ++pass) {
    for (PlotView* plot : plots) {
      plot->refresh(inputs);
      plot->setSelectedLayer(run.selectedLayer);
      // They redraw on a timer in the window; an export draws them now.
      if (auto* overTime = dynamic_cast<OverTimePlot*>(plot)) overTime->updateNow();
      // The same prediction the window draws beside the measured profile (MainWindow::showTheory).
      if (auto* depth = dynamic_cast<DepthProfilePlot*>(plot); depth && run.experiment) {
        const TheoryCurve theory = theoryCurve(*run.experiment, run.snapshots.back());
        depth->setTheory(theory.std, theory.error.isEmpty()
                                         ? theory.caveat
                                         : QObject::tr("no prediction: %1").arg(theory.error));
      }
    }
    settle();
  }
  if (name == QLatin1String("decision_regions") && !plots.front()->applicable())
    return QObject::tr("decision_regions: only for 2-D data (this data set has %1 features)")
        .arg(run.snapshots.back().layers.empty() ? 0 : run.snapshots.back().layers.front().units);

  ExportOptions exportOptions = options;
  exportOptions.size = size;  // the widget has it, unless its plots' minimum sizes are larger
  const QString error = exportPlots(area.get(), plots, path, exportOptions);
  area->hide();
  return error;
}

}  // namespace layerscope
