// A recorded run as it was at an earlier step: what an animation's frame draws
// (ui/export/animation_export.h), and what a timeline scrubbed back to that step shows.
#pragma once

#include <vector>

#include "export/plot_render.h"

namespace layerscope {

// `run` cut to its snapshots with step <= `step` and its losses with step <= `step`; the newest
// snapshot kept is then the "current" one. Everything else (points, experiment, pinned runs,
// selected layer, histogram mode) is kept as is. A step before the first snapshot leaves no
// snapshot (nothing to plot).
RecordedRun runAtStep(const RecordedRun& run, long step);

// Makes `shown`, a cut of `run` at an earlier step (runAtStep(run, s) with s <= step), the cut
// at `step`, copying only the snapshots and losses added since: an animation's frames at
// increasing steps cost what they add, not the whole prefix each (a run's snapshots carry
// histograms and decision grids).
void extendToStep(RecordedRun& shown, const RecordedRun& run, long step);

// The steps of `run`'s snapshots, in order.
std::vector<long> recordedSteps(const RecordedRun& run);

}  // namespace layerscope
