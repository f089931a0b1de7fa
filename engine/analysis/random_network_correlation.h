// The measured side of the phase diagram (docs/THEORY.md): finite-width random networks with
// the given weight and bias variances, two inputs pushed through them, and the correlation of
// their pre-activations layer by layer, to set beside analysis/mean_field.h's prediction.
//
// The network's own classes (model/network.h) start every bias at 0, so they cannot draw
// sigma_b^2 > 0: these are plain Eigen layers, h_{l+1} = W phi(h_l) + b with
// W_ij ~ N(0, sigma_w^2 / width), b_i ~ N(0, sigma_b^2), the activation from model/activation.h
// and inverted dropout (a kept unit scaled by 1 / rho, each input its own mask).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
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

// The measured overlay of a phase diagram (docs/THEORY.md, "The measured overlay"): at a few
// grid points, the correlation of two inputs after `depth` layers of random networks beside the
// mean-field map's. `layerscope-cli phase` and Compare > Phase diagram draw the same points.
struct PhaseOverlay {
  int points = 5;                  // sigma_w^2 values measured, spread over the axis
  int depth = 20;                  // layers the two inputs pass through
  double inputCorrelation = 0.5;   // their correlation in layer 1
  int width = 500;                 // units of the measured networks
  std::uint64_t seed = 1;
};

// One grid point measured on random networks.
struct PhaseMeasurement {
  std::size_t index = 0;  // into the phaseDiagram points
  double q1 = 1.0;        // layer 1's pre-activation variance (q* when finite and > 0)
  double theory = 0.0;    // correlation after `depth` layers, mean-field map
  double measured = 0.0;  // the same, measured
};

// The grid points measured: `count` sigma_w^2 values spread evenly over the axis (its ends
// included), in the middle row of sigma_b^2; phaseDiagram's indices (sigma_w^2 outer).
std::vector<std::size_t> phaseOverlayIndices(const GridAxis& sigmaW2, const GridAxis& sigmaB2,
                                             int count);

// The overlay of `points` (phaseDiagram(phi, sigmaW2, sigmaB2, keepProbability)). `cancelled`,
// when given, is polled between grid points (what is measured by then is returned).
std::vector<PhaseMeasurement> measurePhaseOverlay(const Activation& phi,
                                                  const std::vector<PhasePoint>& points,
                                                  const GridAxis& sigmaW2, const GridAxis& sigmaB2,
                                                  double keepProbability, const PhaseOverlay& how,
                                                  const std::function<bool()>& cancelled = {});

}  // namespace layerscope
