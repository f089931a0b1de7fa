// The run the animation tests draw: the 2-D spiral, 2 hidden layers of 16 ReLU units, 300 Adam
// steps, a probe every 10 steps and every step's loss, recorded as the window records a run.
#pragma once

#include "common/experiments.h"
#include "export/plot_render.h"
#include "training/trainer.h"

namespace layerscope::testing {

struct RecordedSpiral {
  ExperimentConfig config = spiral2x32(300);
  RecordedRun run;
  RecordedSpiral() {
    config.model.width = 16;
    config.stats.every = 10;
    Trainer t(config);
    while (!t.finished()) {
      if (t.probeDue()) run.snapshots.push_back(t.probe());
      const StepResult s = t.trainStep();
      run.losses.push_back({s.step, s.loss});
    }
    if (run.snapshots.back().step != t.stepsDone()) run.snapshots.push_back(t.probe());
    run.experiment = &config;
  }
};

// Built once per test program (a few hundred milliseconds).
inline const RecordedRun& recordedSpiral() {
  static const RecordedSpiral r;
  return r.run;
}

}  // namespace layerscope::testing
