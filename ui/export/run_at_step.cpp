#include "export/run_at_step.h"

#include <algorithm>

namespace layerscope {

RecordedRun runAtStep(const RecordedRun& run, long step) {
  RecordedRun cut;
  cut.points = run.points;
  cut.selectedLayer = run.selectedLayer;
  cut.experiment = run.experiment;
  cut.pinned = run.pinned;
  cut.histogramMode = run.histogramMode;
  cut.heatmapStatistic = run.heatmapStatistic;
  // Both are in step order: the kept part is a prefix, found by binary search.
  const auto snapshotsEnd =
      std::upper_bound(run.snapshots.begin(), run.snapshots.end(), step,
                       [](long s, const StatsSnapshot& snapshot) { return s < snapshot.step; });
  cut.snapshots.assign(run.snapshots.begin(), snapshotsEnd);
  const auto lossesEnd = std::upper_bound(run.losses.begin(), run.losses.end(), step,
                                          [](long s, const StepLoss& l) { return s < l.step; });
  cut.losses.assign(run.losses.begin(), lossesEnd);
  return cut;
}

void extendToStep(RecordedRun& shown, const RecordedRun& run, long step) {
  std::size_t s = shown.snapshots.size();
  while (s < run.snapshots.size() && run.snapshots[s].step <= step)
    shown.snapshots.push_back(run.snapshots[s++]);
  std::size_t l = shown.losses.size();
  while (l < run.losses.size() && run.losses[l].step <= step) shown.losses.push_back(run.losses[l++]);
}

std::vector<long> recordedSteps(const RecordedRun& run) {
  std::vector<long> steps;
  steps.reserve(run.snapshots.size());
  for (const StatsSnapshot& s : run.snapshots) steps.push_back(s.step);
  return steps;
}

}  // namespace layerscope
