// MainWindow's file operations beyond open/save experiment: plot and statistics export, open
// model (ONNX), save experiment with trained weights, save and open a run with its history
// (.lsrun), recent files and drag and drop. Kept out
// of main_window.cpp so the window's own file stays about composing the panels.
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QSpinBox>
#include <QStatusBar>
#include <algorithm>
#include <cmath>
#include <exception>

#include "io/atomic_file.h"
#include "config_panel.h"
#include "findings_box.h"
#include "io/run_file.h"
#include "saved_run_view.h"
#include "widgets/timeline_bar.h"
#include "plots/dashboard.h"
#include "plots/dashboard_export.h"
#include "io/experiment_file.h"
#include "export/animation_dialog.h"
#include "export/export_dialog.h"
#include "export/file_drop.h"
#include "export/recent_files.h"
#include "main_window.h"
#include "io/onnx_import.h"
#include "plots/plot_view.h"
#include "io/stats_io.h"
#include "lab/run.h"
#include "settings/schema.h"

namespace layerscope {

namespace {

QString formatOf(const QString& path) { return QFileInfo(path).suffix().toLower(); }

const QString kImageFilters =
    QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");

// The filter list with `format` first, so the dialog proposes it.
QString filtersFor(const QString& format) {
  QStringList filters = kImageFilters.split(QStringLiteral(";;"));
  for (int i = 0; i < filters.size(); ++i)
    if (filters[i].contains(QStringLiteral("*.") + format)) filters.move(i, 0);
  return filters.join(QStringLiteral(";;"));
}

// The run on screen as the offscreen plots take it (export/plot_render.h): the recorded
// snapshots and step losses (the timeline's record), the 2-D points and the pinned runs.
RecordedRun recordedRunOf(const DisplayedRun& shown, int selectedLayer,
                          const ExperimentConfig* experiment) {
  RecordedRun run;
  run.snapshots = shown.record.snapshots();
  run.losses = shown.record.losses();
  run.points = shown.points;
  run.selectedLayer = selectedLayer;
  run.experiment = experiment;
  run.pinned = shown.pinned;
  return run;
}

}  // namespace

void MainWindow::askExportAnimation() {
  if (run_.record.size() == 0) {
    showError(tr("Export animation: no statistics recorded yet: train first"));
    return;
  }
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export animation"), QStringLiteral("layerscope.mp4"),
      tr("MP4 video, H.264 (*.mp4);;Animated GIF (*.gif)"));
  if (path.isEmpty()) return;
  // Copies: training may go on while the frames are drawn.
  const ExperimentConfig experiment = controller_->experiment();
  const RecordedRun run = recordedRunOf(run_, dashboard_->selectedLayer(), &experiment);
  AnimationDialog dialog(run, path, this);
  connect(&dialog, &AnimationDialog::exportFinished, this,
          [this](bool written, const QString& message) {
            if (written) statusBar()->showMessage(message, 8000);
          });
  dialog.exec();
}

QString MainWindow::experimentJson() const {
  return QString::fromStdString(experimentToJson(controller_->experiment()));
}

void MainWindow::buildFileMenuExtras(QMenu* file) {
  file->addAction(tr("Open &model (ONNX)..."), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), {},
                                                      tr("ONNX model (*.onnx);;All files (*)"));
    if (!path.isEmpty())
      if (QString e = openModel(path); !e.isEmpty()) showError(e);
  });
  file->addAction(tr("Save experiment with trained &weights..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save experiment with trained weights (writes NAME.json and NAME.onnx)"),
        QStringLiteral("experiment.json"), tr("Experiments (*.json)"));
    if (!path.isEmpty())
      if (QString e = saveExperimentWithWeights(path); !e.isEmpty()) showError(e);
  });
  file->addAction(tr("Open r&un..."), this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open run"), {}, tr("Saved runs (*.lsrun);;All files (*)"));
    if (!path.isEmpty())
      if (QString e = openRun(path); !e.isEmpty()) showError(e);
  });
  file->addAction(tr("Save r&un with history..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save run with history"), QStringLiteral("run.lsrun"),
        tr("Saved runs (*.lsrun)"));
    if (path.isEmpty()) return;
    // Keyframes are whole training states (parameters, optimizer moments, batch order): for a
    // big net they outweigh the statistics many times, so they are kept only when asked for.
    bool withKeyframes = false;
    if (!run_.keyframes.empty())
      withKeyframes =
          QMessageBox::question(
              this, tr("Save run with history"),
              tr("Keep the run's %1 keyframes too?\n\nEach holds the network's parameters and "
                 "the optimizer's state, so a branch can continue from it later; for a large "
                 "network they make the file much larger.").arg(run_.keyframes.size()),
              QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
    if (QString e = saveRun(path, withKeyframes); !e.isEmpty()) showError(e);
  });
  QMenu* recentMenu = file->addMenu(tr("Open &recent"));
  recent_ = new RecentFiles(recentMenu, this);
  connect(recent_, &RecentFiles::openRequested, this, [this](const QString& path) {
    if (QString e = openFile(path); !e.isEmpty()) showError(e);
  });
  auto* drop = new FileDropFilter(this, {QStringLiteral("json"), QStringLiteral("onnx"),
                                         QStringLiteral("csv"), QStringLiteral("lsrun")});
  connect(drop, &FileDropFilter::fileDropped, this, [this](const QString& path) {
    if (QString e = openFile(path); !e.isEmpty()) showError(e);
  });
}

