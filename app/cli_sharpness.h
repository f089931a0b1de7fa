// --sharpness-every K --sharpness-csv FILE: the sharpness of the run (analysis/sharpness.h) at
// step 0, every K steps and the last step, written as
//   step,sharpness,threshold,iterations,seconds,preconditioned_sharpness,preconditioned_threshold
// (threshold: the optimizer's edge of stability, empty for adam; the last two for adam only,
// from its first step on: lambda_max(P^-1 H) and (2 + 2 beta1) / ((1 - beta1) lr), Cohen et al.
// 2022; they double the cost of a row).
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
  std::string csv_ =
      "step,sharpness,threshold,iterations,seconds,preconditioned_sharpness,"
      "preconditioned_threshold\n";
};

}  // namespace layerscope
