#include "analysis/sharpness.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>

#include "errors.h"
#include "model/loss.h"
#include "rng.h"

namespace layerscope {

namespace {

// Random stream of the power iteration's starting vector (rng.h: streams are independent).
constexpr std::uint64_t kStreamSharpness = 0x5348415250ull;  // "SHARP"

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A symmetric matrix as a product: H v, or the preconditioned D H D v.
using Product = std::function<Eigen::VectorXd(const Eigen::VectorXd&)>;

// Power iteration on A v = M v - shift v: returns the Rayleigh quotient of M (shift added back)
// when the relative change of successive estimates falls below the tolerance, or after
// maxIterations products.
SharpnessResult powerIteration(const Product& product, Eigen::Index size,
                               const SharpnessOptions& options, double shift) {
  SharpnessResult result;
  Rng rng = Rng::derived(options.seed, kStreamSharpness);
  Eigen::VectorXd v(size);
  for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = rng.normal();
  v.normalize();
  double previous = std::numeric_limits<double>::quiet_NaN();
  for (int k = 1; k <= std::max(1, options.maxIterations); ++k) {
    const Eigen::VectorXd hv = product(v) - shift * v;
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

// lambda_max of the symmetric matrix `product` is: a second run on M - mu I when the eigenvalue
// of largest magnitude mu is negative (every eigenvalue of the shifted matrix is then >= 0).
SharpnessResult largestEigenvalue(const Product& product, Eigen::Index size,
                                  const SharpnessOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  SharpnessResult result = powerIteration(product, size, options, 0.0);
  if (result.sharpness < 0.0) {
    const SharpnessResult shifted = powerIteration(product, size, options, result.sharpness);
    result.sharpness = shifted.sharpness;
    result.iterations += shifted.iterations;
    result.converged = shifted.converged;
  }
  result.seconds = secondsSince(start);
  return result;
}

// The batch a run's loss is descended on: the whole training split for full-batch training,
// else the fixed probe batch.
struct DescendedBatch {
  const Matrix& x;
  const std::vector<int>& y;
};
DescendedBatch descendedBatch(Trainer& trainer) {
  const TrainConfig& train = trainer.config().train;
  const Dataset& data = trainer.data().train;
  if (train.batchSize >= data.samples()) return {data.x, data.y};
  return {trainer.probeInputs(), trainer.probeLabels()};
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
  return largestEigenvalue([&hessian](const Eigen::VectorXd& v) { return hessian.product(v); },
                           hessian.size(), options);
}

SharpnessResult preconditionedSharpness(LossHessian& hessian, const Eigen::VectorXd& preconditioner,
                                        const SharpnessOptions& options) {
  // P^-1 H = P^-1/2 (P^-1/2 H P^-1/2) P^1/2: the same eigenvalues as the symmetric D H D with
  // D = P^-1/2, whose products power iteration can use.
  const Eigen::VectorXd d = preconditioner.cwiseSqrt().cwiseInverse();
  return largestEigenvalue(
      [&hessian, &d](const Eigen::VectorXd& v) {
        return Eigen::VectorXd(d.cwiseProduct(hessian.product(d.cwiseProduct(v))));
      },
      hessian.size(), options);
}

Eigen::VectorXd adamPreconditioner(const OptimizerState& state, const TrainConfig& train) {
  if (state.kind != "adam" || state.buffers.size() != 2 || state.steps < 1)
    throw InputError("the preconditioned sharpness needs Adam's state after at least one step");
  const double t = double(state.steps);
  const double bias1 = 1.0 - std::pow(train.beta1, t);
  const double bias2 = std::sqrt(1.0 - std::pow(train.beta2, t));
  // As optimizer.cpp's Adam step: denominator sqrt(v) / sqrt(1 - beta2^t) + eps.
  return bias1 * ((state.buffers[1].cast<double>().array().sqrt() / bias2) + train.epsilon).matrix();
}

SharpnessResult preconditionedSharpness(Trainer& trainer, const SharpnessOptions& options) {
  const TrainConfig& train = trainer.config().train;
  const Eigen::VectorXd p = adamPreconditioner(trainer.keyframe().optimizer, train);
  const DescendedBatch batch = descendedBatch(trainer);
  LossHessian hessian(trainer.network(), batch.x, batch.y, train.l2, train.l1, options.relativeStep);
  return preconditionedSharpness(hessian, p, options);
}

double adamEdgeOfStability(const TrainConfig& train) {
  return (2.0 + 2.0 * train.beta1) / ((1.0 - train.beta1) * train.learningRate);
}

SharpnessResult sharpness(Network& network, const Matrix& x, const std::vector<int>& labels,
                          double l2, double l1, const SharpnessOptions& options) {
  LossHessian hessian(network, x, labels, l2, l1, options.relativeStep);
  return sharpness(hessian, options);
}

SharpnessResult sharpness(Trainer& trainer, const SharpnessOptions& options) {
  const TrainConfig& train = trainer.config().train;
  const DescendedBatch batch = descendedBatch(trainer);
  return sharpness(trainer.network(), batch.x, batch.y, train.l2, train.l1, options);
}

double edgeOfStability(const TrainConfig& train) {
  const double lr = train.learningRate, beta = train.momentum;
  if (train.optimizer == "sgd") return 2.0 / lr;
  if (train.optimizer == "momentum") return (2.0 + 2.0 * beta) / lr;
  if (train.optimizer == "nesterov") return (2.0 + 2.0 * beta) / ((1.0 + 2.0 * beta) * lr);
  return std::numeric_limits<double>::quiet_NaN();  // adam: see sharpness.h
}

}  // namespace layerscope
