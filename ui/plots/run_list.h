// The runs on the plots, one row each under the dashboard: the current run, then every pinned
// run with its colour and line style, its name, what differs from the current run (the
// settings whose values differ, settings/schema.h changedSettings(), with the pinned run's
// values), its final numbers, and a checkbox that shows or hides its overlays. Comparing a run
// trained on other data or with another architecture is legitimate but easy to misread, so such
// a row says so first. The plots' legends name the curves; this list names the runs.
#pragma once

#include <QVector>
#include <QWidget>
#include <optional>

#include "config.h"
#include "plots/pinned_run.h"

class QTreeWidget;
class QTreeWidgetItem;

namespace layerscope {

class RunList : public QWidget {
  Q_OBJECT
 public:
  explicit RunList(QWidget* parent = nullptr);

  // `current`: the experiment on screen (nullopt: none yet).
  void setRuns(const std::optional<ExperimentConfig>& current, const QVector<PinnedRun>& pinned);
  // The current run's newest numbers ("loss 0.41, validation accuracy 0.83").
  void setCurrentMetrics(const QString& metrics);

  // For tests and the dashboard: the rows as shown (row 0 is the current run).
  int rowCount() const;
  QString name(int row) const;
  QString differences(int row) const;
  QString metrics(int row) const;
  bool runVisible(int row) const;
  void setRunVisible(int row, bool visible);

  // The differing settings of `pinned` against `current` in words: "model.activation: relu;
  // train.lr: 0.2", led by "other data set" / "other architecture" where those differ.
  static QString describeDifferences(const ExperimentConfig& current,
                                     const ExperimentConfig& pinned);
  // A pinned run's final numbers: the last training loss and validation (or train) accuracy.
  static QString finalMetrics(const PinnedRun& run);

 signals:
  // The pinned run at `index` (of the list given to setRuns) was shown or hidden.
  void visibilityChanged(int index, bool visible);

 private:
  QTreeWidget* tree_;
  bool filling_ = false;
};

}  // namespace layerscope
