// Findings: plain-words diagnoses of one measured StatsSnapshot, each naming its layers and
// carrying its number, e.g. "layers 1-10: 97% of tanh activations saturated at ±1 ...".
// Consecutive hidden layers with the same problem are reported once, as a range. Thresholds:
//   saturation (tanh, sigmoid): saturatedFraction >= 50%
//   dead ReLU units: deadUnitFraction >= 10%
//   collapse / growth: log10(std of the first hidden layer / std of the last) >= 2 / <= -2
//   vanishing / exploding gradients: gradientStd of the first hidden layer / of the last
//     < 1e-3 / > 1e3
//   unbroken symmetry: zeros / constant initialization, or a hidden layer with std exactly 0
//   divergence: any layer with NaN or infinite activations
// An empty list means nothing looks wrong. The mean-field prediction itself is analysis/theory.h.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "training/stats.h"

namespace layerscope {

// Plain-words warnings about measured statistics, each with its number: saturation, collapse,
// growth, dead ReLU units, vanishing or exploding gradients, unbroken symmetry, NaN.
// Throws InputError for an unknown config.model.activation when the snapshot has hidden layers.
std::vector<std::string> findings(const StatsSnapshot& snapshot, const ExperimentConfig& config);

}  // namespace layerscope
