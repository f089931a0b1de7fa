// Fully connected layer: out = W in + b, W (out, in), b (out).
#pragma once

#include "model/layers/layer.h"

namespace layerscope {

class Dense final : public Layer {
 public:
  Dense(int in, int out) : in_(in), out_(out) {}
  std::string kind() const override { return "dense"; }
  int inputSize() const override { return in_; }
  int outputSize() const override { return out_; }
  void forward(const Matrix& in, Matrix& out, Phase phase) override;
  void backward(const Matrix& in, const Matrix& out, const Matrix& gradOut, Matrix& gradIn,
                bool computeGradIn) override;
  std::vector<ParameterInfo> parameterShapes() const override;
  void bindParameters(Scalar* values, Scalar* gradients) override;

  MatrixMap& weights() { return w_; }
  const MatrixMap& weights() const { return w_; }
  VectorMap& bias() { return b_; }
  const VectorMap& bias() const { return b_; }
  const MatrixMap& weightGradient() const { return gw_; }
  const VectorMap& biasGradient() const { return gb_; }

 private:
  int in_, out_;
  MatrixMap w_{nullptr, 0, 0}, gw_{nullptr, 0, 0};  // (out, in)
  VectorMap b_{nullptr, 0}, gb_{nullptr, 0};        // (out)
};

}  // namespace layerscope
