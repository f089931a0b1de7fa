// Weight initializers, named as in their papers and PyTorch (docs/ARCHITECTURE.md). Biases
// always start at zero.
#pragma once

#include <string>

#include "rng.h"
#include "tensor.h"

namespace layerscope {

struct InitializerSpec {
  std::string name = "xavier_normal";
  double std = 0.01;      // "normal": N(0, std^2)
  double bound = 0.05;    // "uniform": U(-bound, bound)
  double constant = 0.0;  // "constant"
};

// Fills W of shape (fanOut, fanIn). Throws InputError for an unknown name.
void initializeWeights(const InitializerSpec& spec, Eigen::Ref<Matrix> weights, Rng& rng);

// The standard deviation each initializer gives a weight, from its formula: the theory curves
// (signal propagation) and the initializer tests use it. 0 for zeros/constant.
double initializerStd(const InitializerSpec& spec, int fanIn, int fanOut);

bool isInitializerName(const std::string& name);
const char* initializerNames();

}  // namespace layerscope
