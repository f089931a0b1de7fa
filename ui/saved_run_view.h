// The run on screen as a saved-run file holds it (io/run_file.h), and back: what File > Save run
// with history writes and File > Open run shows. Window level: DisplayedRun is the window's.
#pragma once

#include "config.h"
#include "displayed_run.h"
#include "io/run_file.h"

namespace layerscope {

// `shown`'s record (every kept probe and step loss), its 2-D points and, with `withKeyframes`,
// its keyframes, under `experiment`. The window knows no run summary, so hasSummary is false.
SavedRun savedRunOf(const DisplayedRun& shown, const ExperimentConfig& experiment,
                    bool withKeyframes);

// Replaces the run in `shown` (the pinned runs stay) by `saved`, as if it had just been trained:
// curves, record, newest snapshot, points, divergence marks and keyframes.
void showSavedRun(const SavedRun& saved, DisplayedRun& shown);

}  // namespace layerscope
