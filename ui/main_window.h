// The LayerScope window. Thin: it composes the configuration panel (a dock), the toolbar
// (Train, Pause, Step, Reset, layer selection), the dashboard of plots, the findings list, a
// progress bar and the status line, and wires them to the TrainingController. The work is in
// those classes.
#pragma once

#include <QMainWindow>
#include <QVector>
#include <deque>
#include <memory>
#include <optional>

#include "config.h"
#include "displayed_run.h"
#include "plots/plot_export.h"
#include "run/training_controller.h"
#include "run/training_types.h"

class QAction;
class QMenu;
class QLabel;
class QProgressBar;
class QSpinBox;
class QComboBox;

namespace layerscope {

class ConfigPanel;
class Dashboard;
class FindingsBox;
class LessonPanel;
class LessonSequencer;
class PlotView;
class SweepDialog;
class TimelineBar;
class WorkProgress;
struct SavedRun;
class RecentFiles;

struct StartOptions {
  QString configPath;        // --config FILE
  bool autostart = false;    // --autostart: train as soon as the network is built
  bool restoreSettings = true;  // the previous session's experiment and layout
  // The last session's run. With restoreSettings, closing the window keeps the run: its
  // experiment and weights are saved (lab/run.h saveExperimentWithWeights) as
  // last-session.json / .onnx in sessionFolder (empty: QStandardPaths::AppDataLocation), and
  // the next start (without configPath) offers them: Ask shows "Restore the last session's
  // run?", Restore and Decline answer without asking (tests, scripts). Declined, the files go.
  enum class SessionRestore { Ask, Restore, Decline };
  SessionRestore restoreSession = SessionRestore::Ask;
  QString sessionFolder;
  // A restored run this expensive to build is shown but built only on Train (or Reset): the
  // forward multiply-adds of one sample (sum of fan_in x fan_out over the dense layers), or a
  // CSV / IDX data file of more than expensiveDataBytes.
  double expensiveMultiplyAdds = 50e6;
  qint64 expensiveDataBytes = 32ll << 20;
};

// Why building `config` (a model's architecture when `weights` is set) at start would be slow,
// in words for the status line; empty when it is cheap. See StartOptions::expensive*.
QString expensiveToBuild(const ExperimentConfig& config, const ModelState* weights,
                         const StartOptions& limits);

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(const StartOptions& options = {}, QWidget* parent = nullptr);
  ~MainWindow() override;

  ConfigPanel* configPanel() const { return panel_; }
  Dashboard* dashboard() const { return dashboard_; }
  TimelineBar* timeline() const { return timeline_; }
  TrainingController* controller() const { return controller_.get(); }
  FindingsBox* findings() const { return findings_; }
  const RunHistory& history() const { return run_.history; }
  QString statusText() const;
  // The Help > About text: the version and the matrix-product kernel in use (engine/gemm.h).
  static QString aboutText();
  QString progressText() const;
  QAction* trainAction() const { return train_; }
  QAction* pauseAction() const { return pause_; }
  QAction* stepAction() const { return step_; }
  QAction* resetAction() const { return reset_; }

  // Lessons and Compare (main_window_lab.cpp).
  LessonPanel* lessonPanel() const { return lessonPanel_; }
  LessonSequencer* lessonSequencer() const { return sequencer_; }
  // Selects the lesson and runs it; returns the message shown to the user, "" on success.
  QString runLesson(const QString& id);
  // Keeps the current run's newest snapshot and curves on the plots ("" label: a default one
  // naming the activation and initializer); returns false when there is nothing to pin yet.
  bool pinCurrentRun(const QString& label = {});
  void clearPinned();
  const QVector<PinnedRun>& pinnedRuns() const { return run_.pinned; }
  QAction* pinAction() const { return pin_; }
  SweepDialog* sweepDialog();  // created on first use, with the current experiment as base

