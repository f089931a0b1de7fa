#include "main_window.h"

#include <limits>
#include <QAction>
#include <QToolButton>
#include <QComboBox>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <exception>

#include "io/atomic_file.h"
#include "config_panel.h"
#include "widgets/work_progress.h"
#include "data/data_paths.h"
#include "compute_threads.h"
#include "gemm.h"
#include "model/kernels/tanh_kernel.h"
#include "plots/dashboard.h"
#include "widgets/timeline_bar.h"
#include "branch_dialog.h"
#include "saved_run_view.h"
#include "io/run_file.h"
#include "io/experiment_file.h"
#include "findings_box.h"
#include "export/recent_files.h"
#include "io/onnx_import.h"
#include "plots/plot_export.h"
#include "plots/plot_view.h"
#include "io/stats_io.h"
#include "analysis/findings.h"
#include "settings/schema.h"
#include "lab/run.h"

namespace layerscope {

namespace {
// The automatic speed cap for 2-D data: a spiral run of a few thousand steps (7,200 in the
// Playground-like setup) unfolds over 10-20 s instead of ending in under a second.
constexpr double kWatchablePace = 500;
}  // namespace

MainWindow::MainWindow(const StartOptions& options, QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("LayerScope"));
  setObjectName(QStringLiteral("LayerScopeMainWindow"));
  controller_ = std::make_unique<TrainingController>();

