// Every layer's input and parameter gradients against central differences, in training and
// evaluation mode, and the whole network's with L2 / L1 regularization.
#include <gtest/gtest.h>

#include "model/activation.h"
#include "gradient_check.h"
#include "model/layers/activation_layer.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dense.h"
#include "model/layers/dropout.h"
#include "model/loss.h"
#include "model/network.h"
#include "rng.h"

namespace layerscope {
namespace {

using testing::numericalGradient;
using testing::relativeError;

Matrix randomMatrix(int rows, int cols, std::uint64_t seed, double std = 1.0) {
  Rng rng(seed);
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = Scalar(rng.normal(0.0, std));
  return m;
}

// L = sum(out .* R) for a fixed random R, so dL/dout = R: every output coordinate matters.
struct LayerHarness {
  Layer& layer;
  Phase phase;
  Matrix in, projection, out;
  double loss() {
    layer.forward(in, out, phase);
    return (out.cast<double>().array() * projection.cast<double>().array()).sum();
  }
};

// Checks dL/din and every parameter gradient of `layer` by central differences.
void checkLayer(Layer& layer, Phase phase, int batch, double tolerance, std::uint64_t seed = 7,
                double h = 1e-2) {
  // Parameters in a local buffer, randomised away from special values (gamma = 1, ...).
  Eigen::Index count = 0;
  for (const ParameterInfo& p : layer.parameterShapes()) count += p.rows * p.cols;
  Vector params = randomMatrix(static_cast<int>(count), 1, seed + 1, 0.5).col(0);
  Vector grads = Vector::Zero(count);
  layer.bindParameters(params.data(), grads.data());

  LayerHarness h1{layer, phase, randomMatrix(layer.inputSize(), batch, seed + 2),
                  randomMatrix(layer.outputSize(), batch, seed + 3), Matrix()};
  h1.loss();
  Matrix gradIn;
  layer.backward(h1.in, h1.out, h1.projection, gradIn, true);
  const Eigen::VectorXd analyticIn = Eigen::Map<const Matrix>(gradIn.data(), gradIn.size(), 1).cast<double>();
  const Eigen::VectorXd analyticParams = grads.cast<double>();

  const Eigen::VectorXd numericIn =
      numericalGradient([&] { return h1.loss(); }, h1.in.data(), h1.in.size(), h);
  EXPECT_LT(relativeError(analyticIn, numericIn), tolerance) << layer.kind() << " input gradient";
  if (count > 0) {
    const Eigen::VectorXd numericParams =
        numericalGradient([&] { return h1.loss(); }, params.data(), count, h);
    EXPECT_LT(relativeError(analyticParams, numericParams), tolerance)
        << layer.kind() << " parameter gradient";
  }
}

TEST(GradientCheck, DenseInputAndParameters) {
  Dense dense(5, 4);
  checkLayer(dense, Phase::Training, 3, 2e-3);
  checkLayer(dense, Phase::Evaluation, 3, 2e-3);
}

TEST(GradientCheck, BatchNormTrainingUsesBatchStatistics) {
  BatchNorm bn(4);
  checkLayer(bn, Phase::Training, 6, 1e-2);
}

TEST(GradientCheck, BatchNormEvaluationUsesRunningAverages) {
  BatchNorm bn(4);
  bn.runningMean() = randomMatrix(4, 1, 11).col(0);
  bn.runningVar() = randomMatrix(4, 1, 12).col(0).cwiseAbs().array() + Scalar(0.5);
  checkLayer(bn, Phase::Evaluation, 6, 2e-3);
}

TEST(GradientCheck, BatchNormProbingMatchesTrainingWithoutUpdatingRunningAverages) {
  BatchNorm bn(3);
  checkLayer(bn, Phase::Probing, 5, 1e-2);
  EXPECT_TRUE(bn.runningMean().isZero());
  EXPECT_TRUE(bn.runningVar().isOnes());
}

class ActivationGradient : public ::testing::TestWithParam<ActivationKind> {};

TEST_P(ActivationGradient, MatchesCentralDifferences) {
  Activation activation;
  activation.kind = GetParam();
  activation.leakySlope = 0.1;
  activation.eluAlpha = 0.7;
  ActivationLayer layer(6, activation);
  // h small against the distance of any input from the kink at 0 of the ReLU family.
  checkLayer(layer, Phase::Training, 4, 5e-3, 21, 1e-3);
}

INSTANTIATE_TEST_SUITE_P(AllActivations, ActivationGradient,
                         ::testing::Values(ActivationKind::Tanh, ActivationKind::Sigmoid,
                                           ActivationKind::Relu, ActivationKind::LeakyRelu,
                                           ActivationKind::Elu, ActivationKind::Selu,
                                           ActivationKind::Gelu, ActivationKind::Linear),
                         [](const auto& info) { return activationName(info.param); });

TEST(GradientCheck, DropoutWithAFixedMask) {
  // A fresh layer with the same generator draws the same mask at every forward, which makes the
  // loss a deterministic function of the input for the finite differences.
  const auto makeLayer = [] { return Dropout(5, 0.4, Rng(3), Rng(4)); };
  Matrix in = randomMatrix(5, 8, 5), projection = randomMatrix(5, 8, 6), out, gradIn;
  Dropout layer = makeLayer();
  layer.forward(in, out, Phase::Training);
  layer.backward(in, out, projection, gradIn, true);
  const auto loss = [&] {
    Dropout fresh = makeLayer();
    Matrix o;
    fresh.forward(in, o, Phase::Training);
    return (o.cast<double>().array() * projection.cast<double>().array()).sum();
  };
  const Eigen::VectorXd numeric = numericalGradient(loss, in.data(), in.size());
  const Eigen::VectorXd analytic = Eigen::Map<Matrix>(gradIn.data(), gradIn.size(), 1).cast<double>();
  EXPECT_LT(relativeError(analytic, numeric), 1e-3);
  // Inverted dropout: kept units are scaled by 1 / (1 - p), dropped ones are 0.
  for (Eigen::Index i = 0; i < out.size(); ++i)
    EXPECT_TRUE(out.data()[i] == 0 || std::abs(out.data()[i] - in.data()[i] / 0.6f) < 1e-5);
  // Evaluation is the identity.
  layer.forward(in, out, Phase::Evaluation);
  EXPECT_TRUE(out.isApprox(in));
}

// The loss of a whole network on a fixed batch, with regularization, as a function of its
// parameters: checks backward through every layer type and the L2 / L1 gradients.
struct NetworkHarness {
  Network net;
  Matrix x;
  std::vector<int> y;
  double l2, l1;
  Phase phase;
  double loss() {
    net.input() = x;
    Matrix p;
    const LossResult r = softmaxCrossEntropy(net.forward(phase), y.data(), p, nullptr);
    return r.loss + net.regularizationLoss(l2, l1);
  }
};

void checkNetwork(ModelConfig model, double l2, double l1, Phase phase, double tolerance) {
  NetworkHarness h{Network(4, 3, model, 42), randomMatrix(4, 7, 43), {0, 1, 2, 1, 0, 2, 2}, l2, l1, phase};
  h.net.input() = h.x;
  Matrix p, gradLogits;
  softmaxCrossEntropy(h.net.forward(phase), h.y.data(), p, &gradLogits);
  h.net.backward(gradLogits);
  h.net.addRegularizationGradient(l2, l1);
  const Eigen::VectorXd analytic = h.net.parameterGradients().cast<double>();
  const Eigen::VectorXd numeric = numericalGradient([&] { return h.loss(); }, h.net.parameters().data(),
                                                    h.net.parameters().size(), 1e-2);
  EXPECT_LT(relativeError(analytic, numeric), tolerance);
}

TEST(GradientCheck, NetworkTanhWithL2) {
  ModelConfig m;
  m.depth = 2;
  m.width = 5;
  m.activation = "tanh";
  m.init = "xavier_normal";
  checkNetwork(m, 0.0, 0.0, Phase::Training, 5e-3);
  checkNetwork(m, 0.05, 0.0, Phase::Training, 5e-3);
}

TEST(GradientCheck, NetworkL1) {
  ModelConfig m;
  m.depth = 1;
  m.width = 6;
  m.activation = "elu";
  m.init = "he_normal";
  checkNetwork(m, 0.0, 0.01, Phase::Training, 5e-3);
}

TEST(GradientCheck, NetworkWithBatchNormInBothModes) {
  ModelConfig m;
  m.depth = 2;
  m.width = 5;
  m.activation = "gelu";
  m.batchNorm = true;
  // Batch statistics amplify single-precision rounding in the finite differences: 3e-2 still
  // rejects a wrong batch-norm backward (which errs by 0.3 or more).
  checkNetwork(m, 0.01, 0.0, Phase::Training, 3e-2);
  checkNetwork(m, 0.01, 0.0, Phase::Evaluation, 5e-3);
}

TEST(GradientCheck, RegularizationSkipsBiases) {
  ModelConfig m;
  m.depth = 1;
  m.width = 3;
  m.batchNorm = true;
  Network net(2, 2, m, 1);
  const Vector& mask = net.regularizationMask();
  // W1 (3x2) and W2 (2x3) are regularized: 12 weights; b1, gamma, beta, b2 are not.
  EXPECT_EQ(mask.sum(), 12);
  EXPECT_EQ(net.parameters().size(), 6 + 3 + 3 + 3 + 6 + 2);
}

}  // namespace
}  // namespace layerscope
