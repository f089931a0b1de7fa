// Inverted dropout (Srivastava et al. 2014): in training each unit is kept with probability
// q = 1 - p and scaled by 1/q, so evaluation is the identity and the expected output is unchanged.
#pragma once

#include "rng.h"
#include "model/layers/layer.h"

namespace layerscope {

class Dropout final : public Layer {
 public:
  Dropout(int units, double dropProbability, Rng trainingRng, Rng probeRng)
      : units_(units), p_(dropProbability), rng_(trainingRng), probeRng_(probeRng) {}
  std::string kind() const override { return "dropout"; }
  int inputSize() const override { return units_; }
  int outputSize() const override { return units_; }
  void forward(const Matrix& in, Matrix& out, Phase phase) override;
  void backward(const Matrix& in, const Matrix& out, const Matrix& gradOut, Matrix& gradIn,
                bool computeGradIn) override;

  double dropProbability() const { return p_; }
  void setDropProbability(double p) { p_ = p; }  // may change live, between steps
  const Matrix& mask() const { return mask_; }
  // The two mask streams, for keyframes (training/keyframe.h): a run continued from one draws
  // the same masks it would have drawn.
  Rng& trainingRng() { return rng_; }
  Rng& probeRng() { return probeRng_; }
  const Rng& trainingRng() const { return rng_; }
  const Rng& probeRng() const { return probeRng_; }

 private:
  int units_;
  double p_;
  Rng rng_, probeRng_;  // probes draw their own masks: they never shift the training stream
  Matrix mask_;         // (units, batch): 0 or 1/q; empty when the last forward was the identity
  bool identity_ = true;
};

}  // namespace layerscope
