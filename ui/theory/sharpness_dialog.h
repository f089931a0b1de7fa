// Compare > Sharpness (edge of stability): trains the current experiment headless on a
// background thread (common/background_job.h) for N steps, measures the sharpness (the largest
// eigenvalue of the training loss's Hessian, analysis/sharpness.h) at step 0 and every K steps,
// and draws it as it comes beside the training loss and the optimizer's edge of stability
// (2 / lr for sgd; plots/sharpness_plot.h). The run on screen is not touched. With full-batch
// gradient descent (batch size >= training samples) the sharpness typically rises to 2 / lr and
// hovers there (Cohen et al. 2021; docs/THEORY.md, "Sharpness").
#pragma once

#include <QDialog>

#include "config.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace layerscope {

class BackgroundJob;
class SharpnessPlot;

class SharpnessDialog : public QDialog {
  Q_OBJECT
 public:
  explicit SharpnessDialog(const ExperimentConfig& experiment, QWidget* parent = nullptr);

  SharpnessPlot* plot() const { return plot_; }
  void setSteps(long steps);
  void setEvery(long every);
  // Starts (or restarts) the run; Cancel stops it between two steps.
  void start();
  void cancel();
  bool running() const;
  QString status() const;

 signals:
  void runFinished(bool cancelled);

 private:
  ExperimentConfig experiment_;
  SharpnessPlot* plot_;
  QSpinBox* steps_;
  QSpinBox* every_;
  QPushButton* startButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QLabel* status_;
  BackgroundJob* job_;
  QString lastEstimate_;
};

}  // namespace layerscope
