#include "cli_plot_export.h"

#include <QApplication>
#include <QSize>
#include <QString>

#include "errors.h"
#include "export/plot_render.h"
#include "training/trainer.h"
#include "run/training_points.h"

namespace layerscope {

namespace {

// Qt's harmless complaints on a headless machine (no XDG_RUNTIME_DIR, no session bus) would
// read like errors on the CLI's stderr; real problems come back as error strings.
void quietMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
  if (type == QtFatalMsg || type == QtCriticalMsg)
    fprintf(stderr, "layerscope-cli: Qt: %s\n", qPrintable(message));
}

}  // namespace

void exportPlotsOffscreen(const PlotExportJob& job) {
  // Before the QApplication: the CLI must never need (or open) a display.
  qputenv("QT_QPA_PLATFORM", "offscreen");
  const QtMessageHandler previous = qInstallMessageHandler(quietMessages);
  static int argc = 1;
  static char name[] = "layerscope-cli";
  static char* argv[] = {name, nullptr};
  QString error;
  {
    QApplication app(argc, argv);
    RecordedRun run;
    run.snapshots = *job.snapshots;
    // The CLI keeps no per-step losses: the loss curve is the mean training loss between two
    // probes, at each probe's step.
    for (const StatsSnapshot& s : run.snapshots)
      if (s.step > 0) run.losses.push_back({s.step, s.trainLoss});
    run.points = trainingPoints(job.trainer->data().train);
    run.experiment = &job.trainer->config();
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
  }
  qInstallMessageHandler(previous);
  if (!error.isEmpty()) throw InputError("--export-plot: " + error.toStdString());
}

}  // namespace layerscope
