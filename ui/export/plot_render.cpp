#include "export/plot_render.h"

#include <QApplication>
#include <memory>

#include "plots/dashboard.h"
#include "plots/dashboard_export.h"
#include "plots/decision_region_plot.h"
#include "plots/depth_profile_plot.h"
#include "plots/gradient_plot.h"
#include "plots/layer_histogram_over_time_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/layer_percentiles_plot.h"
#include "plots/layer_time_heatmap_plot.h"
#include "plots/layer_std_over_time_plot.h"
#include "plots/loss_accuracy_plot.h"
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

QSize defaultPlotSize(const QString& name) {
  return name == QLatin1String("dashboard") ? QSize(1400, 1000) : QSize(800, 560);
}

PlotRenderer::PlotRenderer(const QString& name, QSize size)
    : name_(name), size_(size.isValid() ? size : defaultPlotSize(name)) {
  if (!renderablePlotNames().contains(name)) {
    error_ = QObject::tr("unknown plot '%1' (expected one of: %2)")
                 .arg(name, renderablePlotNames().join(QStringLiteral(", ")));
    return;
  }
  if (name == QLatin1String("dashboard")) {
    auto* d = new Dashboard;
    area_.reset(d);
    plots_ = d->plots();
  } else {
    std::unique_ptr<PlotView> plot = makePlot(name);
    plots_ = {plot.get()};
    area_ = std::move(plot);
  }
  area_->setAttribute(Qt::WA_DontShowOnScreen);
  area_->resize(size_);
  area_->show();
  settle();
}

PlotRenderer::~PlotRenderer() {
  if (area_) area_->hide();
}

void PlotRenderer::rebuild(const RecordedRun& run) {
  history_.clear();
  record_.clear();
  history_.addLosses(run.losses);
  for (const StatsSnapshot& s : run.snapshots) {
    history_.addSnapshot(s);
    record_.add(s);
  }
}

QString PlotRenderer::show(const RecordedRun& run) {
  if (!error_.isEmpty()) return error_;
  if (run.snapshots.empty()) return QObject::tr("no statistics were recorded: nothing to plot");
  // What the window does with a live run: only the new losses and snapshots are added. A run
  // that does not extend the one shown (another run, or an earlier step) starts afresh. Either
  // way the history and record are those of `run` added in order, so a frame is the same
  // whichever frames came before it.
  const bool extends = shownSnapshots_ > 0 && run.snapshots.size() >= shownSnapshots_ &&
                       run.losses.size() >= shownLosses_ &&
                       run.snapshots[shownSnapshots_ - 1].step == lastShownStep_;
  if (extends) {
    history_.addLosses(std::vector<StepLoss>(run.losses.begin() + long(shownLosses_),
                                             run.losses.end()));
    for (std::size_t i = shownSnapshots_; i < run.snapshots.size(); ++i) {
      history_.addSnapshot(run.snapshots[i]);
      record_.add(run.snapshots[i]);
    }
  } else {
    rebuild(run);
  }
  shownSnapshots_ = run.snapshots.size();
  shownLosses_ = run.losses.size();
  lastShownStep_ = run.snapshots.back().step;

  PlotInputs inputs;
  inputs.record = &record_;
  inputs.snapshot = &run.snapshots.back();
  inputs.history = &history_;
  inputs.points = &run.points;
  inputs.snapshotChanged = true;
  inputs.historyChanged = true;
  for (PlotView* plot : plots_) {
    if (auto* h = dynamic_cast<LayerHistogramsPlot*>(plot)) {
      using Mode = LayerHistogramsPlot::Mode;
      h->setMode(run.histogramMode == QLatin1String("pre_activation") ? Mode::PreActivation
                 : run.histogramMode == QLatin1String("gradient")     ? Mode::Gradient
                                                                      : Mode::PostActivation);
      h->setPinned(run.pinned);
    }
    if (auto* m = dynamic_cast<LayerTimeHeatmapPlot*>(plot))
      m->setStatistic(LayerTimeHeatmapPlot::statisticFromKey(run.heatmapStatistic)
                          .value_or(LayerTimeHeatmapPlot::Statistic::ActivationStd));
    if (auto* d = dynamic_cast<DepthProfilePlot*>(plot)) d->setPinned(run.pinned);
    if (auto* l = dynamic_cast<LossAccuracyPlot*>(plot)) l->setPinned(run.pinned);
    if (auto* r = dynamic_cast<DecisionRegionPlot*>(plot)) r->setPinned(run.pinned);
  }
  // Light probes (between full ones, training/trainer.h) carry no decision grid. A run cut
  // just after one would hide the decision regions and re-flow the dashboard around the gap,
  // frame after frame: they show the newest full probe's regions instead, as the run's last
  // (always full) probe does in a still export.
  PlotInputs decisionInputs = inputs;
  for (auto it = run.snapshots.rbegin(); it != run.snapshots.rend(); ++it)
    if (it->decision.resolution > 0) {
      decisionInputs.snapshot = &*it;
      break;
    }
  // Twice the first time: the first refresh may change the layout (the decision plot appears,
  // axes get their labels), and curves are decimated to the plot area's final width. Later
  // runs (an animation's next frame) find the layout made: once is enough.
  const int passes = laidOut_ ? 1 : 2;
  for (int pass = 0; pass < passes; ++pass) {
    for (PlotView* plot : plots_) {
      plot->refresh(dynamic_cast<DecisionRegionPlot*>(plot) ? decisionInputs : inputs);
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
  laidOut_ = true;
  if (name_ == QLatin1String("decision_regions") && !plots_.front()->applicable())
    return QObject::tr("decision_regions: only for 2-D data (this data set has %1 features)")
        .arg(run.snapshots.back().layers.empty() ? 0 : run.snapshots.back().layers.front().units);
  return {};
}

QImage PlotRenderer::image() {
  if (!area_) return {};
  return renderPlotsImage(area_.get(), plots_, size_);
}

QString PlotRenderer::exportTo(const QString& path, const ExportOptions& options) {
  if (!error_.isEmpty()) return error_;
  ExportOptions exportOptions = options;
  exportOptions.size = size_;  // the widget has it, unless its plots' minimum sizes are larger
  if (auto* dashboard = qobject_cast<Dashboard*>(area_.get()))  // both tabs, as the window
    return exportDashboardTabs(dashboard, path, exportOptions);
  return exportPlots(area_.get(), plots_, path, exportOptions);
}

QString renderPlotFile(const QString& name, const RecordedRun& run, const QString& path,
                       const ExportOptions& options) {
  if (!renderablePlotNames().contains(name))
    return QObject::tr("unknown plot '%1' (expected one of: %2)")
        .arg(name, renderablePlotNames().join(QStringLiteral(", ")));
  if (run.snapshots.empty())
    return QObject::tr("%1: no statistics were recorded (--stats-every 0?): nothing to plot")
        .arg(path);
  PlotRenderer renderer(name, options.size);
  if (QString error = renderer.show(run); !error.isEmpty()) return error;
  return renderer.exportTo(path, options);
}

}  // namespace layerscope
