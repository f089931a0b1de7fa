// Runs a two-setting sweep (lab/sweep_grid.h: runSweepGrid) in the background for the
// trainability map dialog: every core trains one cell at a time, each finished cell file is
// written to the sweep's folder and handed to the GUI thread as it arrives. Cells the folder
// already holds are handed over first and not trained again, so a cancelled sweep resumes.
// The thread is a BackgroundJob (common/background_job.h): the runner's destructor cancels and
// joins it.
#pragma once

#include <QObject>
#include <QString>
#include <vector>

#include "common/background_job.h"
#include "lab/sweep_grid.h"

namespace layerscope {

class SweepGridRunner : public QObject {
  Q_OBJECT
 public:
  explicit SweepGridRunner(QObject* parent = nullptr);
  ~SweepGridRunner() override;

  // Writes DIR/plan.json (what `layerscope-cli sweep --merge DIR` and File > Open sweep read),
  // then trains the cells DIR lacks on `workers` threads (0: one per hardware thread).
  void start(const SweepPlan& plan, const QString& dir, int workers = 0);
  void cancel() { job_.cancel(); }  // finished(true) follows; the half-trained cells are dropped
  bool running() const { return job_.running(); }
  // Cells trained (not read back from the folder) by the current or last run.
  int trainedCells() const { return trained_; }

 signals:
  void cellsKept(const std::vector<layerscope::SweepCell>& cells, int total);
  void cellReady(const layerscope::SweepCell& cell, int done, int total);
  void failed(const QString& message);
  void finished(bool cancelled);

 private:
  BackgroundJob job_{QStringLiteral("layerscope-sweep-grid")};
  int trained_ = 0;
};

}  // namespace layerscope
