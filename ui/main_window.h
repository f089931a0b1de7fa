// The LayerScope window. Thin: it composes the configuration panel (a dock), the toolbar
// (Train, Pause, Step, Reset, layer selection), the dashboard of plots, the findings list, a
// progress bar and the status line, and wires them to the TrainingController. The work is in
// those classes.
#pragma once

#include <QMainWindow>
#include <deque>
#include <memory>
#include <optional>

#include "config.h"
#include "run_history.h"
#include "training_controller.h"
#include "training_types.h"

class QAction;
class QLabel;
class QProgressBar;
class QSpinBox;

namespace layerscope {

class ConfigPanel;
class Dashboard;
class FindingsBox;
class PlotView;

struct StartOptions {
  QString configPath;        // --config FILE
  bool autostart = false;    // --autostart: train as soon as the network is built
  bool restoreSettings = true;  // the previous session's experiment and layout
};

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(const StartOptions& options = {}, QWidget* parent = nullptr);
  ~MainWindow() override;

  ConfigPanel* configPanel() const { return panel_; }
  Dashboard* dashboard() const { return dashboard_; }
  TrainingController* controller() const { return controller_.get(); }
  FindingsBox* findings() const { return findings_; }
  const RunHistory& history() const { return history_; }
  QString statusText() const;
  QString progressText() const;
  QAction* trainAction() const { return train_; }
  QAction* pauseAction() const { return pause_; }
  QAction* stepAction() const { return step_; }
  QAction* resetAction() const { return reset_; }

  // File operations without dialogs (the menu actions ask for a path, then call these).
  // Each returns an empty string on success, else the message shown to the user.
  QString openExperiment(const QString& path);
  QString saveExperiment(const QString& path);
  QString exportDashboard(const QString& path);  // .png, .svg or .pdf
  QString exportStatistics(const QString& path); // .csv or .json: the recent snapshots

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildActions();
  void buildMenus();
  void onFrame(const TrainingFrame& frame);
  void onStateChanged(TrainingController::State state, const QString& message);
  void onConfigChanged(const ExperimentConfig& config, bool structural);
  void onRunBuilt(const RunInfo& info);
  void selectLayer(int layer);
  void updateActions();
  void exportPlot(PlotView* plot, const QString& format);
  void showError(const QString& message);
  void restoreSettings();
  void saveSettings() const;

  ConfigPanel* panel_;
  Dashboard* dashboard_;
  FindingsBox* findings_;
  QProgressBar* progress_;
  QLabel* state_;
  QSpinBox* layerBox_;
  QAction *train_, *pause_, *step_, *reset_;

  RunHistory history_;
  std::optional<StatsSnapshot> latest_;
  std::deque<StatsSnapshot> recentSnapshots_;  // bounded: for the statistics export
  PointCloud points_;
  bool pointsChanged_ = false;
  bool autostart_ = false;
  int depth_ = 0;
  std::unique_ptr<TrainingController> controller_;  // last member: destroyed (joined) first
};

}  // namespace layerscope
