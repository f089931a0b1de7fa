// The phase diagram of signal propagation (analysis/mean_field.h, docs/THEORY.md): the known
// critical points, q* and chi_1 against Monte-Carlo estimates, the correlation map against the
// closed form for ReLU and against measured finite-width networks
// (analysis/random_network_correlation.h), dropout's missing critical point.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analysis/mean_field.h"
#include "analysis/random_network_correlation.h"
#include "rng.h"

namespace layerscope {
namespace {

Activation activation(ActivationKind kind) {
  Activation a;
  a.kind = kind;
  return a;
}

const Activation kTanh = activation(ActivationKind::Tanh);
const Activation kRelu = activation(ActivationKind::Relu);

// Mean and standard error of f(z) over `samples` draws z ~ N(0, 1).
struct Estimate {
  double mean = 0.0, error = 0.0;
};
template <class F>
Estimate monteCarlo(F f, int samples, std::uint64_t seed) {
  Rng rng(seed);
  double sum = 0.0, sumSquares = 0.0;
  for (int i = 0; i < samples; ++i) {
    const double v = f(rng.normal());
    sum += v;
    sumSquares += v * v;
  }
  const double mean = sum / samples;
  return {mean, std::sqrt(std::max(0.0, sumSquares / samples - mean * mean) / samples)};
}

TEST(MeanField, TanhWithoutBiasIsCriticalAtSigmaW2One) {
  const PhasePoint p = phasePoint(kTanh, {1.0, 0.0});
  EXPECT_NEAR(p.chi1, 1.0, 1e-6);
  EXPECT_LT(p.qStar, 1e-6);
  EXPECT_TRUE(std::isinf(p.xiC));
  // Either side: ordered (q* = 0, chi_1 = sigma_w^2) and chaotic (q* > 0, chi_1 > 1).
  const PhasePoint ordered = phasePoint(kTanh, {0.8, 0.0});
  EXPECT_EQ(ordered.qStar, 0.0);
  EXPECT_NEAR(ordered.chi1, 0.8, 1e-12);
  const PhasePoint chaotic = phasePoint(kTanh, {1.5, 0.0});
  EXPECT_GT(chaotic.qStar, 0.1);
  EXPECT_GT(chaotic.chi1, 1.0);
  EXPECT_NEAR(chaotic.cStar, 0.0, 1e-12);  // odd phi, no bias: correlations die out entirely
}

TEST(MeanField, ReluIsCriticalAtSigmaW2Two) {
  // chi_1 = sigma_w^2 P(z > 0) = sigma_w^2 / 2, whatever q*.
  EXPECT_NEAR(phasePoint(kRelu, {2.0, 0.0}).chi1, 1.0, 1e-9);
  EXPECT_NEAR(phasePoint(kRelu, {1.0, 0.3}).chi1, 0.5, 1e-9);
  // Below 2 the length settles at q* = sigma_b^2 / (1 - sigma_w^2 / 2); above it grows without
  // bound.
  EXPECT_NEAR(phasePoint(kRelu, {1.0, 0.3}).qStar, 0.6, 1e-9);
  EXPECT_TRUE(std::isinf(phasePoint(kRelu, {2.5, 0.1}).qStar));
  EXPECT_TRUE(std::isinf(phasePoint(kRelu, {2.0, 0.0}).xiC));
  // Without bias the length decays to q* = 0 below 2, and chi_1 is still sigma_w^2 / 2.
  const PhasePoint decaying = phasePoint(kRelu, {1.5, 0.0});
  EXPECT_EQ(decaying.qStar, 0.0);
  EXPECT_NEAR(decaying.chi1, 0.75, 1e-9);
}

TEST(MeanField, FixedPointAndChi1AgreeWithMonteCarlo) {
  struct Case {
    Activation phi;
    double w2, b2;
  };
  Activation elu = activation(ActivationKind::Elu);
  Activation sigmoid = activation(ActivationKind::Sigmoid);
  const std::vector<Case> cases = {{kTanh, 1.5, 0.05}, {kTanh, 2.5, 0.3}, {kTanh, 4.0, 0.1},
                                   {kRelu, 1.5, 0.5},  {elu, 1.2, 0.2},   {sigmoid, 3.0, 0.5}};
  constexpr int kSamples = 200000;
  for (const Case& c : cases) {
    const PhasePoint p = phasePoint(c.phi, {c.w2, c.b2});
    ASSERT_TRUE(std::isfinite(p.qStar)) << c.w2;
    const double s = std::sqrt(p.qStar);
    const Activation& phi = c.phi;
    // q* is a fixed point of the sampled length map ...
    const Estimate length =
        monteCarlo([&phi, s](double z) { return phi.value(s * z) * phi.value(s * z); }, kSamples, 7);
    EXPECT_NEAR(c.w2 * length.mean + c.b2, p.qStar, 5 * c.w2 * length.error + 1e-9)
        << activationName(c.phi.kind) << " " << c.w2 << " " << c.b2;
    // ... and chi_1 its sampled slope.
    const Estimate slope =
        monteCarlo([&phi, s](double z) { return phi.slope(s * z) * phi.slope(s * z); }, kSamples, 8);
    EXPECT_NEAR(c.w2 * slope.mean, p.chi1, 5 * c.w2 * slope.error + 1e-9)
        << activationName(c.phi.kind) << " " << c.w2 << " " << c.b2;
  }
}

TEST(MeanField, WideRandomNetworkSettlesAtTheFixedPoint) {
  // The mean square pre-activation of a 1000-wide tanh network after 30 layers, from q1 = 3.
  const MeanFieldInit init{2.0, 0.2};
  const double qStar = lengthFixedPoint(kTanh, init);
  Rng rng(3);
  const int n = 1000;
  Eigen::VectorXd h(n);
  for (int i = 0; i < n; ++i) h(i) = std::sqrt(3.0) * rng.normal();
  double measured = 0.0;
  for (int l = 0; l < 30; ++l) {
    Eigen::MatrixXd w(n, n);
    for (Eigen::Index k = 0; k < w.size(); ++k) w.data()[k] = std::sqrt(init.weightVariance / n) * rng.normal();
    Eigen::VectorXd b(n);
    for (int i = 0; i < n; ++i) b(i) = std::sqrt(init.biasVariance) * rng.normal();
    h = w * h.array().tanh().matrix() + b;
    if (l >= 20) measured += h.squaredNorm() / n / 10;
  }
  EXPECT_NEAR(measured, qStar, 0.05 * qStar);
}

TEST(MeanField, LengthSlopeIsTheDerivativeOfTheLengthMap) {
  for (double w2 : {1.5, 3.0}) {
    const MeanFieldInit init{w2, 0.1};
    const PhasePoint p = phasePoint(kTanh, init);
    const double h = 1e-5 * p.qStar;
    const double numeric =
        (lengthMap(kTanh, init, p.qStar + h) - lengthMap(kTanh, init, p.qStar - h)) / (2 * h);
    EXPECT_NEAR(p.chiQ, numeric, 1e-6) << w2;
    EXPECT_NEAR(p.xiQ, -1.0 / std::log(p.chiQ), 1e-12);
  }
}

TEST(MeanField, CorrelationDepthDivergesAtTheCriticalLine) {
  // Approaching sigma_w^2 = 1 from either side (tanh, no bias), xi_c grows without bound.
  double previous = 0.0;
  for (double w2 : {0.5, 0.9, 0.99, 0.999}) {
    const double xi = phasePoint(kTanh, {w2, 0.0}).xiC;
    EXPECT_GT(xi, previous) << w2;
    previous = xi;
  }
  EXPECT_GT(previous, 900.0);
  previous = 0.0;
  for (double w2 : {3.0, 1.5, 1.1, 1.01}) {
    const double xi = phasePoint(kTanh, {w2, 0.0}).xiC;
    EXPECT_GT(xi, previous) << w2;
    previous = xi;
  }
  EXPECT_GT(previous, 30.0);
  // With a bias the critical line moves right: sigma_b^2 = 0.05 orders sigma_w^2 = 1.5.
  const PhasePoint biased = phasePoint(kTanh, {1.5, 0.05});
  EXPECT_EQ(biased.cStar, 1.0);
  EXPECT_LT(biased.chi1, 1.0);
}

TEST(MeanField, CorrelationMapMatchesTheArcCosineKernelForRelu) {
  // E[relu(u1) relu(u2)] = q / (2 pi) (sqrt(1 - c^2) + (pi - arccos c) c) (Cho & Saul 2009).
  const MeanFieldInit init{2.0, 0.0};
  for (double c : {-0.5, 0.0, 0.3, 0.9, 0.99}) {
    const double expected =
        2.0 / (2 * M_PI) * (std::sqrt(1 - c * c) + (M_PI - std::acos(c)) * c) / 1.0;
    const std::vector<double> map = correlationOverDepth(kRelu, init, 1.0, c, 1);
    EXPECT_NEAR(map[1], expected, 2e-4) << c;
  }
}

TEST(MeanField, DropoutRemovesTheCriticalPoint) {
  // rho = 0.9: c = 1 is no longer a fixed point, so two inputs never become one and xi_c stays
  // finite at the former critical point.
  for (double w2 : {0.5, 1.0, 1.5, 2.5}) {
    const PhasePoint p = phasePoint(kTanh, {w2, 0.0, 0.9});
    EXPECT_LT(p.cStar, 1.0) << w2;
    EXPECT_TRUE(std::isfinite(p.xiC)) << w2;
    EXPECT_LT(p.chiC, 1.0) << w2;
  }
  // The length map's diagonal is divided by rho: q* solves q = sigma_w^2 / rho E[phi^2] + b.
  EXPECT_NEAR(phasePoint(kRelu, {1.0, 0.3, 0.8}).qStar, 0.3 / (1 - 1.0 / 0.8 / 2), 1e-9);
}

TEST(MeanField, MeasuredCorrelationFollowsTheTheory) {
  struct Case {
    Activation phi;
    MeanFieldInit init;
  };
  const std::vector<Case> cases = {{kTanh, {0.8, 0.05}}, {kTanh, {2.5, 0.05}},
                                   {kRelu, {1.5, 0.2}},  {kTanh, {1.5, 0.05, 0.9}}};
  for (const Case& c : cases) {
    const double q1 = lengthFixedPoint(c.phi, c.init);
    CorrelationMeasurement how;
    how.width = 500;
    how.depth = 6;
    how.q1 = q1;
    how.c0 = 0.5;
    how.networks = 4;
    const std::vector<double> theory = correlationOverDepth(c.phi, c.init, q1, 0.5, how.depth);
    const std::vector<double> measured = measureCorrelationOverDepth(c.phi, c.init, how);
    ASSERT_EQ(measured.size(), theory.size());
    for (size_t l = 0; l < theory.size(); ++l)
      EXPECT_NEAR(measured[l], theory[l], 0.06)
          << activationName(c.phi.kind) << " " << c.init.weightVariance << " layer " << l;
  }
}

TEST(MeanField, GridIsSigmaW2OuterWithEveryPoint) {
  const std::vector<PhasePoint> grid = phaseDiagram(kTanh, {0.5, 2.0, 4}, {0.0, 0.2, 3});
  ASSERT_EQ(grid.size(), 12u);
  EXPECT_EQ(grid[0].sigmaW2, 0.5);
  EXPECT_EQ(grid[2].sigmaB2, 0.2);
  EXPECT_EQ(grid[3].sigmaW2, 1.0);
  EXPECT_EQ(grid[11].sigmaW2, 2.0);
  EXPECT_EQ(grid[11].sigmaB2, 0.2);
}

}  // namespace
}  // namespace layerscope
