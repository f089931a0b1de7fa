// What a run reports, apart from its per-layer statistics (training/stats.h): the outcome of one
// training step, and the summary at the end. Plain value types, so readers of results (the
// statistics files, sweeps, lessons, the UI) need not include the Trainer.
#pragma once

#include <string>

namespace layerscope {

// Returned by Trainer::trainStep().
struct StepResult {
  long step = 0;        // steps done after this one
  int epoch = 0;        // completed epochs
  double loss = 0.0;    // data loss of this batch
  bool finite = true;
};

// Returned by Trainer::summary() and Trainer::run().
struct RunSummary {
  long steps = 0;
  double trainSeconds = 0.0;       // optimisation only, statistics excluded
  double statsSeconds = 0.0;       // probes
  double stepsPerSecond = 0.0;
  double finalLoss = 0.0;          // data loss on the whole training split, evaluation mode
  double trainAccuracy = 0.0;
  double validationAccuracy = 0.0; // NaN without a validation split
  double testAccuracy = 0.0;       // NaN without a test split
  bool diverged = false;
  std::string divergence;
};

}  // namespace layerscope