  panel_ = new ConfigPanel;
  auto* scroll = new QScrollArea;
  scroll->setWidget(panel_);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(panel_->sizeHint().width() + 24);
  auto* dock = new QDockWidget(tr("Experiment"), this);
  dock->setObjectName(QStringLiteral("experimentDock"));
  dock->setWidget(scroll);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::LeftDockWidgetArea, dock);

  dashboard_ = new Dashboard;
  findings_ = new FindingsBox;
  timeline_ = new TimelineBar;
  // The timeline sits right under the plots it scrubs.
  auto* plotsAndTimeline = new QWidget;
  auto* column = new QVBoxLayout(plotsAndTimeline);
  column->setContentsMargins(0, 0, 0, 0);
  column->setSpacing(2);
  column->addWidget(dashboard_, 1);
  column->addWidget(timeline_);
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->setObjectName(QStringLiteral("centralSplitter"));
  splitter->addWidget(plotsAndTimeline);
  splitter->addWidget(findings_);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 0);
  splitter->setSizes({900, 90});
  setCentralWidget(splitter);

  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("progress"));
  progress_->setMinimumWidth(360);
  progress_->setTextVisible(true);
  progress_->setRange(0, 1);
  progress_->setValue(0);
  state_ = new QLabel;
  state_->setObjectName(QStringLiteral("status"));
  state_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  statusBar()->addWidget(state_, 1);
  statusBar()->addPermanentWidget(progress_);
  // Loading, building, a final evaluation: their progress in the bar, Cancel beside it.
  work_ = new WorkProgress(progress_, this);
  statusBar()->addPermanentWidget(work_->cancelButton());
  connect(controller_.get(), &TrainingController::working, work_, &WorkProgress::show);
  connect(work_, &WorkProgress::cancelRequested, controller_.get(), &TrainingController::cancel);

  buildActions();
  buildMenus();
  buildLessonsAndCompare();
  // Last on the menu bar, as on every desktop: what this build is and what it computes with.
  menuBar()->addMenu(tr("&Help"))->addAction(tr("&About LayerScope"), this, [this] {
    QMessageBox::about(this, tr("About LayerScope"), aboutText());
  });

  connect(controller_.get(), &TrainingController::frame, this, &MainWindow::onFrame);
  connect(controller_.get(), &TrainingController::stateChanged, this, &MainWindow::onStateChanged);
  connect(controller_.get(), &TrainingController::runBuilt, this, &MainWindow::onRunBuilt);
  connect(controller_.get(), &TrainingController::pointsReady, this,
          [this](const PointCloud& p) {
            if (!deferred_) run_.setPoints(p);  // an opened run's points stay
          });
  connect(controller_.get(), &TrainingController::modelExported, this,
          &MainWindow::onModelExported);
  connect(panel_, &ConfigPanel::configChanged, this, &MainWindow::onConfigChanged);
  connect(panel_, &ConfigPanel::validityChanged, this, [this](bool valid, const QString& problem) {
    if (!valid) state_->setText(tr("Invalid setting: %1").arg(problem));
    updateActions();
  });
  connect(dashboard_, &Dashboard::layerSelected, this, &MainWindow::selectLayer);
  connect(dashboard_, &Dashboard::exportRequested, this, &MainWindow::askExportPlot);
  connect(findings_, &FindingsBox::layerActivated, this, &MainWindow::selectLayer);
  connect(timeline_, &TimelineBar::cursorMoved, this, &MainWindow::showStep);
  connect(timeline_, &TimelineBar::branchRequested, this, [this](long step) {
    if (deferred_ || !run_.keyframeAt(step)) {
      branchFrom(step);  // says why not
      return;
    }
    BranchDialog dialog(run_.keyframeAt(step)->step, panel_->config(), this);
    if (dialog.exec() == QDialog::Accepted) branchFrom(step, dialog.settings());
  });
  connect(timeline_, &TimelineBar::keyframeRequested, controller_.get(),
          &TrainingController::takeKeyframe);
  connect(controller_.get(), &TrainingController::keyframeTaken, this,
          [this](const KeyframePtr& keyframe) {
            run_.addKeyframe(keyframe);
            updateTimeline();
          });
  connect(timeline_, &TimelineBar::liveRequested, this, &MainWindow::showLive);
  connect(timeline_, &TimelineBar::budgetChanged, this, [this](std::size_t bytes) {
    run_.record.setBudgetBytes(bytes);
    QSettings().setValue(QStringLiteral("timeline/budget_mb"), qulonglong(bytes >> 20));
    updateTimeline();
  });

  resize(1500, 950);
  ExperimentConfig config;
  if (options.restoreSettings) restoreSettings();
  QString settingsProblem;
  if (options.restoreSettings) {
    // A damaged or stale setting starts the app on the defaults, and says so.
    std::string problem;
    config = experimentFromSetting(
        QSettings().value(QStringLiteral("experiment/json")).toString().toStdString(),
        "settings (experiment/json)", &problem);
    settingsProblem = QString::fromStdString(problem);
  }
  QString openError;
  std::shared_ptr<const ModelState> weights;  // "weights" of the experiment file
  if (!options.configPath.isEmpty()) {
    try {
      OpenedExperiment opened = layerscope::openExperiment(options.configPath.toStdString());
      config = opened.config;
      weights = std::move(opened.weights);
    } catch (const std::exception& e) {
      openError = QString::fromStdString(e.what());
      config = ExperimentConfig{};
    }
  }
  keepSession_ = options.restoreSettings;
  sessionFolder_ = options.sessionFolder.isEmpty()
                       ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                       : options.sessionFolder;
  bool restored = false;
  if (options.restoreSettings && options.configPath.isEmpty())
    restored = restoreLastSession(options, config, weights);
  autostart_ = options.autostart && openError.isEmpty();
  const QString expensive =
      restored ? expensiveToBuild(config, weights.get(), options) : QString();
  if (!expensive.isEmpty()) deferred_ = DeferredRun{config, weights};  // before setConfig
  panel_->setConfig(config);
  if (deferred_) {
    // Shown, not built: building it (and its step-0 probe) would keep the window waiting.
    deferred_->config = panel_->config();
    sessionMessage_ = tr("Restored the last session's run, not built yet (%1): press Train or "
                         "Reset to build it").arg(expensive);
    state_->setText(sessionMessage_);
    updateActions();
    return;
  }
  // The network is built in the worker while the window appears; its step-0 statistics are the
  // first frame.
  controller_->setExperiment(panel_->config(), weights);
  if (!openError.isEmpty())
    showError(openError);
  else if (!settingsProblem.isEmpty())
    showError(tr("Started from the defaults: %1").arg(settingsProblem));
  else if (!sessionMessage_.isEmpty())
    statusBar()->showMessage(sessionMessage_, 8000);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions() {
  QToolBar* bar = addToolBar(tr("Training"));
  bar->setObjectName(QStringLiteral("trainingToolbar"));
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  train_ = bar->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Train"));
  train_->setShortcut(Qt::Key_F5);
  train_->setToolTip(tr("Train: run optimisation steps until Pause or the last epoch (F5)"));
  pause_ = bar->addAction(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"));
  pause_->setShortcut(Qt::Key_F6);
  pause_->setToolTip(tr("Pause after the current batch and show its statistics (F6)"));
  step_ = bar->addAction(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("Step"));
  step_->setShortcut(Qt::Key_F7);
  step_->setToolTip(tr("One batch: forward, backward, update; then the statistics (F7)"));
  reset_ = bar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reset"));
  reset_->setShortcut(Qt::Key_F8);
  reset_->setToolTip(tr("A fresh network from the same seed, back to step 0 (F8)"));
  connect(train_, &QAction::triggered, this, [this] {
    if (deferred_)
      buildDeferredRun(true);
    else
      controller_->train();
  });
  connect(pause_, &QAction::triggered, controller_.get(), &TrainingController::pause);
  connect(step_, &QAction::triggered, controller_.get(), &TrainingController::step);
  connect(reset_, &QAction::triggered, this, [this] {
    if (deferred_)
      buildDeferredRun(false);
    else
      controller_->reset();
  });
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Speed ")));
  speed_ = new QComboBox;
  speed_->setObjectName(QStringLiteral("speed"));
  speed_->addItem(tr("auto"), -1.0);
  speed_->addItem(tr("full speed"), 0.0);
  for (double cap : {2000.0, 1000.0, 500.0, 200.0, 100.0, 50.0, 20.0, 10.0, 5.0, 1.0})
    speed_->addItem(tr("%1 steps/s").arg(cap), cap);
  speed_->setToolTip(
      tr("How fast the network trains: full speed, or at most this many steps per second so "
         "you can watch the curves form (like TensorFlow Playground). auto: %1 steps/s for 2-D "
         "data, full speed otherwise. The numbers of a run do not depend on its speed.")
          .arg(kWatchablePace));
  bar->addWidget(speed_);
  connect(speed_, &QComboBox::currentIndexChanged, this, [this] { applyPace(); });
  bar->addSeparator();
  auto* label = new QLabel(tr(" Highlight layer "));
  layerBox_ = new QSpinBox;
  layerBox_->setObjectName(QStringLiteral("selectedLayer"));
  layerBox_->setRange(0, 0);
  layerBox_->setSpecialValueText(tr("none"));
  layerBox_->setToolTip(tr("Highlights one layer in every plot (or click a layer in a plot)"));
  bar->addWidget(label);
  bar->addWidget(layerBox_);
  connect(layerBox_, &QSpinBox::valueChanged, this, [this](int v) {
    if (dashboard_->selectedLayer() != (v == 0 ? -1 : v)) dashboard_->setSelectedLayer(v == 0 ? -1 : v);
  });
  updateActions();
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open experiment..."), QKeySequence::Open, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), {},
                                                      tr("Experiments (*.json);;All files (*)"));
    if (!path.isEmpty())
      if (QString e = openExperiment(path); !e.isEmpty()) showError(e);
  });
  file->addAction(tr("&Save experiment..."), QKeySequence::Save, this, [this] {
    QString path = QFileDialog::getSaveFileName(this, tr("Save experiment"),
                                                QStringLiteral("experiment.json"),
                                                tr("Experiments (*.json)"));
    if (!path.isEmpty())
      if (QString e = saveExperiment(path); !e.isEmpty()) showError(e);
  });
  buildFileMenuExtras(file);  // open model, save with weights, recent files (export/)
  file->addSeparator();
  file->addAction(tr("Export &dashboard (PNG, SVG, PDF)..."), this, &MainWindow::askExportDashboard);
  file->addAction(tr("Export &animation (GIF, MP4)..."), this, &MainWindow::askExportAnimation);
  file->addAction(tr("Export &statistics (CSV, JSON)..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export statistics"), QStringLiteral("stats.csv"),
        tr("CSV, one row per step and layer (*.csv);;JSON, with histograms (*.json)"));
    if (!path.isEmpty())
      if (QString e = exportStatistics(path); !e.isEmpty()) showError(e);
  });
  QMenu* plots = file->addMenu(tr("Export &plot"));
  for (PlotView* plot : dashboard_->plots())
    plots->addAction(plot->title() + QStringLiteral("..."), this,
                     [this, plot] { askExportPlot(plot, QStringLiteral("png")); });
  file->addAction(tr("Export &model (ONNX)..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export model"),
                                                      QStringLiteral("model.onnx"),
                                                      tr("ONNX model (*.onnx)"));
    if (!path.isEmpty()) controller_->exportModel(path);
  });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run->addActions({train_, pause_, step_, reset_});
}

