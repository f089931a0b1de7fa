#include "analysis/sharpness.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "model/loss.h"
#include "rng.h"

namespace layerscope {

namespace {

// Random stream of the power iteration's starting vector (rng.h: streams are independent).
constexpr std::uint64_t kStreamSharpness = 0x5348415250ull;  // "SHARP"

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Power iteration on A v = H v - shift v: returns the Rayleigh quotient of H (shift added back)
// when the relative change of successive estimates falls below the tolerance, or after
// maxIterations products.
SharpnessResult powerIteration(LossHessian& hessian, const SharpnessOptions& options,
                               double shift) {
  SharpnessResult result;
  Rng rng = Rng::derived(options.seed, kStreamSharpness);
  Eigen::VectorXd v(hessian.size());
  for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = rng.normal();
  v.normalize();
  double previous = std::numeric_limits<double>::quiet_NaN();
  for (int k = 1; k <= std::max(1, options.maxIterations); ++k) {
    const Eigen::VectorXd hv = hessian.product(v) - shift * v;
    const double lambda = v.dot(hv);  // Rayleigh quotient of the shifted matrix, |v| = 1
    result.iterations = k;
    result.sharpness = lambda + shift;
    const double norm = hv.norm();
    if (!(norm > 0.0) || !std::isfinite(norm)) break;  // H v = 0 (or not finite): v is its own answer
    if (std::isfinite(previous) &&
        std::abs(lambda - previous) <= options.tolerance * std::abs(lambda)) {
      result.converged = true;
      break;
    }
    previous = lambda;
    v = hv / norm;
  }
  return result;
}

}  // namespace

LossHessian::LossHessian(Network& network, const Matrix& x, const std::vector<int>& labels,
                         double l2, double l1, double relativeStep)
    : network_(network), x_(x), labels_(labels), l2_(l2), l1_(l1), relativeStep_(relativeStep),
      savedParameters_(network.parameters()), savedGradients_(network.parameterGradients()),
      savedDropout_(network.model().dropout) {
  if (network_.hasDropout()) network_.setDropout(0.0);
  theta_ = savedParameters_.cast<double>();
}

LossHessian::~LossHessian() {
  network_.parameters() = savedParameters_;
  network_.parameterGradients() = savedGradients_;
  if (network_.hasDropout()) network_.setDropout(savedDropout_);
}

double LossHessian::lossAndGradient(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
  work_ = theta.cast<Scalar>();
  network_.parameters() = work_;
  network_.input() = x_;
  // Probing: batch statistics in batch norm as the training step uses, no running average
  // updated; dropout is off (constructor).
  const Matrix& logits = network_.forward(Phase::Probing);
  const LossResult loss =
      softmaxCrossEntropy(logits, labels_.data(), probabilities_, &gradLogits_);
  network_.backward(gradLogits_);
  network_.addRegularizationGradient(l2_, l1_);  // + 2 l2 W + l1 sign(W), as trainStep adds
  gradient = network_.parameterGradients().cast<double>();
  return loss.loss + network_.regularizationLoss(l2_, l1_);
}

Eigen::VectorXd LossHessian::product(const Eigen::VectorXd& v) {
  const double vNorm = v.norm();
  if (!(vNorm > 0.0)) return Eigen::VectorXd::Zero(v.size());
  // r along the unit direction v / |v|, relative to the parameters' scale (sharpness.h).
  const double r = relativeStep_ * std::max(1.0, theta_.norm());
  const Eigen::VectorXd step = (r / vNorm) * v;
  Eigen::VectorXd plus, minus;
  lossAndGradient(theta_ + step, plus);
  lossAndGradient(theta_ - step, minus);
  return (plus - minus) * (vNorm / (2.0 * r));
}

SharpnessResult sharpness(LossHessian& hessian, const SharpnessOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  SharpnessResult result = powerIteration(hessian, options, 0.0);
  if (result.sharpness < 0.0) {
    // The largest eigenvalue in magnitude is negative: every eigenvalue of H - mu I is >= 0,
    // and its largest is lambda_max - mu.
    const SharpnessResult shifted = powerIteration(hessian, options, result.sharpness);
    result.sharpness = shifted.sharpness;
    result.iterations += shifted.iterations;
    result.converged = shifted.converged;
  }
  result.seconds = secondsSince(start);
  return result;
}

SharpnessResult sharpness(Network& network, const Matrix& x, const std::vector<int>& labels,
                          double l2, double l1, const SharpnessOptions& options) {
  LossHessian hessian(network, x, labels, l2, l1, options.relativeStep);
  return sharpness(hessian, options);
}

SharpnessResult sharpness(Trainer& trainer, const SharpnessOptions& options) {
  const TrainConfig& train = trainer.config().train;
  const Dataset& data = trainer.data().train;
  const bool fullBatch = train.batchSize >= data.samples();
  const Matrix& x = fullBatch ? data.x : trainer.probeInputs();
  const std::vector<int>& y = fullBatch ? data.y : trainer.probeLabels();
  return sharpness(trainer.network(), x, y, train.l2, train.l1, options);
}

double edgeOfStability(const TrainConfig& train) {
  const double lr = train.learningRate, beta = train.momentum;
  if (train.optimizer == "sgd") return 2.0 / lr;
  if (train.optimizer == "momentum") return (2.0 + 2.0 * beta) / lr;
  if (train.optimizer == "nesterov") return (2.0 + 2.0 * beta) / ((1.0 + 2.0 * beta) * lr);
  return std::numeric_limits<double>::quiet_NaN();  // adam: see sharpness.h
}

}  // namespace layerscope
