// The sharpness estimate (analysis/sharpness.h) against references that share none of its code:
// the training loss of a tiny network written out in double precision here, its Hessian by
// second differences of that loss, and Eigen's symmetric eigensolver; and the closed-form
// Hessian of a linear softmax model.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <Eigen/Eigenvalues>

#include "analysis/sharpness.h"
#include "errors.h"
#include "model/network.h"
#include "rng.h"
#include "training/optimizer.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

struct TinyProblem {
  Matrix x;
  std::vector<int> y;
};

TinyProblem tinyData(int samples, std::uint64_t seed) {
  Rng rng(seed);
  TinyProblem p;
  p.x.resize(2, samples);
  p.y.resize(samples);
  for (int j = 0; j < samples; ++j) {
    p.x(0, j) = Scalar(rng.normal());
    p.x(1, j) = Scalar(rng.normal());
    p.y[j] = (p.x(0, j) * p.x(1, j) > 0) ? 1 : 0;  // xor-like: curvature in every layer
  }
  return p;
}

ModelConfig tinyModel(std::vector<int> widths) {
  ModelConfig m;
  m.widths = std::move(widths);
  m.depth = static_cast<int>(m.widths.size());
  m.activation = "tanh";
  m.init = "normal";
  m.initStd = 0.8;  // large enough that tanh bends: a Hessian far from the Gauss-Newton one
  return m;
}

// The network's training loss in double: dense layers (W, b from their blocks, column-major)
// with tanh between them, mean softmax cross-entropy, + l2 sum W^2.
double referenceLoss(const Network& net, const Eigen::VectorXd& theta, const TinyProblem& data,
                     double l2) {
  std::vector<Eigen::MatrixXd> w;
  std::vector<Eigen::VectorXd> b;
  double regularization = 0.0;
  for (const auto& block : net.parameterBlocks()) {
    const Eigen::VectorXd values = theta.segment(block.info.offset, block.info.rows * block.info.cols);
    if (block.info.name == "W") {
      w.push_back(Eigen::Map<const Eigen::MatrixXd>(values.data(), block.info.rows, block.info.cols));
      regularization += l2 * values.squaredNorm();
    } else {
      b.push_back(values);
    }
  }
  double loss = 0.0;
  for (int j = 0; j < data.x.cols(); ++j) {
    Eigen::VectorXd h = data.x.col(j).cast<double>();
    for (size_t l = 0; l < w.size(); ++l) {
      h = w[l] * h + b[l];
      if (l + 1 < w.size()) h = h.array().tanh().matrix();
    }
    const double m = h.maxCoeff();
    const double logSum = m + std::log((h.array() - m).exp().sum());
    loss += logSum - h[data.y[j]];
  }
  return loss / double(data.x.cols()) + regularization;
}

// Second differences of the double-precision loss: H_ij ~ (L(++) - L(+-) - L(-+) + L(--)) / 4h^2.
Eigen::MatrixXd referenceHessian(const Network& net, const TinyProblem& data, double l2) {
  const Eigen::VectorXd theta = net.parameters().cast<double>();
  const Eigen::Index n = theta.size();
  const double h = 1e-4;
  Eigen::MatrixXd hessian(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index k = i; k < n; ++k) {
      auto at = [&](double si, double sk) {
        Eigen::VectorXd t = theta;
        t[i] += si * h;
        t[k] += sk * h;
        return referenceLoss(net, t, data, l2);
      };
      hessian(i, k) = hessian(k, i) = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
    }
  return hessian;
}

double largestEigenvalue(const Eigen::MatrixXd& symmetric) {
  return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(symmetric).eigenvalues().maxCoeff();
}

SharpnessOptions tight() {
  SharpnessOptions o;
  o.maxIterations = 2000;
  o.tolerance = 1e-7;
  return o;
}

