// Theory > Phase diagram: the phase diagram of signal propagation (docs/THEORY.md) for the
// current experiment's activation and dropout, with its initialization marked at
// sigma_w^2 = fan_in x Var(W) of a hidden layer and sigma_b^2 = 0 (LayerScope starts biases at
// 0). Clicking the map chooses that sigma_w^2: the dialog emits the experiment with
// init normal(std = sqrt(sigma_w^2 / fan_in)). "Measure random networks" adds the measured
// overlay (analysis/random_network_correlation.h: real networks of width 500 at 5 grid points,
// the correlation of two inputs after 20 layers beside the map's), computed on a BackgroundJob.
#pragma once

#include <QDialog>
#include <QPointF>
#include <optional>

#include "config.h"

class QCheckBox;
class QLabel;

namespace layerscope {

class BackgroundJob;
class PhaseDiagramPlot;

class PhaseDiagramDialog : public QDialog {
  Q_OBJECT
 public:
  explicit PhaseDiagramDialog(const ExperimentConfig& experiment, QWidget* parent = nullptr);
  ~PhaseDiagramDialog() override;

  PhaseDiagramPlot* plot() const { return plot_; }
  QCheckBox* measureBox() const { return measure_; }
  QLabel* status() const { return status_; }
  // The measured overlay is being computed.
  bool measuring() const;

  // The experiment's (sigma_w^2, sigma_b^2) on the map; nullopt for zeros / constant weights
  // (not random: the mean-field theory does not apply).
  static std::optional<QPointF> initPoint(const ExperimentConfig& experiment);
  // The hidden layers' fan_in the chosen std is computed for (the first hidden-to-hidden
  // layer; the input layer's fan_in is the data's features).
  static int hiddenFanIn(const ExperimentConfig& experiment);
  // `experiment` with init normal and the std that gives sigma_w^2 in its hidden layers.
  static ExperimentConfig withWeightVariance(const ExperimentConfig& experiment, double sigmaW2);

 signals:
  void experimentChosen(const layerscope::ExperimentConfig& experiment);
  // The measured overlay has been drawn (or cleared, or its computation cancelled).
  void overlayChanged();

 private:
  void choose(double sigmaW2);
  void setOverlay(bool on);

  ExperimentConfig experiment_;
  PhaseDiagramPlot* plot_;
  QCheckBox* measure_;
  QLabel* status_;
  QLabel* overlayStatus_;
  BackgroundJob* job_;
  double keepProbability_ = 1.0;
};

}  // namespace layerscope
