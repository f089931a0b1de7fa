// First-order optimizers over the network's one parameter buffer. Formulas follow PyTorch's
// torch.optim so runs can be compared step for step.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "tensor.h"

namespace layerscope {

// An optimizer's state apart from its settings (learning rate, momentum, betas come from the
// config): what a keyframe (training/keyframe.h) keeps to continue a run exactly.
struct OptimizerState {
  std::string kind;             // name(): sgd, momentum, nesterov, adam
  long steps = 0;               // Adam's t (its bias correction 1 - beta^t); 0 for the others
  std::vector<Vector> buffers;  // momentum / nesterov: {v}; adam: {m, v}; sgd: none
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // params <- params - update(gradients). Called once per step: beginStep(), then update() over
  // the whole buffer.
  void step(Vector& params, const Vector& gradients) {
    beginStep();
    update(params, gradients, 0, params.size());
  }
  // A step in parts: beginStep() once (Adam counts its steps), then update() on ranges that
  // together cover the buffer once, in any order (Trainer::trainStep: each layer's range as
  // soon as its gradients are final). Every update is element by element, so the bits are
  // those of one update() over the whole buffer.
  virtual void beginStep() {}
  virtual void update(Vector& params, const Vector& gradients, Eigen::Index offset,
                      Eigen::Index size) = 0;
  virtual std::string name() const = 0;
  // A copy with the same state (momentum, Adam's moments and step count): what the Trainer keeps
  // of the last finite step, to return to after a divergence (training/trainer.h).
  virtual std::unique_ptr<Optimizer> clone() const = 0;
  // The same into an existing copy, reusing its buffers when it is of the same kind (a copy
  // taken every few steps must not allocate and page-fault tens of MB each time).
  virtual void copyInto(std::unique_ptr<Optimizer>& into) const = 0;
  virtual OptimizerState state() const = 0;
  // Takes `state` when it is of this kind with buffers of this size and returns true; returns
  // false, changing nothing, otherwise (the caller decides what a mismatch means).
  virtual bool setState(const OptimizerState& state) = 0;
  void setLearningRate(double lr) { lr_ = static_cast<Scalar>(lr); }
  double learningRate() const { return lr_; }

 protected:
  explicit Optimizer(double lr) : lr_(static_cast<Scalar>(lr)) {}
  Scalar lr_;
};

// Throws InputError for an unknown name. `size` is the parameter count (state is preallocated).
std::unique_ptr<Optimizer> makeOptimizer(const TrainConfig& config, Eigen::Index size);
const char* optimizerNames();

}  // namespace layerscope
