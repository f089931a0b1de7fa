// The input-output Jacobian of a network and its singular values: dynamical isometry
// (Saxe et al. 2014; Pennington, Schoenholz & Ganguli 2017; docs/THEORY.md).
//
// The map studied is x (the network input, after preprocessing) -> a_L (the last hidden layer's
// post-activation output), at one input sample:
//   J = D_L S_L W_L ... D_1 S_1 W_1,   D_l = diag(phi'(h_l)),   S_l = diag(gamma / sqrt(var + eps))
// h_l the pre-activation (after batch norm) of hidden layer l, S_l batch norm in evaluation mode
// (a per-unit scale; the identity without batch norm), dropout off. This is the width x width map
// the dynamical-isometry papers study: the output layer (classes x width, no activation) is left
// out because it is a different shape and does not repeat with depth. With inputs != width, J is
// (width_L, inputs) and has min of the two singular values.
//
// Everything is computed in double from the network's parameters (a forward pass in evaluation
// mode of its own, so the network's state and its buffers are untouched).
//
// Theory: with sigma_w^2 = fan_in Var(W), the mean squared singular value is, in the mean field,
//   E[sigma^2] = prod_l chi_l,   chi_l = sigma_w^2 E[phi'(sqrt(q_l) z)^2]
// with q_l the length map from the input's mean square (analysis/mean_field.h); at the fixed
// point q* every chi_l is chi_1 and the prediction is chi_1^L. A deep linear network with
// orthogonal weights has every singular value exactly sigma_w^L (1 for sigma_w^2 = 1).
#pragma once

#include <functional>
#include <vector>

#include <Eigen/Core>

#include "model/activation.h"
#include "tensor.h"

namespace layerscope {

class Network;

// Where singular values count as "near one" (isometric): [0.5, 2].
inline constexpr double kIsometryLow = 0.5, kIsometryHigh = 2.0;

struct JacobianSpectrum {
  std::vector<double> singularValues;  // descending
  double meanSquared = 0.0;            // mean of sigma^2 = ||J||_F^2 / count
};

struct JacobianSummary {
  int samples = 0;
  int count = 0;              // singular values per sample
  double meanSquared = 0.0;   // mean of sigma^2 over every sample's spectrum
  double max = 0.0, min = 0.0;  // over every sample
  double fractionNearOne = 0.0;  // of all singular values within [kIsometryLow, kIsometryHigh]
};

struct JacobianResult {
  std::vector<JacobianSpectrum> spectra;  // one per sample, in input order
  JacobianSummary summary;
};

// One hidden layer l (1..depth, docs/ARCHITECTURE.md numbering) at one sample: D_l S_l W_l,
// (width_l, width_{l-1}). `preActivation` is h_l at that sample (after batch norm).
Eigen::MatrixXd layerJacobian(const Network& network, int layer,
                              const Eigen::VectorXd& preActivation);

// h_1 .. h_L of one sample (input, after preprocessing) in evaluation mode, in double.
std::vector<Eigen::VectorXd> preActivations(const Network& network, const Eigen::VectorXd& input);

// a_L, the last hidden layer's output at one sample, in double (the map J differentiates).
Eigen::VectorXd lastHiddenOutput(const Network& network, const Eigen::VectorXd& input);

// J of one sample: (width_L, inputs). A network without hidden layers has no such map: InputError.
Eigen::MatrixXd inputOutputJacobian(const Network& network, const Eigen::VectorXd& input);

// The product of per-layer Jacobians given as matrices, last layer last: M_L ... M_1.
// With M_l = W_l (D = I) it is the linear network's Jacobian.
Eigen::MatrixXd jacobianProduct(const std::vector<Eigen::MatrixXd>& layers);

// Singular values of any matrix, descending (Eigen's BDCSVD, values only).
std::vector<double> singularValues(const Eigen::MatrixXd& jacobian);

// Spectra of the first `maxSamples` columns of `inputs` (features, samples) and their summary.
// `cancelled`, when given, is polled between samples (an empty result is then returned).
JacobianResult jacobianSpectra(const Network& network, const Matrix& inputs, int maxSamples = 16,
                               const std::function<bool()>& cancelled = {});

JacobianSummary summarize(const std::vector<JacobianSpectrum>& spectra);

// The mean-field mean squared singular value after `depth` layers: prod_l chi_l, q_1 =
// sigma_w^2 q0 + sigma_b^2 from the input's mean square q0, then the length map.
double predictedMeanSquaredSingularValue(const Activation& phi, double sigmaW2, double sigmaB2,
                                         double inputMeanSquare, int depth);

}  // namespace layerscope
