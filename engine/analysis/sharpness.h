// Sharpness: the largest eigenvalue of the Hessian of the training loss with respect to all
// parameters, and the edge-of-stability threshold it is compared with (Cohen, Kaur, Li, Kolter,
// Talwalkar 2021, "Gradient descent on neural networks typically occurs at the edge of
// stability", ICLR). Formulas and what is measured: docs/THEORY.md, "Sharpness".
//
//   L(theta)  = mean cross-entropy on a fixed batch + l2 sum W^2 + l1 sum |W|
//               (the loss the optimizer descends: trainer.cpp adds the same L2 / L1 gradient)
//   H v       ~ (grad L(theta + r v) - grad L(theta - r v)) / (2 r),  |v| = 1,
//               r = kHessianStep * max(1, |theta|)
//   sharpness = lambda_max(H), by power iteration on H v from a seeded random v
//   threshold = 2 / lr (sgd), (2 + 2 beta) / lr (heavy-ball momentum),
//               (2 + 2 beta) / ((1 + 2 beta) lr) (nesterov); none on H for adam
//   adam      : the preconditioned sharpness lambda_max(P^-1 H), P = (1 - beta1^t)
//               diag(sqrt(v_hat) + eps), against (2 + 2 beta1) / ((1 - beta1) lr) = 38 / lr for
//               beta1 = 0.9 (Cohen et al. 2022, "Adaptive gradient methods at the edge of
//               stability")
#pragma once

#include <cstdint>
#include <vector>

#include "model/network.h"
#include "tensor.h"
#include "training/optimizer.h"
#include "training/trainer.h"

namespace layerscope {

// The central difference's step, relative to the parameters' norm. The gradients are float
// (relative rounding ~1e-7): the truncation error grows as r^2 (third derivatives), the
// rounding error as 1e-7 |grad| / r, so r is about the cube root of float's epsilon times the
// parameters' scale, made smaller since the loss's third derivatives are large next to its
// curvature in saturated units. With 1e-3, lambda_max of the tiny nets of
// tests/engine/analysis/test_sharpness.cpp is within 2e-5 (relative) of the exact Hessian's.
constexpr double kHessianStep = 1e-3;

struct SharpnessOptions {
  int maxIterations = 100;
  double tolerance = 1e-3;  // stop when |lambda_k - lambda_{k-1}| <= tolerance |lambda_k|
  std::uint64_t seed = 1;   // of the starting vector
  double relativeStep = kHessianStep;
};

struct SharpnessResult {
  double sharpness = 0.0;  // lambda_max(H), the largest (algebraic) eigenvalue
  int iterations = 0;      // Hessian-vector products used (each = 2 forward + 2 backward)
  double seconds = 0.0;
  bool converged = false;  // the relative change fell below the tolerance
};

// The Hessian of the training loss of `network` on a fixed batch, as a product H v. Changes no
// state the network keeps between calls: the parameters and their gradients are restored on
// destruction, batch norm runs on the batch's statistics without touching its running averages
// (Phase::Probing, as the training step's forward normalizes), and dropout is switched off
// meanwhile (the deterministic loss; a fresh mask per gradient would make H v noise).
class LossHessian {
 public:
  LossHessian(Network& network, const Matrix& x, const std::vector<int>& labels, double l2,
              double l1, double relativeStep = kHessianStep);
  ~LossHessian();
  LossHessian(const LossHessian&) = delete;
  LossHessian& operator=(const LossHessian&) = delete;

  Eigen::Index size() const { return theta_.size(); }
  const Eigen::VectorXd& parameters() const { return theta_; }
  // The loss and its gradient at `theta` (any parameters of this network).
  double lossAndGradient(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient);
  // H v at the network's parameters, by the central difference above (v need not be unit).
  Eigen::VectorXd product(const Eigen::VectorXd& v);

 private:
  Network& network_;
  const Matrix& x_;
  const std::vector<int>& labels_;
  double l2_, l1_, relativeStep_;
  Vector savedParameters_, savedGradients_;
  double savedDropout_;
  Eigen::VectorXd theta_;
  Vector work_;
  Matrix probabilities_, gradLogits_;
};

// lambda_max of the Hessian by power iteration on H v. Power iteration finds the eigenvalue of
// largest magnitude; when that one is negative, a second run on H - mu I (mu that eigenvalue,
// so every eigenvalue of the shifted matrix is >= 0) finds lambda_max - mu.
SharpnessResult sharpness(LossHessian& hessian, const SharpnessOptions& options = {});
SharpnessResult sharpness(Network& network, const Matrix& x, const std::vector<int>& labels,
                          double l2, double l1, const SharpnessOptions& options = {});

// The sharpness of a run now, on the batch its loss is descended on: the whole training split
// for full-batch training (batch size >= training samples), else the fixed probe batch.
SharpnessResult sharpness(Trainer& trainer, const SharpnessOptions& options = {});

// lambda_max(P^-1 H) for a positive diagonal preconditioner P (`preconditioner` its diagonal),
// by power iteration on the symmetric P^-1/2 H P^-1/2 (the same eigenvalues).
SharpnessResult preconditionedSharpness(LossHessian& hessian, const Eigen::VectorXd& preconditioner,
                                        const SharpnessOptions& options = {});
// Adam's P after state.steps = t steps: (1 - beta1^t) (sqrt(v / (1 - beta2^t)) + eps), so that
// its update is lr P^-1 m (optimizer.cpp). InputError for another optimizer or t = 0.
Eigen::VectorXd adamPreconditioner(const OptimizerState& state, const TrainConfig& train);
// The preconditioned sharpness of an Adam run now, on the batch its loss is descended on.
SharpnessResult preconditionedSharpness(Trainer& trainer, const SharpnessOptions& options = {});
// Where Adam's preconditioned sharpness is stable: on a quadratic in P^1/2-whitened coordinates
// Adam is heavy-ball momentum with an EMA of the gradient, i.e. step lr (1 - beta1) and momentum
// beta1, stable while lambda < (2 + 2 beta1) / ((1 - beta1) lr) (38 / lr for beta1 = 0.9).
double adamEdgeOfStability(const TrainConfig& train);

// The largest sharpness at which the optimizer is stable on a quadratic with that curvature:
// 2 / lr for sgd, (2 + 2 beta) / lr for heavy-ball momentum (torch's momentum, beta =
// momentum), (2 + 2 beta) / ((1 + 2 beta) lr) for nesterov. NaN for adam: its step is
// preconditioned, so what sits at its edge is not H's top eigenvalue but P^-1 H's
// (preconditionedSharpness, adamEdgeOfStability).
double edgeOfStability(const TrainConfig& train);

}  // namespace layerscope