TEST(Sharpness, HessianVectorProductMatchesSecondDifferencesOfTheLoss) {
  Network net(2, 2, tinyModel({3}), 7);
  const TinyProblem data = tinyData(12, 3);
  const double l2 = 0.01;
  const Eigen::MatrixXd reference = referenceHessian(net, data, l2);
  LossHessian hessian(net, data.x, data.y, l2, 0.0);
  Rng rng(11);
  for (int trial = 0; trial < 3; ++trial) {
    Eigen::VectorXd v(hessian.size());
    for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = rng.normal();
    const Eigen::VectorXd expected = reference * v;
    const Eigen::VectorXd measured = hessian.product(v);
    EXPECT_LT((measured - expected).norm(), 1e-3 * expected.norm()) << "trial " << trial;
  }
}

TEST(Sharpness, PowerIterationFindsTheLargestEigenvalueOfTheFullHessian) {
  for (std::uint64_t seed : {7u, 8u, 9u}) {
    Network net(2, 2, tinyModel({3}), seed);
    const TinyProblem data = tinyData(10, seed + 100);
    const double l2 = 0.005;
    const double expected = largestEigenvalue(referenceHessian(net, data, l2));
    const SharpnessResult result = sharpness(net, data.x, data.y, l2, 0.0, tight());
    EXPECT_NEAR(result.sharpness, expected, 1e-3 * std::abs(expected)) << "seed " << seed;
    EXPECT_GT(result.iterations, 1);
    EXPECT_GE(result.seconds, 0.0);
  }
}

// A linear softmax model (no hidden layer), logits = W x + b: the Hessian of the mean
// cross-entropy is (1/N) sum_n (diag(p_n) - p_n p_n^T) (x) (x~_n x~_n^T), x~ = (x, 1), laid out
// in the network's order (W column-major, then b).
TEST(Sharpness, LinearSoftmaxMatchesTheClosedFormHessian) {
  ModelConfig linear = tinyModel({});
  linear.depth = 0;
  const int classes = 3;
  Network net(2, classes, linear, 5);
  TinyProblem data = tinyData(16, 21);
  for (int j = 0; j < 16; ++j) data.y[j] = j % classes;
  const Eigen::Index n = net.parameters().size();
  ASSERT_EQ(n, classes * 2 + classes);
  const Eigen::VectorXd theta = net.parameters().cast<double>();
  const Eigen::MatrixXd w = Eigen::Map<const Eigen::MatrixXd>(theta.data(), classes, 2);
  const Eigen::VectorXd b = theta.tail(classes);
  Eigen::MatrixXd hessian = Eigen::MatrixXd::Zero(n, n);
  // index of W(k, d) is d * classes + k; of b(k) is 2 * classes + k: feature d = 2 is the bias.
  auto index = [&](int k, int d) { return d * classes + k; };
  for (int j = 0; j < 16; ++j) {
    const Eigen::Vector2d x = data.x.col(j).cast<double>();
    Eigen::VectorXd logits = w * x + b;
    Eigen::VectorXd p = (logits.array() - logits.maxCoeff()).exp().matrix();
    p /= p.sum();
    const Eigen::MatrixXd s = Eigen::MatrixXd(p.asDiagonal()) - p * p.transpose();
    const double xt[3] = {x[0], x[1], 1.0};
    for (int k = 0; k < classes; ++k)
      for (int m = 0; m < classes; ++m)
        for (int d = 0; d < 3; ++d)
          for (int e = 0; e < 3; ++e) hessian(index(k, d), index(m, e)) += s(k, m) * xt[d] * xt[e] / 16.0;
  }
  const double expected = largestEigenvalue(hessian);
  const SharpnessResult result = sharpness(net, data.x, data.y, 0.0, 0.0, tight());
  EXPECT_NEAR(result.sharpness, expected, 1e-3 * expected);
  // L2 adds 2 l2 to the weights' diagonal, nothing to the biases'.
  const double l2 = 0.5;
  for (int k = 0; k < classes; ++k)
    for (int d = 0; d < 2; ++d) hessian(index(k, d), index(k, d)) += 2 * l2;
  const double withL2 = largestEigenvalue(hessian);
  EXPECT_NEAR(sharpness(net, data.x, data.y, l2, 0.0, tight()).sharpness, withL2, 1e-3 * withL2);
}

