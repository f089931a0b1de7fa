// Activation functions and their derivatives, applied element-wise to (units, batch) matrices.
#pragma once

#include <string>

#include "tensor.h"

namespace layerscope {

enum class ActivationKind { Tanh, Sigmoid, Relu, LeakyRelu, Elu, Selu, Gelu, Linear };

struct Activation {
  ActivationKind kind = ActivationKind::Tanh;
  double leakySlope = 0.01;  // leaky_relu: f(x) = x for x > 0, slope * x otherwise
  double eluAlpha = 1.0;     // elu: f(x) = alpha * (exp(x) - 1) for x <= 0

  // out = f(in)
  void forward(const Matrix& in, Matrix& out) const;
  // gradIn = gradOut .* f'(in); `out` = f(in) is passed because several derivatives are
  // cheapest in terms of the output (tanh: 1 - out^2, sigmoid: out (1 - out)).
  void backward(const Matrix& in, const Matrix& out, const Matrix& gradOut, Matrix& gradIn) const;

  // One scalar in double precision, for the mean-field integrals (analysis/theory.cpp,
  // analysis/mean_field.cpp): f(x), f'(x) and f''(x). At a kink (ReLU's 0) the derivatives are
  // the one-sided values for x > 0 (f') and 0 (f''): the integrals there only meet f'' as
  // f''(x) f(x), and every kink of these functions sits where f(x) = 0.
  double value(double x) const;
  double slope(double x) const;
  double curvature(double x) const;
};

// "tanh" ... "linear"; throws InputError listing the valid names.
ActivationKind parseActivation(const std::string& name);
std::string activationName(ActivationKind kind);
const char* activationNames();  // "tanh|sigmoid|relu|leaky_relu|elu|selu|gelu|linear"

// Klambauer et al. 2017, "Self-Normalizing Neural Networks".
constexpr double kSeluLambda = 1.0507009873554804934193349852946;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;

}  // namespace layerscope