QString MainWindow::aboutText() {
  return tr("<p><b>LayerScope %1</b>: why a deep network trains, or fails to, layer by layer.</p>"
            "<p>Matrix products: %2<br>(%3)</p>"
            "<p>Elementwise kernels: %6</p>"
            "<p>Set LAYERSCOPE_GEMM=eigen or openblas to choose another kernel.</p>"
            "<p>Threads: auto = %4 (this machine's physical cores: %5).</p>")
      .arg(QStringLiteral(LAYERSCOPE_VERSION), QString::fromStdString(gemmChoice().name),
           QString::fromStdString(gemmChoice().reason))
      .arg(resolveThreads(0))
      .arg(physicalCores())
      .arg(QString::fromStdString(kernelLevelName(kernelLevel())));
}

void MainWindow::applyPace() {
  double cap = speed_->currentData().toDouble();
  if (cap < 0) cap = runInputs_ == 2 ? kWatchablePace : 0.0;  // auto
  if (cap != controller_->pace()) controller_->setPace(cap);
}

void MainWindow::onRunBuilt(const RunInfo& info) {
  // While a run is shown but not built (an opened run, a deferred session), what the
  // controller still sends belongs to the run it had before: the shown run stays.
  if (deferred_) return;
  openedRunExperiment_.reset();
  runInputs_ = info.inputs;
  applyPace();
  run_.startNewRun();
  dashboard_->clear();
  if (const std::shared_ptr<const SavedRun> opened = std::exchange(continuing_, nullptr)) {
    // The opened run again, then back to its last keyframe: Train continues it there.
    showSavedRun(*opened, run_);
    run_.truncateTo(run_.keyframes.back()->step);
    run_.mark(TimelineMark::Kind::Branch, run_.lastStep,
              tr("continued from the saved run's last keyframe"));
    controller_->branch(run_.keyframes.back(), panel_->config());
  }
  timeline_->clear();
  updateTimeline();
  depth_ = panel_->config().model.depth;
  layerBox_->setRange(0, depth_ + 1);
  progress_->setRange(0, static_cast<int>(std::min<long>(info.plannedSteps, 2000000000)));
  progress_->setValue(0);
  progress_->setFormat(tr("step 0 / %1 · epoch 0").arg(info.plannedSteps));
}