TEST(Sharpness, ChangesNoStateOfTheNetwork) {
  ModelConfig model = tinyModel({4, 4});
  model.batchNorm = true;
  model.dropout = 0.3;
  Network net(2, 2, model, 3);
  const TinyProblem data = tinyData(8, 4);
  net.input() = data.x;
  net.forward(Phase::Training);  // running averages away from their start
  const Vector parameters = net.parameters();
  const Vector gradients = net.parameterGradients();
  Matrix before;
  net.predictProbabilities(data.x, before);
  const SharpnessResult first = sharpness(net, data.x, data.y, 0.0, 0.0);
  EXPECT_EQ(net.parameters(), parameters);
  EXPECT_EQ(net.parameterGradients(), gradients);
  EXPECT_DOUBLE_EQ(net.model().dropout, 0.3);
  Matrix after;
  net.predictProbabilities(data.x, after);  // evaluation mode: the running averages
  EXPECT_EQ(after, before);
  // Dropout off and the batch fixed: the same estimate again, bit for bit.
  EXPECT_EQ(sharpness(net, data.x, data.y, 0.0, 0.0).sharpness, first.sharpness);
}

TEST(Sharpness, EdgeOfStabilityThresholds) {
  TrainConfig t;
  t.learningRate = 0.1;
  t.momentum = 0.9;
  t.optimizer = "sgd";
  EXPECT_DOUBLE_EQ(edgeOfStability(t), 20.0);
  t.optimizer = "momentum";
  EXPECT_DOUBLE_EQ(edgeOfStability(t), 38.0);
  t.optimizer = "nesterov";
  EXPECT_DOUBLE_EQ(edgeOfStability(t), 3.8 / (2.8 * 0.1));
  t.optimizer = "adam";
  EXPECT_TRUE(std::isnan(edgeOfStability(t)));
}

// Heavy ball on f = lambda x^2 / 2 at lambda just above / below its threshold: the threshold is
// where the iteration stops converging (torch's form: v <- beta v + g, x <- x - lr v).
TEST(Sharpness, MomentumThresholdIsWhereHeavyBallDiverges) {
  TrainConfig t;
  t.optimizer = "momentum";
  t.learningRate = 0.1;
  t.momentum = 0.5;
  const double edge = edgeOfStability(t);
  auto finalDistance = [&](double lambda) {
    double x = 1.0, v = 0.0;
    for (int i = 0; i < 2000; ++i) {
      v = t.momentum * v + lambda * x;
      x -= t.learningRate * v;
    }
    return std::abs(x);
  };
  EXPECT_LT(finalDistance(0.99 * edge), 1e-3);
  EXPECT_GT(finalDistance(1.01 * edge), 1e3);
}

// Adam's preconditioned sharpness lambda_max(P^-1 H) (Cohen et al. 2022) against the dense
// non-symmetric P^-1 H of the reference Hessian and Eigen's general eigensolver, which shares
// neither the products nor the symmetrization D H D.
TEST(Sharpness, PreconditionedSharpnessIsTheTopEigenvalueOfPInverseH) {
  for (std::uint64_t seed : {7u, 8u}) {
    Network net(2, 2, tinyModel({3}), seed);
    const TinyProblem data = tinyData(10, seed + 100);
    const double l2 = 0.005;
    const Eigen::MatrixXd h = referenceHessian(net, data, l2);
    Rng rng(seed + 200);
    Eigen::VectorXd p(h.rows());
    for (Eigen::Index i = 0; i < p.size(); ++i) p[i] = 0.05 + 2.0 * rng.uniform();  // spread
    const Eigen::MatrixXd pInverseH = p.cwiseInverse().asDiagonal() * h;
    const double expected = Eigen::EigenSolver<Eigen::MatrixXd>(pInverseH).eigenvalues().real().maxCoeff();
    LossHessian hessian(net, data.x, data.y, l2, 0.0);
    const SharpnessResult result = preconditionedSharpness(hessian, p, tight());
    EXPECT_NEAR(result.sharpness, expected, 1e-3 * std::abs(expected)) << "seed " << seed;
    // A different preconditioner gives a different number: it is not H's sharpness.
    EXPECT_GT(std::abs(result.sharpness - largestEigenvalue(h)), 0.1 * std::abs(expected));
  }
}

