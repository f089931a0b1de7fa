// Findings: plain-words diagnoses of one measured StatsSnapshot, each naming its layers and
// carrying its number, e.g. "layers 1-10: 90% of tanh activations saturated at ±1 ...".
// Consecutive hidden layers with the same problem are reported once, as a range. Every finding
// states only what the snapshot (and the context, when given) measures: nothing about how
// training will go. Thresholds:
//   saturation (tanh, sigmoid): saturatedFraction >= 50%
//   dead ReLU units: deadUnitFraction >= 10%
//   rank collapse: effective rank < 5% of min(units, samples - 1) (when that is >= 20)
//   collapse / growth: std of the last hidden layer / std of the first <= 1/10 / >= 10, with the
//     mean factor per layer (last / first)^(1 / (depth - 1))
//   vanishing / exploding gradients: dL/da std of the first hidden layer / of the last <= 1/10 /
//     >= 10 (towards the input), with the factor per layer; they are one finding, never both
//   steps too large (sgd, momentum, nesterov): lr * std(dL/dW) / std(W) >= 0.5 in some layer
//   gradient noise: gradient SNR <= 1.1 / N over N probe samples (the value of N gradients with
//     nothing in common), when N >= the training batch size; below 1 / N in every layer of a
//     run, said as gradients that cancel (as near a stationary point of the loss)
//   unbroken symmetry: zeros / constant initialization, or a hidden layer with std exactly 0
//   divergence: any layer with NaN or infinite activations
//   memorization (needs the context): validation accuracy within the noise of chance (the
//     majority-class rate of the validation split) while training accuracy has risen >= 20
//     points since the first probe and is >= 20 points above chance
// An empty list means nothing looks wrong. The mean-field prediction itself is analysis/theory.h.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "config.h"
#include "data/dataset.h"
#include "training/stats.h"

namespace layerscope {

// What one snapshot cannot tell: the run's validation split and where training accuracy began.
struct FindingsContext {
  double validationChance = std::numeric_limits<double>::quiet_NaN();  // majority-class rate
  int validationSamples = 0;
  // Probe (training-data) accuracy of the run's first snapshot, normally step 0.
  double firstTrainAccuracy = std::numeric_limits<double>::quiet_NaN();
};

// The probe batch's samples behind a snapshot: its input layer's histogram counts every sample's
// features once (0 without an input layer or its histogram, e.g. a hand-made snapshot).
int probeSamples(const StatsSnapshot& snapshot);

// The accuracy of always answering the most frequent class of `split`: chance for that split
// (NaN for an empty split).
double majorityClassRate(const Dataset& split);

// Plain-words warnings about measured statistics, each with its number: saturation, collapse,
// growth, dead ReLU units, rank collapse, gradient noise, vanishing or exploding gradients, steps
// too large, unbroken symmetry, NaN, and with a context, memorization.
// Throws InputError for an unknown config.model.activation when the snapshot has hidden layers.
std::vector<std::string> findings(const StatsSnapshot& snapshot, const ExperimentConfig& config,
                                  const FindingsContext& context = {});

}  // namespace layerscope
