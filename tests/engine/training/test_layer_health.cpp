// Effective rank and gradient signal-to-noise (training/layer_health.h) against their
// definitions: exact values for matrices with known singular values, and the SNR against
// per-example gradients materialized one example at a time through the network.
#include <gtest/gtest.h>

#include <Eigen/QR>
#include <cmath>
#include <random>
#include <vector>

#include "model/layers/dense.h"
#include "model/loss.h"
#include "model/network.h"
#include "training/layer_health.h"
#include "training/probe.h"

namespace layerscope {
namespace {

Eigen::MatrixXd gaussian(int rows, int cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0.0, 1.0);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = n(rng);
  return m;
}

// `cols` orthonormal columns of length `rows` (Q of a Gaussian matrix's QR).
Eigen::MatrixXd orthonormal(int rows, int cols, unsigned seed) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian(rows, cols, seed));
  return qr.householderQ() * Eigen::MatrixXd::Identity(rows, cols);
}

TEST(EffectiveRank, KEqualSingularValuesGiveExactlyK) {
  for (int k : {1, 2, 3, 7, 20}) {
    // U (40 x k) 2.5 I V^T (k x 30): k singular values of 2.5, the rest 0.
    const Eigen::MatrixXd m = orthonormal(40, k, 1 + k) * 2.5 * orthonormal(30, k, 100 + k).transpose();
    EXPECT_NEAR(effectiveRank(m), double(k), 1e-6 * k) << "k = " << k;
    EXPECT_NEAR(effectiveRank(m.transpose()), double(k), 1e-6 * k) << "k = " << k;  // other Gram
  }
}

TEST(EffectiveRank, RankOneIsOneAndUnequalSpectraFollowTheEntropy) {
  const Eigen::MatrixXd u = gaussian(50, 1, 3), v = gaussian(1, 9, 4);
  EXPECT_NEAR(effectiveRank(u * v), 1.0, 1e-9);
  // Singular values 3 and 1: p = (0.75, 0.25), erank = exp(-(0.75 ln 0.75 + 0.25 ln 0.25)).
  Eigen::VectorXd s(2);
  s << 3.0, 1.0;
  const Eigen::MatrixXd m = orthonormal(6, 2, 5) * s.asDiagonal() * orthonormal(8, 2, 6).transpose();
  EXPECT_NEAR(effectiveRank(m), std::exp(-(0.75 * std::log(0.75) + 0.25 * std::log(0.25))), 1e-9);
  EXPECT_EQ(effectiveRank(Eigen::MatrixXd::Zero(4, 5)), 0.0);
}

TEST(EffectiveRank, RepresentationIsCentredPerUnitAndNormalized) {
  // 30 units x 60 samples: a rank-4 zero-mean signal with equal singular values (its sample
  // directions orthogonal to the all-ones vector) plus a different constant output per unit.
  // Centred, the constant is gone: rank exactly 4, normalized by min(30, 60 - 1) = 30.
  Eigen::MatrixXd basis = gaussian(60, 5, 7);
  basis.col(0).setOnes();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(basis);
  const Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(60, 5);
  const Eigen::MatrixXd signal = orthonormal(30, 4, 8) * 0.7 * q.rightCols(4).transpose();
  const Eigen::MatrixXd offsets = gaussian(30, 1, 9) * Eigen::RowVectorXd::Ones(60);
  const Matrix a = (signal + 5.0 * offsets).cast<Scalar>();
  const RepresentationRank r = representationRank(a);
  EXPECT_EQ(r.samples, 60);
  EXPECT_NEAR(r.rank, 4.0, 1e-3);  // float storage: singular values equal to ~1e-6
  EXPECT_NEAR(r.normalized, r.rank / 30.0, 1e-12);
  // Uncentred, the offsets would be a fifth, dominant direction.
  EXPECT_LT(effectiveRank(a.cast<double>()), 2.0);
  // Every sample the same: no direction of variation.
  EXPECT_EQ(representationRank(Matrix::Constant(5, 10, 0.3f)).rank, 0.0);
  EXPECT_TRUE(std::isnan(representationRank(Matrix::Ones(5, 1)).rank));
}

TEST(EffectiveRank, LooksAtMostAtTheSampleCapSpreadOverTheBatch) {
  const Matrix a = gaussian(8, 1000, 10).cast<Scalar>();
  const RepresentationRank r = representationRank(a);
  EXPECT_EQ(r.samples, kRankSamples);
  EXPECT_GT(r.rank, 6.0);  // 8 independent units over kRankSamples samples: close to 8
  EXPECT_LE(r.rank, 8.0 + 1e-9);
}

// The per-example gradients of every dense layer, each from a forward and backward pass on that
// one example alone (its loss, not the batch mean), against the probe's gradientSnr.
TEST(GradientSnr, MatchesPerExampleGradientsMaterializedOneByOne) {
  ModelConfig m;
  m.depth = 2;
  m.width = 6;
  m.activation = "tanh";
  m.init = "xavier_normal";
  const int inputs = 5, classes = 3, n = 9;
  Network net(inputs, classes, m, 11);
  const Matrix x = gaussian(inputs, n, 12).cast<Scalar>();
  const std::vector<int> y = {0, 1, 2, 2, 1, 0, 0, 2, 1};

  std::vector<std::vector<Eigen::MatrixXd>> perExample;  // [sample][view]
  for (int s = 0; s < n; ++s) {
    net.input() = x.col(s);
    Matrix p, g;
    softmaxCrossEntropy(net.forward(Phase::Evaluation), &y[size_t(s)], p, &g);
    net.backward(g);
    std::vector<Eigen::MatrixXd> grads;
    for (const LayerView& v : net.layerViews())
      grads.push_back(v.dense < 0 ? Eigen::MatrixXd() : net.dense(v.dense).weightGradient().cast<double>().eval());
    perExample.push_back(grads);
  }

  net.input() = x;
  Matrix p, g;
  softmaxCrossEntropy(net.forward(Phase::Evaluation), y.data(), p, &g);
  net.backward(g);
  const std::vector<LayerStats> layers = measureLayers(net, ActivationKind::Tanh, 10, {});
  EXPECT_TRUE(std::isnan(layers[0].gradientSnr));  // the input has no weights
  for (size_t l = 1; l < layers.size(); ++l) {
    Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(perExample[0][l].rows(), perExample[0][l].cols());
    for (int s = 0; s < n; ++s) mean += perExample[size_t(s)][l] / n;
    double noise = 0.0;
    for (int s = 0; s < n; ++s) noise += (perExample[size_t(s)][l] - mean).squaredNorm() / n;
    const double expected = mean.squaredNorm() / noise;
    EXPECT_NEAR(layers[l].gradientSnr, expected, 1e-4 * expected) << "layer " << l;
  }
}

TEST(GradientSnr, IdenticalExamplesAreAllSignalOppositeOnesAllNoise) {
  // Two examples with the same delta and input: no noise (a huge ratio, kept finite).
  Matrix delta(2, 2), a(3, 2);
  delta << 1, 1, 2, 2;
  a << 1, 1, 0, 0, 3, 3;
  const Matrix sum = delta * a.transpose();
  EXPECT_GT(gradientSignalToNoise(delta, a, sum), 1e9);
  // Opposite deltas: the mean gradient is 0, every example is noise.
  delta.col(1) = -delta.col(0);
  EXPECT_EQ(gradientSignalToNoise(delta, a, delta * a.transpose()), 0.0);
  EXPECT_TRUE(std::isnan(gradientSignalToNoise(delta.leftCols(1), a.leftCols(1), sum)));
}

}  // namespace
}  // namespace layerscope
