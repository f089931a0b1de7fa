// tanh at each instruction-set level the CPU has (model/kernels/tanh_kernel.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "model/kernels/tanh_kernel.h"

namespace layerscope {
namespace {

std::vector<float> inputs() {
  std::vector<float> x = {0.0f, -0.0f, 1e-30f, -3e-4f, 4e-4f, 0.1f, -0.5f, 1.0f, 2.5f, -7.9f,
                          8.0f, -9.0f, 30.0f, std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity()};
  for (int i = -4000; i <= 4000; ++i) x.push_back(float(i) * 0.0025f);  // [-10, 10]
  x.push_back(0.3f);  // an odd count: no level may skip a tail
  return x;
}

std::vector<KernelLevel> levelsThisCpuHas() {
  std::vector<KernelLevel> levels = {KernelLevel::Baseline};
  if (kernelLevel() >= KernelLevel::X86_64_V3) levels.push_back(KernelLevel::X86_64_V3);
  if (kernelLevel() >= KernelLevel::X86_64_V4) levels.push_back(KernelLevel::X86_64_V4);
  return levels;
}

TEST(TanhKernel, EveryLevelAgreesWithTheMathLibrary) {
  const std::vector<float> x = inputs();
  for (const KernelLevel level : levelsThisCpuHas()) {
    std::vector<float> y(x.size());
    tanhArrayOn(level, x.data(), y.data(), std::ptrdiff_t(x.size()));
    for (size_t i = 0; i < x.size(); ++i) {
      const double want = std::tanh(double(x[i]));
      // Eigen's rational approximation: a few float ulps, and exactly +-1 far out.
      EXPECT_NEAR(y[i], want, 4e-7 + 2e-7 * std::fabs(want))
          << kernelLevelName(level) << " at x = " << x[i];
      EXPECT_LE(std::fabs(y[i]), 1.0f);
    }
    EXPECT_EQ(std::signbit(y[1]), true) << "tanh(-0) is -0";
  }
}

TEST(TanhKernel, NanStaysNanAndTheArrayMayBeItsOwnOutput) {
  for (const KernelLevel level : levelsThisCpuHas()) {
    std::vector<float> x = {std::numeric_limits<float>::quiet_NaN(), 0.5f, -2.0f};
    const float half = std::tanh(0.5f);
    tanhArrayOn(level, x.data(), x.data(), 3);
    EXPECT_TRUE(std::isnan(x[0])) << kernelLevelName(level);
    EXPECT_NEAR(x[1], half, 1e-6f);
    EXPECT_NEAR(x[2], std::tanh(-2.0f), 1e-6f);
  }
}

// AVX2 + FMA and AVX-512 evaluate the same fused operations in the same order: the same bits,
// so a machine's results do not depend on which of the two a build would pick.
TEST(TanhKernel, TheFusedLevelsComputeTheSameBits) {
  if (kernelLevel() < KernelLevel::X86_64_V4) GTEST_SKIP() << "this CPU has no AVX-512";
  const std::vector<float> x = inputs();
  std::vector<float> v3(x.size()), v4(x.size());
  tanhArrayOn(KernelLevel::X86_64_V3, x.data(), v3.data(), std::ptrdiff_t(x.size()));
  tanhArrayOn(KernelLevel::X86_64_V4, x.data(), v4.data(), std::ptrdiff_t(x.size()));
  EXPECT_EQ(std::memcmp(v3.data(), v4.data(), x.size() * sizeof(float)), 0);
}

}  // namespace
}  // namespace layerscope
