// MainWindow: composes the panels, wires them to the controller and shows the run (frames,
// the timeline, findings, state). Its other parts: the toolbar and the File and Run menus in
// main_window_actions.cpp, Help > About in main_window_help.cpp, the saved settings and the
// last session in main_window_session.cpp, file operations in main_window_files.cpp, lessons
// and Compare in main_window_lab.cpp.
#include "main_window.h"

#include <QAction>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <exception>

#include "analysis/findings.h"
#include "branch_dialog.h"
#include "config_panel.h"
#include "export/recent_files.h"
#include "findings_box.h"
#include "io/experiment_file.h"
#include "io/run_file.h"
#include "lab/run.h"
#include "plots/dashboard.h"
#include "saved_run_view.h"
#include "settings/schema.h"
#include "widgets/timeline_bar.h"
#include "widgets/work_progress.h"

namespace layerscope {

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
  buildHelpMenu();  // last on the menu bar, as on every desktop

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

}  // namespace layerscope
