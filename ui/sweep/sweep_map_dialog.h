// Compare > Trainability map...: a two-setting sweep (engine/lab/sweep_grid.h) trained on every
// core in the background (SweepGridRunner), drawn as a heat map that fills in cell by cell
// (plots/sweep_heatmap_plot.h) with the theory's trainable depth 6 xi_c over it when the axes
// are depth and the initialization (sweep/trainable_depth.h). Each finished cell is a file in
// the sweep's folder (by default <app data>/sweeps/<plan digest>), so Cancel keeps them and
// running the same plan again trains only the rest. Compare > Open sweep... shows a folder that
// this dialog or `layerscope-cli sweep` (--out, or --emit-jobs then --merge) filled.
#pragma once

#include <QString>
#include <QStringList>

#include "config.h"
#include "lab/sweep_grid.h"
#include "sweep/sweep_dialog_base.h"
#include "sweep/sweep_grid_runner.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace layerscope {

class SweepHeatmapPlot;

class SweepMapDialog : public SweepDialogBase {
  Q_OBJECT
 public:
  explicit SweepMapDialog(QWidget* parent = nullptr);
  ~SweepMapDialog() override;

  // The window's experiment: the base when "Start from" says so.
  void setWindowExperiment(const ExperimentConfig& config);
  // The small map Schoenholz et al.'s figure 5 draws (tanh, depth x init std around the
  // critical sigma_w^2 = 1): the default, about 30 s on two cores.
  static SweepPlan examplePlan();

  // The plan the dialog's fields describe; throws InputError naming the bad field or value.
  SweepPlan plan() const;
  void setPlan(const SweepPlan& plan);  // fills in the fields ("Start from": this plan's experiment)
  void setAxis(bool y, const QString& setting, const QStringList& values);
  // The folder the cells go to: the one chosen, else <app data>/sweeps/<digest of plan()>.
  QString folder() const;
  void setFolder(const QString& dir);  // "" goes back to the default
  void setWorkers(int workers) { workers_ = workers; }  // 0: one per hardware thread

  void start() override;
  void cancel() override;
  bool running() const override { return runner_.running(); }
  const SweepGridRunner& runner() const { return runner_; }
  // Shows DIR/plan.json and the cells in DIR (missing ones named in the status line). Returns ""
  // or the message shown.
  QString openFolder(const QString& dir);

  SweepHeatmapPlot* plot() const { return plot_; }
  QString progressText() const;
  // The map as PNG, SVG or PDF (by the suffix), the plan embedded; "" or a message.
  QString exportPlot(const QString& path) const;

 private:
  ExperimentConfig baseExperiment() const;
  QString describeBase() const;
  void showPlan(const SweepPlan& plan);
  int workerCount() const;  // workers_, or one per hardware thread
  void setProgress(int done, int total);
  void updateButtons();

  ExperimentConfig window_;
  SweepPlan opened_;  // the plan of the last folder opened (its experiment is a "Start from")
  bool haveOpened_ = false;
  QString chosenFolder_;
  int workers_ = 0;
  SweepGridRunner runner_;
  QComboBox* startFrom_;
  QLabel* baseLabel_;
  QComboBox* axisSetting_[2];
  QLineEdit* axisValues_[2];
  QSpinBox* steps_;
  QComboBox* metric_;
  QLineEdit* folder_;
  QPushButton* export_;
  SweepHeatmapPlot* plot_;
};

}  // namespace layerscope
