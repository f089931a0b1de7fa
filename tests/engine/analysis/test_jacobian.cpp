// The input-output Jacobian and its singular values (analysis/jacobian.h, docs/THEORY.md): a
// deep linear orthogonal network is an exact isometry, the Jacobian matches central finite
// differences of the network's own forward pass (with and without batch norm), the mean squared
// singular value of random tanh networks matches the mean-field prod_l chi_l, and at criticality
// orthogonal weights keep the spectrum near 1 where Gaussian ones spread it.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analysis/jacobian.h"
#include "analysis/mean_field.h"
#include "model/layers/batch_norm.h"
#include "model/layers/dense.h"
#include "model/network.h"
#include "rng.h"

namespace layerscope {
namespace {

ModelConfig model(int depth, int width, const std::string& activation, const std::string& init,
                  double initStd = 0.01) {
  ModelConfig m;
  m.depth = depth;
  m.width = width;
  m.activation = activation;
  m.init = init;
  m.initStd = initStd;
  return m;
}

Eigen::VectorXd gaussianInput(int n, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::VectorXd x(n);
  for (int i = 0; i < n; ++i) x(i) = rng.normal();
  return x;
}

Matrix gaussianInputs(int n, int samples, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(n, samples);
  for (int j = 0; j < samples; ++j)
    for (int i = 0; i < n; ++i) x(i, j) = static_cast<Scalar>(rng.normal());
  return x;
}

// The last hidden layer's output by the network's own forward pass (float, evaluation mode).
Eigen::VectorXd networkHiddenOutput(Network& net, const Eigen::VectorXd& x) {
  net.input() = x.cast<Scalar>();
  net.forward(Phase::Evaluation);
  const LayerView& last = net.layerViews()[net.layerViews().size() - 2];
  return net.values()[static_cast<size_t>(last.activation)].col(0).cast<double>();
}

// Biases, batch-norm gamma and beta away from their initial 0 / 1, so every term is exercised.
void perturbParameters(Network& net, std::uint64_t seed, double scale) {
  Rng rng(seed);
  Vector& p = net.parameters();
  for (const Network::ParameterBlock& block : net.parameterBlocks()) {
    if (block.info.name == "W") continue;
    for (Eigen::Index i = 0; i < block.info.rows * block.info.cols; ++i)
      p(block.info.offset + i) += static_cast<Scalar>(scale * rng.normal());
  }
}

TEST(Jacobian, DeepLinearOrthogonalNetworkIsAnExactIsometry) {
  Network net(64, 3, model(12, 64, "linear", "orthogonal"), 7);
  const JacobianResult r = jacobianSpectra(net, gaussianInputs(64, 4, 1), 16);
  ASSERT_EQ(r.spectra.size(), 4u);
  for (const JacobianSpectrum& s : r.spectra) {
    ASSERT_EQ(s.singularValues.size(), 64u);
    for (double v : s.singularValues) EXPECT_NEAR(v, 1.0, 1e-5);
  }
  EXPECT_NEAR(r.summary.meanSquared, 1.0, 1e-5);
  EXPECT_DOUBLE_EQ(r.summary.fractionNearOne, 1.0);
}

TEST(Jacobian, LinearNetworkIsTheProductOfItsWeights) {
  // D = I: the per-layer Jacobians are the weights themselves, and Gaussian ones are no isometry.
  Network net(20, 3, model(5, 20, "linear", "xavier_normal"), 3);
  std::vector<Eigen::MatrixXd> weights;
  for (int l = 1; l <= 5; ++l)
    weights.push_back(net.dense(net.layerViews()[l].dense).weights().cast<double>());
  const Eigen::MatrixXd expected = jacobianProduct(weights);
  const Eigen::MatrixXd j = inputOutputJacobian(net, gaussianInput(20, 2));
  EXPECT_LT((j - expected).norm(), 1e-12 * expected.norm());
  const std::vector<double> s = singularValues(j);
  EXPECT_GT(s.front() / s.back(), 10.0);
}

TEST(Jacobian, ProductOfLayerJacobiansIsTheInputOutputJacobian) {
  Network net(10, 3, model(4, 12, "tanh", "normal", 0.4), 5);
  perturbParameters(net, 11, 0.3);
  const Eigen::VectorXd x = gaussianInput(10, 4);
  const std::vector<Eigen::VectorXd> h = preActivations(net, x);
  std::vector<Eigen::MatrixXd> layers;
  for (int l = 1; l <= 4; ++l) layers.push_back(layerJacobian(net, l, h[static_cast<size_t>(l - 1)]));
  const Eigen::MatrixXd j = inputOutputJacobian(net, x);
  EXPECT_EQ(j.rows(), 12);
  EXPECT_EQ(j.cols(), 10);
  EXPECT_LT((jacobianProduct(layers) - j).norm(), 1e-12 * j.norm());
}

// Central differences of the network's float forward pass: step 1e-2 (truncation ~1e-4 of the
// entries, float rounding ~1e-5), so 2e-3 of the largest entry; of the double forward: 1e-6.
void expectMatchesFiniteDifferences(Network& net, int inputs, std::uint64_t seed) {
  const Eigen::VectorXd x = gaussianInput(inputs, seed);
  const Eigen::MatrixXd j = inputOutputJacobian(net, x);
  ASSERT_GT(j.norm(), 0.1);  // a Jacobian worth comparing (not saturated to 0)
  EXPECT_LT((lastHiddenOutput(net, x) - networkHiddenOutput(net, x)).norm(),
            1e-5 * (1.0 + networkHiddenOutput(net, x).norm()));
  Eigen::MatrixXd fdFloat(j.rows(), j.cols()), fdDouble(j.rows(), j.cols());
  for (int i = 0; i < inputs; ++i) {
    Eigen::VectorXd plus = x, minus = x;
    plus(i) += 1e-2;
    minus(i) -= 1e-2;
    fdFloat.col(i) = (networkHiddenOutput(net, plus) - networkHiddenOutput(net, minus)) / 2e-2;
    plus = x;
    minus = x;
    plus(i) += 1e-5;
    minus(i) -= 1e-5;
    fdDouble.col(i) = (lastHiddenOutput(net, plus) - lastHiddenOutput(net, minus)) / 2e-5;
  }
  EXPECT_LT((fdFloat - j).cwiseAbs().maxCoeff(), 2e-3 * j.cwiseAbs().maxCoeff());
  EXPECT_LT((fdDouble - j).norm(), 1e-6 * j.norm());
}

TEST(Jacobian, MatchesFiniteDifferencesOfTheForwardPass) {
  Network net(6, 3, model(3, 8, "tanh", "normal", 0.6), 9);
  perturbParameters(net, 12, 0.5);
  expectMatchesFiniteDifferences(net, 6, 21);
}

TEST(Jacobian, BatchNormInEvaluationModeIsAPerUnitScale) {
  ModelConfig m = model(3, 8, "tanh", "normal", 0.6);
  m.batchNorm = true;
  Network net(6, 3, m, 9);
  perturbParameters(net, 13, 0.5);
  Rng rng(14);
  for (const LayerPtr& layer : net.layers()) {
    if (layer->kind() != "batch_norm") continue;
    auto& bn = static_cast<BatchNorm&>(*layer);
    for (Eigen::Index i = 0; i < bn.runningVar().size(); ++i) {
      bn.runningMean()(i) = static_cast<Scalar>(0.3 * rng.normal());
      bn.runningVar()(i) = static_cast<Scalar>(0.2 + 2.0 * rng.uniform());
    }
  }
  expectMatchesFiniteDifferences(net, 6, 22);
}

TEST(Jacobian, MeanSquaredSingularValueFollowsTheMeanField) {
  // sigma_w^2 = 1.5 (chaotic side, q* > 0), x ~ N(0, 1): E[sigma^2] = prod_l chi_l.
  const int width = 256, depth = 6;
  const double sigmaW2 = 1.5;
  Network net(width, 3, model(depth, width, "tanh", "normal", std::sqrt(sigmaW2 / width)), 17);
  const JacobianResult r = jacobianSpectra(net, gaussianInputs(width, 8, 18), 8);
  Activation tanh;
  const double predicted = predictedMeanSquaredSingularValue(tanh, sigmaW2, 0.0, 1.0, depth);
  // Finite width adds ~1 / width per layer and the samples their own noise (width 1024: within
  // 4%); a Jacobian without D (1.5^6 = 11) or without a layer is off by far more.
  EXPECT_NEAR(r.summary.meanSquared / predicted, 1.0, 0.2)
      << "measured " << r.summary.meanSquared << " predicted " << predicted;
  // Deep enough, each layer multiplies the prediction by the phase diagram's chi_1.
  const double chi1 = phasePoint(tanh, {sigmaW2, 0.0, 1.0}).chi1;
  EXPECT_NEAR(predictedMeanSquaredSingularValue(tanh, sigmaW2, 0.0, 1.0, 61) /
                  predictedMeanSquaredSingularValue(tanh, sigmaW2, 0.0, 1.0, 60),
              chi1, 1e-6);
}

TEST(Jacobian, AtCriticalityOrthogonalWeightsStayNearOneAndGaussianOnesSpread) {
  // tanh at its critical point sigma_w^2 = 1, sigma_b^2 = 0 (q* = 0), depth 32 (Pennington,
  // Schoenholz & Ganguli 2017, figure 1). Biases start at 0, so q_l only decays to 0 like 1 / l:
  // inputs of mean square 0.01 start every layer near q* (chi_l ~ 1 - 2 q_l).
  const int width = 128, depth = 32;
  const Matrix x = Scalar(0.1) * gaussianInputs(width, 4, 30);
  Network orthogonal(width, 3, model(depth, width, "tanh", "orthogonal"), 31);
  Network gaussian(width, 3, model(depth, width, "tanh", "normal", std::sqrt(1.0 / width)), 31);
  const JacobianSummary o = jacobianSpectra(orthogonal, x, 4).summary;
  const JacobianSummary g = jacobianSpectra(gaussian, x, 4).summary;
  EXPECT_GT(o.fractionNearOne, 0.6);
  EXPECT_LT(g.fractionNearOne, 0.5 * o.fractionNearOne);
  EXPECT_GT(std::log(g.max / g.min), 3.0 * std::log(o.max / o.min));
}

TEST(Jacobian, StopsWhenCancelledAndTakesAtMostTheSamplesAsked) {
  Network net(8, 3, model(2, 8, "tanh", "xavier_normal"), 1);
  const Matrix x = gaussianInputs(8, 20, 2);
  EXPECT_EQ(jacobianSpectra(net, x, 16).spectra.size(), 16u);
  EXPECT_EQ(jacobianSpectra(net, x, 3).summary.samples, 3);
  int polls = 0;
  const JacobianResult r = jacobianSpectra(net, x, 16, [&polls] { return ++polls > 2; });
  EXPECT_TRUE(r.spectra.empty());
  EXPECT_EQ(r.summary.samples, 0);
}

TEST(Jacobian, SummaryCountsWhatIsNearOne) {
  const JacobianSummary s = summarize({{{4.0, 1.0, 0.5, 0.1}, 0.0}});
  EXPECT_EQ(s.samples, 1);
  EXPECT_EQ(s.count, 4);
  EXPECT_DOUBLE_EQ(s.max, 4.0);
  EXPECT_DOUBLE_EQ(s.min, 0.1);
  EXPECT_DOUBLE_EQ(s.fractionNearOne, 0.5);
  EXPECT_DOUBLE_EQ(s.meanSquared, (16.0 + 1.0 + 0.25 + 0.01) / 4.0);
}

}  // namespace
}  // namespace layerscope
