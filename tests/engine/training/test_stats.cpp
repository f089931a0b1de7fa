// computeMoments and computeHistogram: values against what they must be, and the ranges a
// diverging or collapsing network produces (denormal spans, infinite bounds, NaN data), which
// once sent a bin index out of the counts array.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "training/stats.h"

namespace layerscope {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

Matrix row(std::initializer_list<float> values) {
  Matrix m(1, static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (float v : values) m(0, i++) = v;
  return m;
}

std::uint64_t total(const Histogram& h) {
  return std::accumulate(h.counts.begin(), h.counts.end(), std::uint64_t(0)) + h.nonFinite;
}

TEST(Histogram, CountsFallInTheirBins) {
  // Bin k of 4 over [0, 4) holds [k, k+1); the maximum goes into the last bin.
  const Histogram h = computeHistogram(row({0.f, 0.5f, 1.f, 2.5f, 3.99f, 4.f, -1.f, 9.f}), 4, 0, 4);
  EXPECT_EQ(h.counts, (std::vector<std::uint32_t>{3, 1, 1, 3}));  // -1 and 9 are clamped in
  EXPECT_EQ(h.lo, 0.0);
  EXPECT_EQ(h.hi, 4.0);
  const Histogram span = computeHistogram(row({1.f, 2.f, 3.f, 5.f}), 2, 0, 0);  // [1, 5]
  EXPECT_EQ(span.lo, 1.0);
  EXPECT_EQ(span.hi, 5.0);
  EXPECT_EQ(span.counts, (std::vector<std::uint32_t>{2, 2}));
}

TEST(Histogram, StandardNormalMatchesTheCdf) {
  Matrix x(200, 500);
  std::mt19937 rng(3);
  std::normal_distribution<float> n01;
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = n01(rng);
  const Histogram h = computeHistogram(x, 8, -4, 4);
  const double n = double(x.size());
  for (int k = 0; k < 8; ++k) {
    const double a = -4 + k, b = a + 1;
    double p = 0.5 * (std::erf(b / std::sqrt(2.0)) - std::erf(a / std::sqrt(2.0)));
    if (k == 0) p += 0.5 * std::erfc(4 / std::sqrt(2.0));  // the clamped tails
    if (k == 7) p += 0.5 * std::erfc(4 / std::sqrt(2.0));
    const double sigma = std::sqrt(n * p * (1 - p));
    EXPECT_NEAR(h.counts[k], n * p, 5 * sigma + 1) << "bin " << k;
  }
}

TEST(Histogram, DegenerateRangesNeverLeaveTheCountsArray) {
  // Each case once produced a NaN bin index: a span so small its reciprocal overflows float
  // (a gradient of 1e-40), infinite bounds from a diverged layer, NaN bounds.
  const float tiny = 1e-40f;  // denormal
  struct Case {
    Matrix values;
    double lo, hi;
  };
  const std::vector<Case> cases = {
      {row({-tiny, 0.f, tiny}), -double(tiny), double(tiny)},
      {row({-tiny, tiny}), -1e-300, 1e-300},
      {row({1.f, 2.f, 3.f}), -std::numeric_limits<double>::infinity(),
       std::numeric_limits<double>::infinity()},
      {row({1.f, kInf, -kInf, kNaN, 3.f}), -std::numeric_limits<double>::infinity(),
       std::numeric_limits<double>::infinity()},
      {row({1.f, 2.f}), std::nan(""), 1.0},
      {row({3e38f, -3e38f, 0.f}), 0, 0},
      {row({3e38f, -3e38f, 0.f}), -3.4e38, 3.4e38},
      {row({kNaN, kNaN}), 0, 0},
      {row({7.f, 7.f, 7.f}), 7, 7 + 1e-30},
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Case& k = cases[c];
    const Histogram h = computeHistogram(k.values, 10, k.lo, k.hi);
    ASSERT_EQ(h.counts.size(), 10u) << "case " << c;
    EXPECT_EQ(total(h), std::uint64_t(k.values.size())) << "case " << c;
    EXPECT_TRUE(std::isfinite(h.lo) && std::isfinite(h.hi) && h.lo < h.hi) << "case " << c;
  }
}

TEST(Moments, HugeFiniteValuesDoNotOverflow) {
  const Moments m = computeMoments(row({3e38f, -3e38f, 3e38f, -3e38f}));
  EXPECT_DOUBLE_EQ(m.mean, 0.0);
  EXPECT_NEAR(m.std, 3e38, 1e32);
}

}  // namespace
}  // namespace layerscope
