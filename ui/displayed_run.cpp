#include "displayed_run.h"

namespace layerscope {

void DisplayedRun::startNewRun() {
  history.clear();
  latest.reset();
  firstTrainAccuracy = std::numeric_limits<double>::quiet_NaN();
  haveFirstSnapshot = false;
  record.clear();
  points = PointCloud{};
  pointsChanged = true;
}

void DisplayedRun::setPoints(const PointCloud& p) {
  points = p;
  pointsChanged = true;
}

PlotInputs DisplayedRun::add(const TrainingFrame& frame, const ExperimentConfig& experiment) {
  history.addLosses(frame.losses);
  for (const StatsSnapshot& s : frame.snapshots) {
    history.addSnapshot(s);
    record.add(s);
  }
  if (!frame.snapshots.empty()) {
    if (!haveFirstSnapshot) {
      firstTrainAccuracy = frame.snapshots.front().probeAccuracy;
      haveFirstSnapshot = true;
    }
    latest = frame.snapshots.back();
  }
  PlotInputs inputs;
  inputs.snapshot = latest ? &*latest : nullptr;
  inputs.history = &history;
  inputs.points = &points;
  inputs.snapshotChanged = !frame.snapshots.empty() || pointsChanged;
  inputs.historyChanged = true;
  inputs.experiment = &experiment;
  inputs.record = &record;
  pointsChanged = false;
  return inputs;
}

}  // namespace layerscope