void MainWindow::onFrame(const TrainingFrame& frame) {
  if (deferred_) return;  // see onRunBuilt
  const PlotInputs inputs = run_.add(frame, controller_->experiment());
  if (!frame.snapshots.empty() || !frame.losses.empty()) updateTimeline();
  if (!timeline_->live()) {
    // Scrubbing: the views stay at the cursor's step while the run goes on; the over-time
    // plots take the grown record (their cursor stays).
    PlotInputs past = run_.at(timeline_->cursor(), controller_->experiment());
    past.snapshotChanged = !frame.snapshots.empty();
    if (past.snapshotChanged) dashboard_->refreshOverTime(past);
  } else {
    dashboard_->refresh(inputs);
  }
  if (!frame.snapshots.empty() && timeline_->live()) {
    showFindingsOf(*run_.latest);
    showTheory();
  }
  if (frame.hasProgress) {
    const TrainingProgress& p = frame.progress;
    // An extended run (raised epochs / steps) plans more steps than it was built with.
    const int planned = static_cast<int>(std::min<long>(p.plannedSteps, 2000000000));
    if (planned > 0 && planned != progress_->maximum()) progress_->setRange(0, planned);
    progress_->setValue(static_cast<int>(std::min<long>(p.step, progress_->maximum())));
    // Training: the current speed. Paused or finished: the run's average over the time it
    // trained (a finished run's current speed is 0, which says nothing).
    const bool current = p.stepsPerSecond > 0 || p.averageStepsPerSecond <= 0;
    const double speed = current ? p.stepsPerSecond : p.averageStepsPerSecond;
    progress_->setFormat(tr("step %1 / %2 · epoch %3 · %4%5 steps/s")
                             .arg(p.step).arg(p.plannedSteps).arg(p.epoch)
                             .arg(current ? QString() : tr("average "))
                             .arg(speed, 0, 'f', speed < 10 ? 1 : 0));
  }
}

