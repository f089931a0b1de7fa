// Signal-propagation theory: the statistics each layer of a freshly initialized network should
// have, drawn next to the measured ones, and where that prediction does not apply. Diagnosing
// measured statistics in plain words is analysis/findings.h.
//
// Mean-field recursion (Poole et al. 2016, "Exponential expressivity in deep neural networks
// through transient chaos"; Schoenholz et al. 2017, "Deep information propagation"): with zero
// biases and sigma_w^2 = fan_in * Var(W), a unit's pre-activation is a sum of many independent
// terms, so it is Gaussian over samples and weight draws, z ~ N(0, q_l), with
//   q_1 = sigma_w,1^2 * E[x^2]                      (E[x^2]: mean square of the input features)
//   q_l = sigma_w,l^2 * E[phi(z)^2],  z ~ N(0, q_{l-1})
// and the layer's activation mean and std are the moments of phi(z). The expectations are
// numerical quadratures, so every activation works, kinks included. The infinite-depth limit of
// the same maps (the phase diagram) is analysis/mean_field.h; the formulas are docs/THEORY.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config.h"
#include "tensor.h"

namespace layerscope {

// E[f(z)], z ~ N(0, variance), by composite 20-point Gauss-Legendre quadrature of
// f(sqrt(q) u) phi(u) over u in [-12, 12], with breakpoints at u = 0 and at z = +-2^k (k = -2..5).
// Why not plain Gauss-Hermite: its nodes are ~0.2 standard deviations apart near 0, so with 64
// points ReLU's mean comes out 0.6% high (the kink at 0 falls between nodes), and for a saturated
// tanh (q = 500, the article's N(0, 1) layer 1) the ~1-wide transition around 0 is missed:
// E[tanh^2] = 0.9998 instead of 0.964. The breakpoints put nodes where the activations bend,
// whatever q is. Exact to ~1e-12 for polynomials.
double gaussianExpectation(const std::function<double(double)>& f, double variance);

// The quadrature behind gaussianExpectation: points z_k and weights w_k with
// sum_k w_k f(z_k) ~= E[f(z)], z ~ N(0, variance) (variance <= 0: the one point 0). For callers
// that need several expectations on the same points (analysis/mean_field.cpp).
struct GaussianRule {
  std::vector<double> z, w;
};
GaussianRule gaussianRule(double variance);

struct LayerPrediction {
  int layer = 0;                  // 0 input, 1..depth hidden, depth+1 logits (docs/ARCHITECTURE.md)
  double mean = 0.0;              // of the layer's output (post-activation)
  double std = 0.0;               // population std of the output over units and samples
  double preActivationStd = 0.0;  // sqrt(q_l); after batch norm when present
};

struct SignalPropagationOptions {
  // Batch norm normalizes with batch statistics (training mode, or the probe in training mode):
  // every pre-activation then has mean 0, variance 1 (gamma = 1, beta = 0 at initialization).
  // Otherwise (evaluation mode at step 0) its running statistics are mean 0, variance 1 and it
  // is the identity.
  bool batchNormUsesBatchStatistics = false;
  // Inverted dropout is active in the forward pass (probe in training mode): a kept activation
  // is scaled by 1 / (1 - p), so the next layer sees E[a^2] / (1 - p). The measured statistics of
  // a layer are taken before its dropout, so only the next layer changes.
  bool dropoutActive = false;
  // > 0: also predict the output layer (logits, linear) with this many classes.
  int outputUnits = 0;
};

// One entry per layer: index 0 is the input (mean 0, std sqrt(inputMeanSquare): the theory
// only sees the second moment), 1..depth the hidden layers, then the logits when asked for.
// zeros / constant initialization: every unit of a layer is the same function of
// s = sum of the inputs; the prediction follows that one function (std 0 for zeros).
// Throws InputError for an unknown activation or initializer.
std::vector<LayerPrediction> predictSignalPropagation(const ModelConfig& model, int inputFeatures,
                                                      double inputMeanSquare,
                                                      const SignalPropagationOptions& options = {});

// The prediction for an experiment, from its preprocessed probe inputs (features, samples): the
// probe mode of the config decides batch norm and dropout.
std::vector<LayerPrediction> predictSignalPropagation(const ExperimentConfig& config,
                                                      const Matrix& probeInputs, int classes);

// Where the theory does not describe the measured statistics of this experiment at this step,
// in plain words; "" when it holds.
std::string theoryCaveat(const ExperimentConfig& config, long step);

}  // namespace layerscope
