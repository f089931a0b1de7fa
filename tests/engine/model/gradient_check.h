// Central-difference gradient checking shared by the engine tests.
#pragma once

#include <functional>

#include "tensor.h"

namespace layerscope::testing {

// Numerical gradient of f at x by central differences: (f(x + h e_i) - f(x - h e_i)) / 2h.
// x is restored after each coordinate.
inline Eigen::VectorXd numericalGradient(const std::function<double()>& f, Scalar* x,
                                         Eigen::Index n, double h = 1e-2) {
  Eigen::VectorXd g(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Scalar saved = x[i];
    x[i] = Scalar(saved + h);
    const double plus = f();
    x[i] = Scalar(saved - h);
    const double minus = f();
    x[i] = saved;
    g[i] = (plus - minus) / (2 * h);
  }
  return g;
}

// ||a - b|| / (||a|| + ||b||): 0 for equal vectors, 1 for opposite ones; a missing factor of 2
// gives 1/3, a transposed matrix about 1. Robust to the tiny entries single precision can't
// resolve by finite differences.
inline double relativeError(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const double denominator = a.norm() + b.norm();
  return denominator == 0 ? 0.0 : (a - b).norm() / denominator;
}

}  // namespace layerscope::testing