  // File operations without dialogs (the menu actions ask for a path, then call these).
  // Each returns an empty string on success, else the message shown to the user.
  QString openExperiment(const QString& path);
  QString saveExperiment(const QString& path);
  // .png, .svg or .pdf, at options.size (default: as on screen), the experiment embedded.
  QString exportDashboard(const QString& path, ExportOptions options = {});
  QString exportPlot(PlotView* plot, const QString& path, ExportOptions options = {});
  // .csv (and NAME-histograms.csv beside it) or .json: the recorded statistics history.
  QString exportStatistics(const QString& path);
  const SnapshotRecord& statisticsRecord() const { return run_.record; }
  // ONNX: the model's statistics on the current data set at step 0; Train continues training.
  QString openModel(const QString& path);
  // A CSV file as the data set (csv:PATH).
  QString useDataset(const QString& path);
  // By suffix: .json experiment, .onnx model, .csv data set, .lsrun saved run (drag and drop,
  // recent files).
  QString openFile(const QString& path);
  // The run on screen with its history (io/run_file.h: every kept probe, every step's loss,
  // the 2-D points and, with `withKeyframes`, the keyframes), and back. An opened run is shown
  // without training: its experiment waits in the panel like a deferred session (Train builds
  // it and trains from step 0, which clears the shown run). On failure nothing changes.
  QString saveRun(const QString& path, bool withKeyframes);
  QString openRun(const QString& path);
  // Writes PATH.onnx (the current weights) and then PATH.json naming it ("weights"); the
  // model is written by the worker between two steps, so the JSON appears shortly after:
  // weightsSaved answers.
  QString saveExperimentWithWeights(const QString& path);
  // The timeline's Branch: pins the run, goes back to its newest keyframe at or before `step`
  // and continues from there with the live settings and the optimizer of `settings` (the
  // panel's, or the branch dialog's), which the panel then shows. "" or why it could not.
  QString branchFrom(long step);
  QString branchFrom(long step, const ExperimentConfig& settings);
  // The last session's run (StartOptions::restoreSession): where it is kept, whether the one
  // restored at start waits for Train to be built, and what restoring it said ("" when none
  // was restored).
  QString lastSessionPath() const;
  bool buildDeferred() const { return deferred_.has_value(); }
  const QString& sessionMessage() const { return sessionMessage_; }
  RecentFiles* recentFiles() const { return recent_; }

 signals:
  void weightsSaved(const QString& experimentPath, const QString& error);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildActions();  // main_window_actions.cpp: the toolbar
  void buildMenus();    // File and Run
  void buildHelpMenu();  // main_window_help.cpp
  void onFrame(const TrainingFrame& frame);
  void onStateChanged(TrainingController::State state, const QString& message);
  void onConfigChanged(const ExperimentConfig& config, bool structural);
  void onRunBuilt(const RunInfo& info);
  // The timeline (widgets/timeline_bar.h): what the record holds, the run at a past step, live.
  void updateTimeline();
  void showStep(long step);
  void showLive();
  void showFindingsOf(const StatsSnapshot& snapshot);
  // The experiment of the run on screen: an opened run's until Train or Reset builds one.
  const ExperimentConfig& shownExperiment() const;
  void selectLayer(int layer);
  void updateActions();
  void askExportPlot(PlotView* plot, const QString& format);
  void askExportDashboard();
  void askExportAnimation();  // File > Export animation (export/animation_dialog.h)
  void buildFileMenuExtras(QMenu* file);
  void onModelExported(const QString& path, const QString& error);
  QString experimentJson() const;
  void showError(const QString& message);
  void restoreSettings();
  void saveSettings() const;
  // Offers the last session's run; true when it was restored (into `config` / `weights`).
  bool restoreLastSession(const StartOptions& options, ExperimentConfig& config,
                          std::shared_ptr<const ModelState>& weights);
  void autosaveSession();
  void buildDeferredRun(bool train);  // Train / Reset on a restored run not built yet
  void buildLessonsAndCompare();  // main_window_lab.cpp
  void showTheory();              // the theory's std next to the measured one

  struct DeferredRun {
    ExperimentConfig config;
    std::shared_ptr<const ModelState> weights;
    // An opened run with keyframes (File > Open run): once built, it is shown again and
    // continues from its last keyframe instead of from step 0.
    std::shared_ptr<const SavedRun> opened;
  };
  std::optional<DeferredRun> deferred_;  // restored, shown, not built until Train / Reset
  // The experiment of a run opened from a file (openRun), kept apart from deferred_'s config,
  // which follows the panel's edits; cleared when a new run is built.
  std::optional<ExperimentConfig> openedRunExperiment_;
  std::shared_ptr<const SavedRun> continuing_;  // built from an opened run: restore it once built
  QString sessionFolder_;
  bool keepSession_ = false;  // autosave on close (StartOptions::restoreSettings)
  QString sessionMessage_;
  ConfigPanel* panel_;
  Dashboard* dashboard_;
  TimelineBar* timeline_;
  FindingsBox* findings_;
  QProgressBar* progress_;
  WorkProgress* work_;  // lends progress_ to loading, building, a final evaluation
  QLabel* state_;
  QSpinBox* layerBox_;
  // Speed: "auto" (kWatchablePace for 2-D data, else full speed), full speed, or a cap.
  QComboBox* speed_;
  int runInputs_ = 0;  // features of the run on screen (2: a 2-D playground)
  void applyPace();
  QAction *train_, *pause_, *step_, *reset_;

  DisplayedRun run_;  // the run on screen and the runs pinned beside it
  RecentFiles* recent_ = nullptr;
  QString pendingWeightsExperiment_, pendingWeightsModel_;  // Save experiment with weights
  bool autostart_ = false;
  // Lessons and Compare.
  LessonPanel* lessonPanel_ = nullptr;
  LessonSequencer* sequencer_ = nullptr;
  SweepDialog* sweep_ = nullptr;
  QAction* pin_ = nullptr;
  QAction* clearPins_ = nullptr;
  int depth_ = 0;
  std::unique_ptr<TrainingController> controller_;  // last member: destroyed (joined) first
};

}  // namespace layerscope
