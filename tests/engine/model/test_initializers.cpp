// Each initializer's empirical mean and variance against its formula, with fan_in != fan_out so
// a formula that swaps them (or uses one for the other) fails.
#include <gtest/gtest.h>

#include <cmath>

#include "errors.h"
#include "model/initializer.h"

namespace layerscope {
namespace {

struct Expected {
  const char* name;
  double variance;  // as a function of fan_in = 300, fan_out = 700 (W is 700 x 300)
};

constexpr int kFanIn = 300, kFanOut = 700;

class InitializerMoments : public ::testing::TestWithParam<Expected> {};

TEST_P(InitializerMoments, MeanAndVarianceMatchTheFormula) {
  const Expected e = GetParam();
  InitializerSpec spec;
  spec.name = e.name;
  spec.std = 0.25;
  spec.bound = 0.3;
  Rng rng(123);
  Matrix w(kFanOut, kFanIn);
  initializeWeights(spec, w, rng);
  const double n = double(w.size());
  const double mean = w.cast<double>().mean();
  const double var = (w.cast<double>().array() - mean).square().sum() / n;
  // 210000 samples: the sample mean has std sqrt(var / n); the sample variance's relative std
  // is about sqrt(2 / n) (Gaussian) -- 5 sigma bounds.
  EXPECT_NEAR(mean, 0.0, 5 * std::sqrt(e.variance / n)) << e.name;
  EXPECT_NEAR(var / e.variance, 1.0, 5 * std::sqrt(2.0 / n) + 1e-3) << e.name;
  EXPECT_NEAR(initializerStd(spec, kFanIn, kFanOut), std::sqrt(e.variance), 1e-12) << e.name;
}

INSTANTIATE_TEST_SUITE_P(
    Formulas, InitializerMoments,
    ::testing::Values(Expected{"normal", 0.25 * 0.25}, Expected{"uniform", 0.3 * 0.3 / 3},
                      Expected{"xavier_normal", 2.0 / (kFanIn + kFanOut)},
                      Expected{"xavier_uniform", 2.0 / (kFanIn + kFanOut)},
                      Expected{"he_normal", 2.0 / kFanIn}, Expected{"he_uniform", 2.0 / kFanIn},
                      Expected{"lecun_normal", 1.0 / kFanIn}, Expected{"lecun_uniform", 1.0 / kFanIn},
                      Expected{"orthogonal", 1.0 / kFanOut}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Initializer, UniformStaysWithinItsBound) {
  InitializerSpec spec;
  spec.name = "xavier_uniform";
  Rng rng(5);
  Matrix w(200, 100);
  initializeWeights(spec, w, rng);
  const double bound = std::sqrt(6.0 / 300.0);  // Glorot: sqrt(6 / (fan_in + fan_out))
  EXPECT_LE(w.cwiseAbs().maxCoeff(), bound);
  EXPECT_GT(w.cwiseAbs().maxCoeff(), 0.99 * bound);
}

TEST(Initializer, OrthogonalHasOrthonormalRowsOrColumns) {
  InitializerSpec spec;
  spec.name = "orthogonal";
  Rng rng(9);
  Matrix wide(30, 80), tall(80, 30);
  initializeWeights(spec, wide, rng);
  initializeWeights(spec, tall, rng);
  EXPECT_TRUE((wide * wide.transpose()).isApprox(Matrix::Identity(30, 30), 1e-4));
  EXPECT_TRUE((tall.transpose() * tall).isApprox(Matrix::Identity(30, 30), 1e-4));
}

TEST(Initializer, ZerosConstantAndUnknownName) {
  Rng rng(1);
  Matrix w(4, 5);
  InitializerSpec spec;
  spec.name = "zeros";
  initializeWeights(spec, w, rng);
  EXPECT_TRUE(w.isZero());
  spec.name = "constant";
  spec.constant = 0.5;
  initializeWeights(spec, w, rng);
  EXPECT_TRUE((w.array() == 0.5f).all());
  spec.name = "glorot";
  EXPECT_THROW(initializeWeights(spec, w, rng), InputError);
}

TEST(Initializer, SameSeedSameWeights) {
  InitializerSpec spec;
  Matrix a(10, 10), b(10, 10);
  Rng r1(77), r2(77), r3(78);
  initializeWeights(spec, a, r1);
  initializeWeights(spec, b, r2);
  EXPECT_EQ(a, b);
  initializeWeights(spec, b, r3);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace layerscope
