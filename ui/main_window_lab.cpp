// MainWindow's part of the lessons and the comparisons: the Lessons dock, the Compare
// menu (pin, clear, sweep), and the theory curve next to the measured depth profile. Kept apart
// from main_window.cpp so the File-menu work there and this can change independently.
#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

#include "config_panel.h"
#include "plots/dashboard.h"
#include "lessons/lesson_library.h"
#include "lessons/lesson_panel.h"
#include "lessons/lesson_sequencer.h"
#include "lessons/lesson_views.h"
#include "main_window.h"
#include "plots/decision_region_plot.h"
#include "plots/depth_profile_plot.h"
#include "plots/layer_histograms_plot.h"
#include "plots/loss_accuracy_plot.h"
#include "sweep/sweep_dialog.h"
#include "sweep/sweep_map_dialog.h"
#include "theory/jacobian_dialog.h"
#include "theory/phase_diagram_dialog.h"
#include "theory/sharpness_dialog.h"
#include "run/theory_curve.h"

namespace layerscope {

namespace {
constexpr int kMaxPinned = 6;  // beyond that the overlays stop being readable

QString describeRun(const ExperimentConfig& c) {
  QString init = QString::fromStdString(c.model.init);
  if (c.model.init == "normal") init += QStringLiteral("(%1)").arg(c.model.initStd);
  if (c.model.init == "uniform") init += QStringLiteral("(%1)").arg(c.model.initBound);
  QString text = QString::fromStdString(c.model.activation) + QLatin1Char(' ') + init;
  if (c.model.batchNorm) text += QStringLiteral(" +bn");
  if (c.model.dropout > 0) text += QStringLiteral(" dropout %1").arg(c.model.dropout);
  if (c.train.l2 > 0) text += QStringLiteral(" l2 %1").arg(c.train.l2);
  return text;
}
}  // namespace

void MainWindow::buildLessonsAndCompare() {
  // Compare: toolbar and menu.
  pin_ = new QAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("Pin run"), this);
  pin_->setObjectName(QStringLiteral("pinRun"));
  pin_->setShortcut(Qt::CTRL | Qt::Key_P);
  pin_->setToolTip(tr("Pin the current run: its depth profile, histograms and loss stay on the "
                      "plots, in their own colour, while you change settings (Ctrl+P)"));
  clearPins_ = new QAction(tr("Clear pinned runs"), this);
  clearPins_->setObjectName(QStringLiteral("clearPinned"));
  clearPins_->setEnabled(false);
  connect(pin_, &QAction::triggered, this, [this] {
    if (!pinCurrentRun()) statusBar()->showMessage(tr("Nothing to pin yet: no statistics"), 4000);
  });
  connect(clearPins_, &QAction::triggered, this, &MainWindow::clearPinned);
  // On the training toolbar (a toolbar of its own would widen the window's minimum size).
  QToolBar* bar = findChild<QToolBar*>(QStringLiteral("trainingToolbar"));
  if (!bar) bar = addToolBar(tr("Compare"));
  bar->addSeparator();
  bar->addAction(pin_);
  bar->addAction(clearPins_);
  QMenu* compare = menuBar()->addMenu(tr("&Compare"));
  compare->addAction(pin_);
  compare->addAction(clearPins_);
  compare->addSeparator();
  compare->addAction(tr("&Sweep a parameter..."), this, [this] {
    SweepDialog* d = sweepDialog();
    d->show();
    d->raise();
  });
  // Two settings at once, on every core, resumable; created once and kept (its runs outlive a
  // close of the dialog only as the cell files they wrote).
  const auto sweepMap = [this] {
    auto* d = findChild<SweepMapDialog*>();
    if (!d) d = new SweepMapDialog(this);
    d->setWindowExperiment(panel_->config());
    d->show();
    d->raise();
    return d;
  };
  compare->addAction(tr("&Trainability map (sweep two settings)..."), this, sweepMap);
  compare->addAction(tr("&Open sweep..."), this, [this, sweepMap] {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open a sweep folder (plan.json and its cell files)"));
    if (!dir.isEmpty()) sweepMap()->openFolder(dir);
  });
  compare->addAction(tr("&Phase diagram of the initialization..."), this, [this] {
    auto* d = new PhaseDiagramDialog(panel_->config(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &PhaseDiagramDialog::experimentChosen, this, [this](const ExperimentConfig& c) {
      panel_->setConfig(c);
      onConfigChanged(panel_->config(), true);
    });
    d->show();
  });
  compare->addAction(tr("&Jacobian spectrum..."), this, [this] {
    auto* d = new JacobianDialog(panel_->config(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->show();
  });
  // Trains the experiment apart from the run on screen (theory/sharpness_dialog.h).
  compare->addAction(tr("S&harpness (edge of stability)..."), this, [this] {
    auto* d = new SharpnessDialog(panel_->config(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->show();
  });

  // Lessons dock.
  lessonPanel_ = new LessonPanel;
  // The built-in lessons and the user's folder (lesson_library.h); a broken file is named
  // above the list, the others load.
  const LessonLibrary library = loadLessonLibrary();
  lessonPanel_->setLessons(library.lessons, library.error);
  lessonPanel_->setLoadProblems(library.problems);
  auto* dock = new QDockWidget(tr("Lessons"), this);
  dock->setObjectName(QStringLiteral("lessonsDock"));
  dock->setWidget(lessonPanel_);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                    QDockWidget::DockWidgetClosable);
  addDockWidget(Qt::RightDockWidgetArea, dock);
  resizeDocks({dock}, {340}, Qt::Horizontal);
  compare->addSeparator();
  QAction* showLessons = dock->toggleViewAction();
  showLessons->setText(tr("&Lessons panel"));
  compare->addAction(showLessons);

  sequencer_ = new LessonSequencer(
      controller_.get(),
      [this](const ExperimentConfig& config) {
        // The panel shows the lesson's experiment; the controller runs it exactly (the panel has
        // no field for a fixed number of steps, and "steps": 0 means the initial network).
        panel_->setConfig(config);
        controller_->setExperiment(config);
      },
      [this](const QString& label) { pinCurrentRun(label); }, this);
  connect(lessonPanel_, &LessonPanel::runRequested, this, [this](const QString& id) {
    if (QString e = runLesson(id); !e.isEmpty()) showError(e);
  });
  connect(lessonPanel_, &LessonPanel::stopRequested, this, [this] {
    sequencer_->cancel();
    controller_->pause();
    lessonPanel_->setRunning(false);
    lessonPanel_->showError(tr("Stopped."));
  });
  connect(sequencer_, &LessonSequencer::runStarted, lessonPanel_,
          [this](int index, const QString& label) {
            lessonPanel_->markRunStarted(index);
            statusBar()->showMessage(tr("Lesson run %1 of %2: %3")
                                         .arg(index + 1)
                                         .arg(sequencer_->lesson().runs.size())
                                         .arg(label), 4000);
          });
  connect(sequencer_, &LessonSequencer::runPinned, lessonPanel_, &LessonPanel::markRunPinned);
  connect(sequencer_, &LessonSequencer::checksReady, lessonPanel_,
          [this](const std::vector<CheckResult>& results) {
            lessonPanel_->showChecks(results);
            if (!sequencer_->running()) lessonPanel_->setRunning(false);
          });
  connect(sequencer_, &LessonSequencer::liveRunsFinished, lessonPanel_, [this] {
    lessonPanel_->markRunLive(sequencer_->currentRun() - 1);
    if (!sequencer_->running()) lessonPanel_->setRunning(false);
  });
  connect(sequencer_, &LessonSequencer::failed, lessonPanel_, [this](const QString& message) {
    sequencer_->cancel();
    lessonPanel_->setRunning(false);
    lessonPanel_->showError(message);
  });
}

QString MainWindow::runLesson(const QString& id) {
  if (!lessonPanel_->selectLesson(id)) return tr("There is no lesson \"%1\".").arg(id);
  const Lesson* lesson = lessonPanel_->currentLesson();
  if (lesson->runs.empty()) return tr("Lesson \"%1\" has no runs.").arg(id);
  clearPinned();
  // The lesson's text talks about particular views: show them (its tab, histogram quantity and
  // Over time pickers), whatever the user last chose, so the text and the picture agree.
  showLessonViews(*dashboard_, *lesson);
  lessonPanel_->setRunning(true);
  sequencer_->start(*lesson);
  return {};
}

bool MainWindow::pinCurrentRun(const QString& label) {
  if (!run_.latest) return false;
  if (run_.pinned.size() >= kMaxPinned) run_.pinned.removeFirst();
  const int number = run_.pinned.isEmpty() ? 1 : run_.pinned.back().label.section(':', 0, 0)
                                                  .section(' ', 1).toInt() + 1;
  const QString name = tr("pinned %1: %2")
                           .arg(number)
                           .arg(label.isEmpty() ? describeRun(controller_->experiment()) : label);
  // Colours by pin number, so a pin keeps its colour when older ones are dropped.
  run_.pinned.append(makePinnedRun(*run_.latest, run_.history, name, pinnedColor(number - 1)));
  run_.pinned.back().points = run_.points;  // drawn over its decision regions
  run_.pinned.back().experiment = controller_->experiment();  // the run list's comparison
  dashboard_->setPinned(run_.pinned, controller_->experiment());
  clearPins_->setEnabled(true);
  statusBar()->showMessage(tr("Pinned %1 at step %2").arg(name).arg(run_.latest->step), 4000);
  return true;
}

void MainWindow::clearPinned() {
  run_.pinned.clear();
  dashboard_->setPinned(run_.pinned);
  if (clearPins_) clearPins_->setEnabled(false);
}

SweepDialog* MainWindow::sweepDialog() {
  if (!sweep_) sweep_ = new SweepDialog(this);
  if (!sweep_->running()) sweep_->setBaseExperiment(panel_->config());
  return sweep_;
}

void MainWindow::showTheory() {
  if (!run_.latest) return;
  const TheoryCurve theory = theoryCurve(controller_->experiment(), *run_.latest);
  dashboard_->depthProfile()->setTheory(
      theory.std, theory.error.isEmpty() ? theory.caveat
                                         : tr("no prediction: %1").arg(theory.error));
}

}  // namespace layerscope