void MainWindow::updateTimeline() {
  std::vector<long> steps;
  steps.reserve(run_.record.size());
  for (const StatsSnapshot& s : run_.record.snapshots()) steps.push_back(s.step);
  timeline_->setRecorded(std::move(steps), run_.lastStep);
  timeline_->setMarks(run_.marks);
  timeline_->setMemory(run_.record.bytes(), run_.record.budgetBytes(), run_.record.describe());
}

void MainWindow::showStep(long step) {
  const PlotInputs inputs = run_.at(step, controller_->experiment());
  dashboard_->refresh(inputs);
  if (inputs.snapshot) showFindingsOf(*inputs.snapshot);
}

QString MainWindow::branchFrom(long step) { return branchFrom(step, panel_->config()); }

QString MainWindow::branchFrom(long step, const ExperimentConfig& settings) {
  if (deferred_) {
    const QString why = tr("An opened run is replayed, not trained: Train trains its experiment "
                           "from step 0 (layerscope-cli open FILE --continue continues it from "
                           "its last keyframe)");
    showError(why);
    return why;
  }
  const KeyframePtr keyframe = run_.keyframeAt(step);
  if (!keyframe) return tr("No keyframe at or before step %1 to branch from").arg(step);
  // The original stays on screen as a pinned run, its whole history; the branch shares it up
  // to the keyframe.
  pinCurrentRun(tr("before the branch at step %1").arg(keyframe->step));
  run_.truncateTo(keyframe->step);
  const ExperimentConfig& config = settings;
  // What the branch continues with: every live setting and the optimizer (the run may have
  // changed them since the keyframe, so "what differs" from the run now would not say it).
  QStringList live;
  for (const Setting& setting : settingsSchema())
    if (setting.effect == SettingEffect::Live || setting.effect == SettingEffect::LiveNonZero ||
        setting.path() == "train.optimizer")
      live << QString::fromStdString(setting.field() + " " + settingValueText(setting, setting.get(config)));
  run_.mark(TimelineMark::Kind::Branch, keyframe->step,
            tr("branched from the keyframe of step %1 with %2").arg(keyframe->step).arg(live.join(", ")));
  controller_->branch(keyframe, config);
  panel_->setConfig(controller_->experiment());  // the branch's settings, without a rebuild
  timeline_->goLive();
  updateTimeline();
  return {};
}

void MainWindow::showLive() {
  if (!run_.latest) return;
  dashboard_->refresh(run_.live(controller_->experiment()));
  showFindingsOf(*run_.latest);
}

void MainWindow::showFindingsOf(const StatsSnapshot& snapshot) {
  // What one snapshot cannot tell: chance on the validation split, where training began.
  // An opened run's validation split was never built here: its chance is unknown.
  FindingsContext context;
  if (!openedRunExperiment_) {
    context.validationChance = controller_->runInfo().validationChance;
    context.validationSamples = controller_->runInfo().validationSamples;
  }
  context.firstTrainAccuracy = run_.firstTrainAccuracy;
  findings_->showFindings(layerscope::findings(snapshot, shownExperiment(), context));
}

const ExperimentConfig& MainWindow::shownExperiment() const {
  return openedRunExperiment_ ? *openedRunExperiment_ : controller_->experiment();
}

