// Compare > Sweep...: the current experiment run once per value of one setting, on a worker
// thread (SweepRunner), with the result plotted as it arrives (SweepPlot): the last hidden
// layer's std against the init std on log-log axes next to the theory, per-layer profiles per
// initializer or activation, or accuracy against L2, dropout or learning rate.
#pragma once

#include <QSize>
#include <QVector>

#include "config.h"
#include "sweep/sweep_dialog_base.h"
#include "sweep/sweep_runner.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace layerscope {

class SweepPlot;

class SweepDialog : public SweepDialogBase {
  Q_OBJECT
 public:
  explicit SweepDialog(QWidget* parent = nullptr);
  ~SweepDialog() override;

  // The experiment every sweep point starts from (the window's current one).
  void setBaseExperiment(const ExperimentConfig& config);
  void setParameter(const QString& parameter);  // fills in sensible default values
  void setValues(const QStringList& values);
  QStringList values() const;
  void setInitializationOnly(bool on);  // 0 steps: statistics of the freshly initialized nets

  void start() override;
  void cancel() override;
  bool running() const override;
  SweepPlot* plot() const { return plot_; }
  const QVector<SweepCurvePoint>& points() const { return points_; }

  // The points so far as CSV, one row per swept value: the value, the final loss and
  // accuracies, then the measured and predicted std of every hidden layer (a column per layer,
  // empty where a point has fewer layers or no prediction). Written atomically; returns "" or
  // a message naming the file.
  QString exportCsv(const QString& path) const;
  // The sweep plot as PNG, SVG or PDF (by the suffix), as the window exports its plots
  // (plots/plot_export.h), with the base experiment and the swept values in the metadata.
  QString exportPlot(const QString& path, QSize size = {}) const;

 private:
  void fillRange();
  void updateButtons();
  void exportWithDialog(bool csv);

  ExperimentConfig base_;
  SweepRunner runner_;
  QVector<SweepCurvePoint> points_;
  QString sweptParameter_;
  QComboBox* parameter_;
  QLineEdit* values_;
  QDoubleSpinBox* from_;
  QDoubleSpinBox* to_;
  QSpinBox* count_;
  QCheckBox* logSpacing_;
  QCheckBox* initOnly_;
  QLabel* base_label_;
  QPushButton* exportCsv_;
  QPushButton* exportPlot_;
  SweepPlot* plot_;
};

}  // namespace layerscope