// P is what Adam divides its step by: after two steps, params moved by lr P^-1 m exactly (float).
TEST(Sharpness, AdamPreconditionerIsWhatAdamsStepDividesBy) {
  TrainConfig t;
  t.optimizer = "adam";
  t.learningRate = 0.01;
  const Eigen::Index n = 20;
  std::unique_ptr<Optimizer> adam = makeOptimizer(t, n);
  Rng rng(5);
  Vector params(n), g1(n), g2(n);
  for (Eigen::Index i = 0; i < n; ++i)
    params[i] = Scalar(rng.normal()), g1[i] = Scalar(rng.normal()), g2[i] = Scalar(0.1 * rng.normal());
  adam->step(params, g1);
  const Vector before = params;
  adam->step(params, g2);
  const OptimizerState state = adam->state();
  const Eigen::VectorXd p = adamPreconditioner(state, t);
  const Eigen::VectorXd expected =
      t.learningRate * state.buffers[0].cast<double>().cwiseQuotient(p);
  const Eigen::VectorXd moved = (before - params).cast<double>();
  for (Eigen::Index i = 0; i < n; ++i) EXPECT_NEAR(moved[i], expected[i], 1e-6 + 1e-4 * std::abs(expected[i]));
  TrainConfig sgd = t;
  sgd.optimizer = "sgd";
  EXPECT_THROW(adamPreconditioner(makeOptimizer(sgd, n)->state(), sgd), InputError);
}

// 38 / lr for beta1 = 0.9: on lambda u^2 / 2 in P-whitened coordinates Adam (P frozen) is
// m <- b1 m + (1 - b1) lambda u, u <- u - lr m; it converges just below the threshold and
// diverges just above it.
TEST(Sharpness, AdamThresholdIsWhereItsFrozenPreconditionedStepDiverges) {
  TrainConfig t;
  t.optimizer = "adam";
  t.learningRate = 0.1;
  t.beta1 = 0.9;
  EXPECT_DOUBLE_EQ(adamEdgeOfStability(t), 380.0);
  const double edge = adamEdgeOfStability(t);
  auto finalDistance = [&](double lambda) {
    double u = 1.0, m = 0.0;
    for (int i = 0; i < 2000; ++i) {
      m = t.beta1 * m + (1.0 - t.beta1) * lambda * u;
      u -= t.learningRate * m;
    }
    return std::abs(u);
  };
  EXPECT_LT(finalDistance(0.99 * edge), 1e-3);
  EXPECT_GT(finalDistance(1.01 * edge), 1e3);
}

// On a run: Adam's state after a few steps, the descended batch; not for another optimizer.
TEST(Sharpness, PreconditionedSharpnessOfAnAdamRun) {
  ExperimentConfig c;
  c.data.source = "spiral";
  c.data.samples = 90;
  c.data.classes = 3;
  c.model.depth = 1;
  c.model.width = 8;
  c.train.optimizer = "adam";
  c.train.learningRate = 0.01;
  c.train.batchSize = 1000;  // full batch
  c.train.steps = 5;
  Trainer trainer(c);
  EXPECT_THROW(preconditionedSharpness(trainer), InputError);  // no step yet: no v
  while (!trainer.finished()) trainer.trainStep();
  const std::vector<Scalar> before(trainer.network().parameters().data(),
                                   trainer.network().parameters().data() + trainer.network().parameters().size());
  const SharpnessResult r = preconditionedSharpness(trainer);
  EXPECT_TRUE(std::isfinite(r.sharpness));
  EXPECT_GT(r.sharpness, 0.0);
  for (std::size_t i = 0; i < before.size(); ++i) ASSERT_EQ(trainer.network().parameters()[Eigen::Index(i)], before[i]);
}

}  // namespace
}  // namespace layerscope
