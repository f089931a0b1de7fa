// The measured side of the phase diagram (docs/THEORY.md): finite-width random networks with
// the given weight and bias variances, two inputs pushed through them, and the correlation of
// their pre-activations layer by layer, to set beside analysis/mean_field.h's prediction.
//
// The network's own classes (model/network.h) start every bias at 0, so they cannot draw
// sigma_b^2 > 0: these are plain Eigen layers, h_{l+1} = W phi(h_l) + b with
// W_ij ~ N(0, sigma_w^2 / width), b_i ~ N(0, sigma_b^2), the activation from model/activation.h
// and inverted dropout (a kept unit scaled by 1 / rho, each input its own mask).
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/mean_field.h"

namespace layerscope {

struct CorrelationMeasurement {
  int width = 1000;          // units per layer
  int depth = 20;            // layers after the first pre-activation
  double q1 = 1.0;           // variance of layer 1's pre-activations
  double c0 = 0.5;           // their correlation between the two inputs
  int networks = 1;          // independent networks averaged
  std::uint64_t seed = 1;
};

// Element l: the correlation <h1, h2> / (|h1| |h2|) of the two inputs' pre-activations in layer
// l + 1, averaged over the networks (element 0 is the drawn input's, close to c0).
std::vector<double> measureCorrelationOverDepth(const Activation& phi, const MeanFieldInit& init,
                                                const CorrelationMeasurement& how);

}  // namespace layerscope
