#include "cli_plot_export.h"

#include <QApplication>
#include <QSize>
#include <QString>
#include <functional>

#include "errors.h"
#include "lab/sweep_grid.h"
#include "export/animation_export.h"
#include "export/plot_render.h"
#include "plots/phase_diagram_plot.h"
#include "plots/plot_export.h"
#include "plots/sweep_heatmap_plot.h"
#include "sweep/trainable_depth.h"
#include "training/trainer.h"
#include "run/run_history.h"
#include "run/training_points.h"

namespace layerscope {

namespace {

// Qt's harmless complaints on a headless machine (no XDG_RUNTIME_DIR, no session bus) would
// read like errors on the CLI's stderr; real problems come back as error strings.
void quietMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
  if (type == QtFatalMsg || type == QtCriticalMsg)
    fprintf(stderr, "layerscope-cli: Qt: %s\n", qPrintable(message));
}

// Runs `render` while a QApplication on Qt's offscreen platform exists (created just before,
// destroyed just after), with Qt's harmless complaints silenced; returns what `render` returns
// (the error, "" when none).
QString inOffscreenApplication(const std::function<QString()>& render) {
  // Before the QApplication: the CLI must never need (or open) a display.
  qputenv("QT_QPA_PLATFORM", "offscreen");
  const QtMessageHandler previous = qInstallMessageHandler(quietMessages);
  static int argc = 1;
  static char name[] = "layerscope-cli";
  static char* argv[] = {name, nullptr};
  QString error;
  {
    QApplication app(argc, argv);
    error = render();
  }
  qInstallMessageHandler(previous);
  return error;
}

// One plot laid out off screen at options.size and written to `path`, as the app exports it;
// "" or the message.
QString exportShownPlot(PlotView& plot, const std::string& path, const ExportOptions& options) {
  plot.setAttribute(Qt::WA_DontShowOnScreen);
  plot.resize(options.size);
  plot.show();
  return exportPlots(&plot, {&plot}, QString::fromStdString(path), options);
}

void throwIfFailed(const QString& error) {
  if (!error.isEmpty()) throw InputError("--export-plot: " + error.toStdString());
}

}  // namespace

void exportPlotsOffscreen(const PlotExportJob& job) {
  QString animationError;
  const QString plotError = inOffscreenApplication([&] {
    QString error;
    RecordedRun run;
    run.snapshots = *job.snapshots;
    // The CLI keeps no per-step losses: the loss curve is the mean training loss between two
    // probes, at each probe's step.
    for (const StatsSnapshot& s : run.snapshots)
      if (s.step > 0) run.losses.push_back({s.step, s.trainLoss});
    run.points = trainingPoints(*job.train);
    run.experiment = job.experiment;
    run.histogramMode = QString::fromStdString(job.histogramMode);
    run.heatmapStatistic = QString::fromStdString(job.heatmapStatistic);
    for (size_t i = 0; i < job.earlierRuns.size(); ++i) {
      const PlotExportJob::EarlierRun& earlier = job.earlierRuns[i];
      if (earlier.snapshots.empty()) continue;
      RunHistory history;
      std::vector<StepLoss> losses;
      for (const StatsSnapshot& s : earlier.snapshots)
        if (s.step > 0) losses.push_back({s.step, s.trainLoss});
      history.addLosses(losses);
      for (const StatsSnapshot& s : earlier.snapshots) history.addSnapshot(s);
      // Labelled and coloured as the window pins a lesson's runs (MainWindow::pinCurrentRun).
      const QString label = QStringLiteral("pinned %1: %2")
                                .arg(i + 1)
                                .arg(QString::fromStdString(earlier.label));
      PinnedRun pinned = makePinnedRun(earlier.snapshots.back(), history, label,
                                       pinnedColor(static_cast<int>(i)));
      if (earlier.trainer) pinned.points = trainingPoints(earlier.trainer->data().train);
      run.pinned.append(pinned);
    }
    ExportOptions options;
    if (job.width > 0 && job.height > 0) options.size = QSize(job.width, job.height);
    options.dpi = job.dpi;
    options.experimentJson = QString::fromStdString(job.experimentJson);
    for (const PlotExportRequest& request : job.requests) {
      options.title = QString::fromStdString(request.name) + QStringLiteral(" - LayerScope");
      error = renderPlotFile(QString::fromStdString(request.name), run,
                             QString::fromStdString(request.path), options);
      if (!error.isEmpty()) break;
    }
    if (error.isEmpty() && !job.animation.path.empty()) {
      AnimationRequest animation;
      animation.path = QString::fromStdString(job.animation.path);
      animation.plot = QString::fromStdString(job.animation.plot);
      if (job.width > 0 && job.height > 0) animation.size = QSize(job.width, job.height);
      animation.fps = job.animation.fps;
      animation.durationSeconds = job.animation.seconds;
      animation.stepsPerFrame = job.animation.stepsPerFrame;
      animation.fromStep = job.animation.from;
      animation.toStep = job.animation.to;
      animationError = exportAnimation(animation, run);
    }
    return error;
  });
  throwIfFailed(plotError);
  if (!animationError.isEmpty()) {
    // The export names its fields as the dialog does; on the command line they are flags.
    const std::string message = animationError.toStdString();
    if (message.rfind("steps: ", 0) == 0) throw InputError("--animation-steps: " + message.substr(7));
    throw InputError("--export-animation: " + message);
  }
}

void exportPhasePlotOffscreen(const PhasePlotJob& job) {
  throwIfFailed(inOffscreenApplication([&] {
    PhaseDiagramData data;
    data.activation = QString::fromStdString(job.activation);
    data.dropout = job.dropout;
    data.sigmaW2 = job.sigmaW2;
    data.sigmaB2 = job.sigmaB2;
    data.points = job.points;
    data.depth = job.depth;
    data.caption = QString::fromStdString(job.caption);
    for (const PhaseMeasurement& m : job.measurements)
      data.measured.push_back({job.points[m.index].sigmaW2, job.points[m.index].sigmaB2, m.theory,
                               m.measured});
    PhaseDiagramPlot plot;
    plot.setData(data);
    ExportOptions options;
    options.size =
        job.width > 0 && job.height > 0 ? QSize(job.width, job.height) : QSize(900, 720);
    options.dpi = job.dpi;
    options.title = QStringLiteral("phase diagram - LayerScope");
    return exportShownPlot(plot, job.path, options);
  }));
}

void exportSweepPlotOffscreen(const SweepPlotJob& job) {
  throwIfFailed(inOffscreenApplication([&] {
    SweepHeatmapPlot plot;
    plot.setPlan(job.plan);
    plot.setCells(job.cells);
    SweepMetric metric = SweepMetric::TrainAccuracy;
    parseSweepMetric(QString::fromStdString(job.metric), &metric);  // checked by cli_sweep
    plot.setMetric(metric);
    showTrainableDepth(plot, job.plan);
    ExportOptions options;
    options.size = QSize(900, 720);  // the dialog's export size
    options.title = QStringLiteral("trainability map - LayerScope");
    options.experimentJson = QString::fromStdString(sweepPlanToJson(job.plan));
    return exportShownPlot(plot, job.path, options);
  }));
}

}  // namespace layerscope