QString MainWindow::openFile(const QString& path) {
  const QString format = formatOf(path);
  if (format == QLatin1String("json")) return openExperiment(path);
  if (format == QLatin1String("onnx")) return openModel(path);
  if (format == QLatin1String("csv")) return useDataset(path);
  if (QLatin1Char('.') + format == QLatin1String(kRunFileExtension)) return openRun(path);
  return tr("%1: not an experiment (.json), a model (.onnx), a data set (.csv) or a saved run "
            "(.lsrun)").arg(path);
}

QString MainWindow::saveRun(const QString& path, bool withKeyframes) {
  if (run_.record.size() == 0)
    return tr("%1: no statistics recorded yet: train first").arg(path);
  const SavedRun saved = savedRunOf(run_, shownExperiment(), withKeyframes);
  try {
    writeRunFile(path.toStdString(), saved);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  statusBar()->showMessage(
      tr("Saved %1: %2%3").arg(QFileInfo(path).fileName(), run_.record.describe(),
                               withKeyframes ? tr(", %1 keyframes").arg(saved.keyframes.size())
                                             : QString()), 6000);
  if (recent_) recent_->add(path);
  return {};
}

QString MainWindow::openRun(const QString& path) {
  SavedRun saved;
  try {
    saved = readRunFile(path.toStdString());  // whole or not at all: the screen is untouched
  } catch (const std::exception& e) {
    const QString message = QString::fromStdString(e.what());
    return message.contains(path) ? message : tr("%1: %2").arg(path, message);
  }
  // Shown, not built, as a deferred session is: building the experiment would start a new run
  // that clears the one opened. The controller's own run stops where it is; what it still
  // sends is ignored while deferred_ is set (onFrame, onRunBuilt).
  using State = TrainingController::State;
  if (controller_->state() == State::Running) controller_->pause();
  deferred_ = DeferredRun{saved.config, nullptr, nullptr};  // before setConfig: its change stays here
  if (!saved.keyframes.empty()) deferred_->opened = std::make_shared<const SavedRun>(saved);
  panel_->setConfig(saved.config);
  deferred_->config = panel_->config();
  openedRunExperiment_ = saved.config;

  showSavedRun(saved, run_);
  dashboard_->clear();
  timeline_->clear();
  updateTimeline();
  dashboard_->refresh(run_.live(*openedRunExperiment_));
  if (run_.latest) showFindingsOf(*run_.latest);
  depth_ = saved.config.model.depth;
  layerBox_->setRange(0, depth_ + 1);
  progress_->setRange(0, static_cast<int>(std::min<long>(run_.lastStep, 2000000000)));
  progress_->setValue(progress_->maximum());
  progress_->setFormat(tr("step %1 (saved run)").arg(run_.lastStep));

  const QString name = QFileInfo(path).fileName();
  setWindowTitle(tr("LayerScope - %1").arg(name));
  const QString keyframes =
      saved.keyframes.empty() ? QString() : tr(", %1 keyframes").arg(saved.keyframes.size());
  const QString message =
      saved.keyframes.empty()
          ? tr("Opened %1: %2 (replay: drag the timeline; Train trains it again from step 0)")
                .arg(name, run_.record.describe())
          : tr("Opened %1: %2%3 (replay: drag the timeline; Train continues it from its last "
               "keyframe, step %4)")
                .arg(name, run_.record.describe(), keyframes)
                .arg(saved.keyframes.back().step);
  state_->setText(message);
  state_->setStyleSheet(QString());
  statusBar()->showMessage(message, 8000);
  updateActions();
  if (recent_) recent_->add(path);
  return {};
}

QString MainWindow::openModel(const QString& path) {
  std::shared_ptr<const ModelState> model;
  try {
    model = std::make_shared<const ModelState>(importOnnx(path.toStdString()));
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  // The panel shows the model's architecture; the data and training settings stay. Changing
  // the architecture in the panel afterwards starts a fresh network, as always.
  panel_->setConfig(withModelState(panel_->config(), *model));
  controller_->setExperiment(panel_->config(), model);
  setWindowTitle(tr("LayerScope - %1").arg(QFileInfo(path).fileName()));
  statusBar()->showMessage(tr("Opened model %1: statistics at step 0 on the current data; Train "
                              "continues training").arg(path), 8000);
  if (recent_) recent_->add(path);
  return {};
}

QString MainWindow::useDataset(const QString& path) {
  ExperimentConfig config = panel_->config();
  config.data.source = "csv:" + path.toStdString();
  try {
    validate(config);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  panel_->setConfig(config);
  controller_->setExperiment(panel_->config());
  if (recent_) recent_->add(path);
  return {};
}

QString MainWindow::saveExperimentWithWeights(const QString& path) {
  const SavedExperiment paths = experimentWithWeightsPaths(path.toStdString());
  const QString json = QString::fromStdString(paths.experimentPath);
  const QString onnx = QString::fromStdString(paths.modelPath);
  pendingWeightsExperiment_ = json;
  pendingWeightsModel_ = onnx;
  controller_->exportModel(onnx, json);  // the worker writes both; onModelExported reports
  statusBar()->showMessage(tr("Writing %1...").arg(onnx), 4000);
  return {};
}

void MainWindow::onModelExported(const QString& path, const QString& error) {
  const bool forExperiment = !pendingWeightsModel_.isEmpty() && path == pendingWeightsModel_;
  QString problem = error;
  QString experimentPath;
  if (forExperiment) {
    experimentPath = pendingWeightsExperiment_;
    pendingWeightsExperiment_.clear();
    pendingWeightsModel_.clear();
  }
  if (!problem.isEmpty()) {
    showError(problem);
  } else if (forExperiment) {
    statusBar()->showMessage(tr("Saved %1 with the trained weights in %2")
                                 .arg(experimentPath, QFileInfo(path).fileName()), 5000);
    if (recent_) recent_->add(experimentPath);
  } else {
    statusBar()->showMessage(tr("Model written to %1").arg(path), 5000);
  }
  if (forExperiment) emit weightsSaved(experimentPath, problem);
}

QString MainWindow::exportDashboard(const QString& path, ExportOptions options) {
  options.experimentJson = experimentJson();
  QStringList written;  // both tabs: plots/dashboard_export.h
  const QString error = exportDashboardTabs(dashboard_, path, options, &written);
  if (error.isEmpty())
    statusBar()->showMessage(tr("Exported %1").arg(written.join(tr(" and "))), 4000);
  return error;
}

QString MainWindow::exportPlot(PlotView* plot, const QString& path, ExportOptions options) {
  options.experimentJson = experimentJson();
  options.title = plot->title() + QStringLiteral(" - LayerScope");
  const QString error = exportPlots(plot, {plot}, path, options);
  if (error.isEmpty()) statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
  return error;
}

void MainWindow::askExportDashboard() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export dashboard"),
                                                    QStringLiteral("layerscope.png"),
                                                    kImageFilters);
  if (path.isEmpty()) return;
  ExportSizeDialog dialog(formatOf(path), dashboard_->size(), 96.0 * devicePixelRatioF(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  ExportOptions options;
  options.size = dialog.chosenSize();
  options.dpi = dialog.chosenDpi();
  if (QString e = exportDashboard(path, options); !e.isEmpty()) showError(e);
}

void MainWindow::askExportPlot(PlotView* plot, const QString& format) {
  const QString name = plot->title().section(':', 0, 0).simplified().replace(' ', '-').toLower();
  const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(plot->title()),
                                                    name + "." + format, filtersFor(format));
  if (path.isEmpty()) return;
  ExportSizeDialog dialog(formatOf(path), plot->size(), 96.0 * devicePixelRatioF(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  ExportOptions options;
  options.size = dialog.chosenSize();
  options.dpi = dialog.chosenDpi();
  if (QString e = exportPlot(plot, path, options); !e.isEmpty()) showError(e);
}

QString MainWindow::exportStatistics(const QString& path) {
  const std::vector<StatsSnapshot> snapshots = run_.record.snapshots();
  const QString which = run_.record.describe();
  QString written = path;
  try {
    if (formatOf(path) == QLatin1String("json")) {
      // statsJson's document, with a "record" object saying which steps are present.
      std::string text = statsJson(snapshots, controller_->experiment());
      QJsonObject record{{"description", which},
                         {"snapshots_seen", double(run_.record.seen())},
                         {"snapshots_kept", double(run_.record.size())},
                         {"complete", run_.record.complete()},
                         {"stride_steps", double(run_.record.strideSteps())}};
      if (!snapshots.empty()) {
        record.insert("first_step", double(snapshots.front().step));
        record.insert("last_step", double(snapshots.back().step));
      }
      const std::string insert =
          "  \"record\": " + QJsonDocument(record).toJson(QJsonDocument::Compact).toStdString() +
          ",\n";
      const std::size_t at = text.find("  \"experiment\"");
      text.insert(at == std::string::npos ? 2 : at, insert);
      writeFileAtomically(path.toStdString(), text);
    } else {
      // Long tables, one per file, as pandas likes them: NAME.csv (one row per step and
      // layer) and NAME-histograms.csv (one row per step, layer, quantity and bin).
      const QFileInfo info(path);
      const QString histograms = info.path() + QLatin1Char('/') + info.completeBaseName() +
                                 QStringLiteral("-histograms.csv");
      writeFileAtomically(path.toStdString(), statsCsv(snapshots));
      writeFileAtomically(histograms.toStdString(), statsHistogramsCsv(snapshots));
      written = tr("%1 and %2").arg(path, QFileInfo(histograms).fileName());
    }
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  statusBar()->showMessage(tr("Exported %1 to %2").arg(which, written), 6000);
  return {};
}

}  // namespace layerscope
