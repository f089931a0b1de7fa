// layerscope-cli train --jacobian-every K --jacobian-csv FILE: the singular values of the
// input-output Jacobian (engine/analysis/jacobian.h, docs/THEORY.md) on the first
// kCliJacobianSamples probe samples, at step 0, every K steps and at the last step, as rows
// step,sample,index,singular_value (index 0 is the largest).
#pragma once

#include <string>

#include "tensor.h"

namespace layerscope {

class Network;

// Samples per spectrum: a 10 x 500 network costs ~16 x 0.15 s on one core (docs/THEORY.md).
inline constexpr int kCliJacobianSamples = 16;

class JacobianRecorder {
 public:
  // every: K, or 0 for step 0 and the last step only.
  JacobianRecorder(bool enabled, long every) : enabled_(enabled), every_(every) {}

  bool enabled() const { return enabled_; }
  // Step 0 and every K-th step; the last step is recorded by finish().
  bool due(long step) const {
    return enabled_ && step != lastStep_ && (step == 0 || (every_ > 0 && step % every_ == 0));
  }
  void record(long step, const Network& network, const Matrix& probeInputs);
  // The last step, unless it was recorded already.
  void finish(long step, const Network& network, const Matrix& probeInputs);
  const std::string& csv() const { return csv_; }

 private:
  bool enabled_;
  long every_;
  long lastStep_ = -1;
  std::string csv_ = "step,sample,index,singular_value\n";
};

}  // namespace layerscope
