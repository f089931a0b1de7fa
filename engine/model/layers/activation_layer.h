// An element-wise non-linearity as a layer.
#pragma once

#include "model/activation.h"
#include "model/layers/layer.h"

namespace layerscope {

class ActivationLayer final : public Layer {
 public:
  ActivationLayer(int units, Activation activation) : units_(units), activation_(activation) {}
  std::string kind() const override { return "activation"; }
  int inputSize() const override { return units_; }
  int outputSize() const override { return units_; }
  void forward(const Matrix& in, Matrix& out, Phase) override { activation_.forward(in, out); }
  void backward(const Matrix& in, const Matrix& out, const Matrix& gradOut, Matrix& gradIn,
                bool computeGradIn) override {
    if (computeGradIn) activation_.backward(in, out, gradOut, gradIn);
  }
  const Activation& activation() const { return activation_; }

 private:
  int units_;
  Activation activation_;
};

}  // namespace layerscope
