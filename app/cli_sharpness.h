// --sharpness-every K --sharpness-csv FILE: the sharpness of the run (analysis/sharpness.h) at
// step 0, every K steps and the last step, written as
//   step,sharpness,threshold,iterations,seconds
// (threshold: the optimizer's edge of stability, empty for adam).
#pragma once

#include <string>

#include "analysis/sharpness.h"
#include "cli_options.h"
#include "training/trainer.h"

namespace layerscope {

class SharpnessRecorder {
 public:
  // Throws InputError when the flags do not go together (one without the other).
  explicit SharpnessRecorder(const CliOptions& options);
  bool enabled() const { return every_ > 0; }
  // Measures when due: step 0, a multiple of K, or the run's last step (trainer.finished()).
  void afterStep(Trainer& trainer, long step);
  // Writes the file (atomically); nothing when disabled.
  void write() const;

 private:
  long every_ = 0;
  std::string path_;
  SharpnessOptions options_;
  long lastStep_ = -1;
  std::string csv_ = "step,sharpness,threshold,iterations,seconds\n";
};

}  // namespace layerscope
