// MainWindow's memory between starts: the window's geometry and the experiment in QSettings,
// and the last session's run (StartOptions::restoreSession): kept on close, offered at start,
// and, when expensive to build, shown but built only on Train or Reset.
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <exception>

#include "config_panel.h"
#include "data/data_paths.h"
#include "io/experiment_file.h"
#include "io/run_file.h"
#include "lab/run.h"
#include "main_window.h"
#include "settings/schema.h"

namespace layerscope {

void MainWindow::restoreSettings() {
  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::saveSettings() const {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  // Bundled data by its stable name: the extracted resources' folder is gone after a restart.
  ExperimentConfig config = panel_->config();
  config.data.source = portableDataSource(config.data.source, {});
  settings.setValue(QStringLiteral("experiment/json"),
                    QString::fromStdString(experimentToJson(config)));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveSettings();
  if (keepSession_) autosaveSession();
  event->accept();
}

QString MainWindow::lastSessionPath() const {
  return QDir(sessionFolder_).filePath(QStringLiteral("last-session.json"));
}

// Keeps the run on close: experiment and weights, written by the worker between two steps. The
// controller's destructor (after this window's) stops the worker, which writes the pending
// exports before it returns (TrainingWorker::run), so a run closed mid-training is kept at the
// step it had reached. A run with no step done, or a diverged one (non-finite weights), leaves
// the previous session's files alone.
void MainWindow::autosaveSession() {
  using State = TrainingController::State;
  const State s = controller_->state();
  if (deferred_ || controller_->stepsDone() <= 0 || s == State::Building || s == State::Failed ||
      s == State::Diverged)
    return;
  if (!QDir().mkpath(sessionFolder_)) return;
  const SavedExperiment paths = experimentWithWeightsPaths(lastSessionPath().toStdString());
  controller_->exportModel(QString::fromStdString(paths.modelPath),
                           QString::fromStdString(paths.experimentPath));
}

bool MainWindow::restoreLastSession(const StartOptions& options, ExperimentConfig& config,
                                    std::shared_ptr<const ModelState>& weights) {
  const QString path = lastSessionPath();
  if (!QFileInfo::exists(path)) return false;
  using Restore = StartOptions::SessionRestore;
  bool yes = options.restoreSession == Restore::Restore;
  if (options.restoreSession == Restore::Ask)
    yes = QMessageBox::question(nullptr, tr("LayerScope"),
                                tr("Restore the last session's run?\n\nIts experiment and "
                                   "trained weights were kept when the window closed; training "
                                   "continues from those weights.")) == QMessageBox::Yes;
  if (!yes) {
    const SavedExperiment paths = experimentWithWeightsPaths(path.toStdString());
    QFile::remove(QString::fromStdString(paths.experimentPath));
    QFile::remove(QString::fromStdString(paths.modelPath));
    return false;
  }
  try {
    OpenedExperiment opened = layerscope::openExperiment(path.toStdString());
    config = opened.config;
    weights = std::move(opened.weights);
  } catch (const std::exception& e) {
    sessionMessage_ = tr("The last session's run could not be restored: %1")
                          .arg(QString::fromStdString(e.what()));
    return false;
  }
  if (sessionMessage_.isEmpty()) sessionMessage_ = tr("Restored the last session's run");
  return true;
}

void MainWindow::buildDeferredRun(bool train) {
  const DeferredRun run = *deferred_;
  deferred_.reset();
  // An opened run with keyframes continues from its last one; a changed structure cannot.
  continuing_.reset();
  if (train && run.opened && !needsRestart(run.opened->config, run.config))
    continuing_ = run.opened;
  autostart_ = train;  // Train: trains as soon as it is built
  controller_->setExperiment(run.config, run.weights);
  updateActions();
}

QString expensiveToBuild(const ExperimentConfig& config, const ModelState* weights,
                         const StartOptions& limits) {
  // Forward multiply-adds of one sample: sum over the dense layers of fan_in x fan_out. A
  // network past the limit has as many weights (x 4 bytes, and as many again for gradients
  // and each optimizer buffer) to allocate and initialize, and its step-0 probe runs forward
  // and backward over the probe batch: seconds before the window is usable.
  const ModelConfig& model = weights ? weights->model : config.model;
  double in = weights ? weights->inputs : config.data.features;
  const double classes = weights ? weights->classes : config.data.classes;
  double multiplyAdds = 0;
  for (int width : hiddenWidths(model)) {
    multiplyAdds += in * width;
    in = width;
  }
  multiplyAdds += in * classes;
  if (multiplyAdds > limits.expensiveMultiplyAdds)
    return QObject::tr("a large network: %1 M multiply-adds per sample")
        .arg(multiplyAdds / 1e6, 0, 'f', 0);
  // Data files: csv:PATH, idx:DIR or idx:IMAGES,LABELS.
  const QString source = QString::fromStdString(config.data.source);
  qint64 bytes = 0;
  if (source.startsWith(QStringLiteral("csv:"))) {
    bytes = QFileInfo(source.mid(4)).size();
  } else if (source.startsWith(QStringLiteral("idx:"))) {
    for (const QString& part : source.mid(4).split(QLatin1Char(','))) {
      const QFileInfo info(part);
      if (info.isDir()) {
        for (const QFileInfo& f : QDir(part).entryInfoList(QDir::Files)) bytes += f.size();
      } else {
        bytes += info.size();
      }
    }
  }
  if (bytes > limits.expensiveDataBytes)
    return QObject::tr("a large data file: %1 MB").arg(bytes / double(1 << 20), 0, 'f', 0);
  return {};
}

}  // namespace layerscope
