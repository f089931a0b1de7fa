// Batch normalization (Ioffe & Szegedy 2015), per unit over the batch, placed before the
// activation: y = gamma (x - mu) / sqrt(var + eps) + beta. Training uses the batch's mu and var
// (population variance) and updates running averages (momentum 0.1, unbiased variance, as
// PyTorch); evaluation uses the running averages.
#pragma once

#include "model/layers/layer.h"

namespace layerscope {

class BatchNorm final : public Layer {
 public:
  explicit BatchNorm(int units, double eps = 1e-5, double momentum = 0.1);
  std::string kind() const override { return "batch_norm"; }
  int inputSize() const override { return units_; }
  int outputSize() const override { return units_; }
  void forward(const Matrix& in, Matrix& out, Phase phase) override;
  void backward(const Matrix& in, const Matrix& out, const Matrix& gradOut, Matrix& gradIn,
                bool computeGradIn) override;
  std::vector<ParameterInfo> parameterShapes() const override;
  void bindParameters(Scalar* values, Scalar* gradients) override;

  const VectorMap& gamma() const { return gamma_; }
  const VectorMap& beta() const { return beta_; }
  Vector& runningMean() { return runningMean_; }
  Vector& runningVar() { return runningVar_; }
  const Vector& runningMean() const { return runningMean_; }
  const Vector& runningVar() const { return runningVar_; }
  double epsilon() const { return eps_; }

 private:
  int units_;
  double eps_, momentum_;
  VectorMap gamma_{nullptr, 0}, beta_{nullptr, 0}, ggamma_{nullptr, 0}, gbeta_{nullptr, 0};
  Vector runningMean_, runningVar_;
  // Caches of the last forward, for backward:
  Matrix xhat_;    // (units, batch) normalized input
  Vector invStd_;  // (units) 1 / sqrt(var + eps)
  bool usedBatchStats_ = true;
};

}  // namespace layerscope
