// Compare > Jacobian spectrum: the singular values of the input-output Jacobian (network input
// -> last hidden layer; engine/analysis/jacobian.h, docs/THEORY.md) of the current experiment's
// network at initialization, beside a comparison initialization chosen here (orthogonal, or
// Gaussian weights of the same variance sigma_w^2 = fan_in x Var(W)), and optionally the current
// network after N training steps. Each network is built (lab/run.h startRun: the experiment's
// data and probe batch) and measured on a background thread; the theory's mean squared singular
// value prod_l chi_l is drawn beside each initialization's spectrum.
#pragma once

#include <QDialog>

#include "config.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace layerscope {

class BackgroundJob;
class JacobianSpectrumPlot;

class JacobianDialog : public QDialog {
  Q_OBJECT
 public:
  enum class Comparison { None, Orthogonal, GaussianSameVariance };

  explicit JacobianDialog(const ExperimentConfig& experiment, QWidget* parent = nullptr);
  ~JacobianDialog() override;

  JacobianSpectrumPlot* plot() const { return plot_; }
  QLabel* status() const { return status_; }
  void setComparison(Comparison comparison);
  void setTrainSteps(int steps);
  bool running() const;

  // Probe samples per spectrum.
  static constexpr int kSamples = 16;

  // `experiment` with the comparison's initialization (None: unchanged).
  static ExperimentConfig comparisonExperiment(const ExperimentConfig& experiment,
                                               Comparison comparison);

 public slots:
  // Builds the networks and measures their spectra in the background; computed() follows.
  void compute();

 signals:
  void computed();

 private:
  void exportPlot(const QString& format);

  ExperimentConfig experiment_;
  JacobianSpectrumPlot* plot_;
  QComboBox* comparison_;
  QSpinBox* trainSteps_;
  QPushButton* computeButton_;
  QLabel* status_;
  BackgroundJob* job_;
};

}  // namespace layerscope