void MainWindow::onStateChanged(TrainingController::State state, const QString& message) {
  using State = TrainingController::State;
  if (deferred_) {  // the state of a run not on screen: the status line keeps what it says
    updateActions();
    return;
  }
  QString text = TrainingController::stateName(state);
  if (!message.isEmpty() && message != text) text += QStringLiteral(": ") + message;
  state_->setText(message.isEmpty() ? text : message);
  const bool bad = state == State::Failed || state == State::Diverged;
  state_->setStyleSheet(bad ? QStringLiteral("color: #b00020; font-weight: bold;") : QString());
  if (state == State::Failed) findings_->showMessage(message, FindingSeverity::Problem);
  if (state == State::Ready && autostart_) {
    autostart_ = false;
    // After the first frame has been shown: the step-0 statistics come first.
    QTimer::singleShot(0, controller_.get(), &TrainingController::train);
  }
  updateActions();
}

void MainWindow::updateActions() {
  using State = TrainingController::State;
  const State s = controller_->state();
  const bool valid = panel_->problem().isEmpty();
  // Finished and Diverged too: Train extends a run whose epochs / steps were raised and resumes
  // a diverged one from its last finite parameters (TrainingController::train).
  train_->setEnabled(valid && (deferred_ || s == State::Ready || s == State::Paused ||
                               s == State::Finished || s == State::Diverged));
  pause_->setEnabled(s == State::Running || s == State::Building);  // Building: cancels it
  step_->setEnabled(valid && !deferred_ && (s == State::Ready || s == State::Paused || s == State::Running));
  reset_->setEnabled(valid);
}

void MainWindow::onConfigChanged(const ExperimentConfig& config, bool structural) {
  if (deferred_) {  // not built yet: the change is what Train will build
    deferred_->config = config;
    if (structural) deferred_->weights.reset();
    return;
  }
  if (structural) {
    controller_->setExperiment(config);
    return;
  }
  const ExperimentConfig before = controller_->experiment();
  controller_->applyLiveSettings(config);
  QStringList changes;
  for (const Setting* setting : changedSettings(before, config))
    changes << QStringLiteral("%1 %2 -> %3")
                   .arg(QString::fromStdString(setting->field()),
                        QString::fromStdString(settingValueText(*setting, setting->get(before))),
                        QString::fromStdString(settingValueText(*setting, setting->get(config))));
  if (!changes.isEmpty()) {
    run_.mark(TimelineMark::Kind::SettingChange, controller_->stepsDone(), changes.join(", "));
    timeline_->setMarks(run_.marks);
  }
  if (config.train.steps != before.train.steps || config.train.epochs != before.train.epochs) {
    statusBar()->showMessage(tr("The run's plan changed: Train continues it (steps already done "
                                "are kept)"), 6000);
    updateActions();
    return;
  }
  statusBar()->showMessage(tr("Applied live: learning rate %1, L2 %2, dropout %3")
                               .arg(config.train.learningRate).arg(config.train.l2)
                               .arg(config.model.dropout), 4000);
}

void MainWindow::selectLayer(int layer) {
  dashboard_->setSelectedLayer(layer);
  const QSignalBlocker block(layerBox_);
  layerBox_->setValue(layer < 0 ? 0 : layer);
}

QString MainWindow::statusText() const { return state_->text(); }
QString MainWindow::progressText() const { return progress_->text(); }

void MainWindow::showError(const QString& message) {
  // The temporary message stays on top of the state label for a while, so a later state
  // change ("Ready") does not hide it at once.
  statusBar()->showMessage(message, 20000);
  qWarning("%s", qPrintable(message));
  state_->setText(message);
  state_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
}

QString MainWindow::openExperiment(const QString& path) {
  try {
    const OpenedExperiment opened = layerscope::openExperiment(path.toStdString());
    panel_->setConfig(opened.config);
    controller_->setExperiment(panel_->config(), opened.weights);
    setWindowTitle(tr("LayerScope - %1").arg(QFileInfo(path).fileName()));
    if (recent_) recent_->add(path);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

QString MainWindow::saveExperiment(const QString& path) {
  try {
    writeExperimentFile(path.toStdString(), panel_->config());
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
  if (recent_) recent_->add(path);
  return {};
}

// Plot and statistics export, open model, save with weights, recent files and drag and drop
// are in main_window_files.cpp.

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
