// Percentiles read back from a fixed-grid histogram (training/histogram_percentiles.h), against
// the exact percentiles of the samples the histogram counted.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "training/histogram_percentiles.h"
#include "training/stats.h"

namespace layerscope {
namespace {

Matrix normalSamples(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Matrix m(1, n);
  for (int i = 0; i < n; ++i) m(0, i) = normal(rng);
  return m;
}

// The q-quantile of the samples, interpolated between order statistics.
double sampleQuantile(const Matrix& m, double q) {
  std::vector<double> v(m.data(), m.data() + m.size());
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const std::size_t i = static_cast<std::size_t>(std::floor(pos));
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (pos - double(i)) * (v[i + 1] - v[i]);
}

std::vector<double> bandFractions() {
  return {kBandFractions.begin(), kBandFractions.end()};
}

TEST(HistogramPercentiles, MatchTheSamplesOfANormalDistribution) {
  const Matrix x = normalSamples(200000, 7);
  HistogramGrid grid;
  const Histogram h = binOnGrid(x, grid, 50, BinningRule{});
  const Moments m = computeMoments(x);
  const std::vector<double> p = histogramPercentiles(h, m.min, m.max, bandFractions());
  ASSERT_EQ(p.size(), 9u);
  EXPECT_EQ(p.front(), m.min);
  EXPECT_EQ(p.back(), m.max);
  // Interior bands: within a small part of a bin of the samples' own percentiles (a reading one
  // bin off, or off by the bin's half width, fails), and near the normal's +-0.5, 1, 1.5.
  const double normal[] = {-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5};
  for (int i = 1; i < 8; ++i) {
    SCOPED_TRACE(kBandFractions[i]);
    EXPECT_NEAR(p[i], sampleQuantile(x, kBandFractions[i]), 0.1 * h.width);
    EXPECT_NEAR(p[i], normal[i - 1], 0.02);
  }
}

TEST(HistogramPercentiles, AreOrdered) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    Matrix x = normalSamples(2000, 100 + trial);
    // Some with exact zeros (a ReLU layer), some shifted, some heavy-tailed.
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    const float zeroFraction = trial % 3 == 0 ? u(rng) : 0.0f;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      if (u(rng) < zeroFraction) x.data()[i] = 0.0f;
      else x.data()[i] = x.data()[i] * (1.0f + float(trial)) + float(trial % 5) - 2.0f;
    }
    HistogramGrid grid;
    const Histogram h = binOnGrid(x, grid, 1 + trial, BinningRule{});
    const Moments m = computeMoments(x);
    const std::array<double, 9> p = percentileBands(h, m.min, m.max);
    for (int i = 0; i + 1 < 9; ++i) EXPECT_LE(p[i], p[i + 1]) << "trial " << trial << " band " << i;
  }
}

TEST(HistogramPercentiles, CountExactZerosAsAPointMassAtZero) {
  // A ReLU layer: max(0, z), z ~ N(0, 1): half the values are exactly 0.
  Matrix x = normalSamples(100000, 11);
  x = x.cwiseMax(0.0f);
  HistogramGrid grid;
  const Histogram h = binOnGrid(x, grid, 40, BinningRule{});
  ASSERT_GT(h.zeros, 40000u);
  const Moments m = computeMoments(x);
  const std::array<double, 9> p = percentileBands(h, m.min, m.max);
  // Min through the 31% band are the dead outputs, exactly 0; the median is just about 0.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(p[i], 0.0) << i;
  EXPECT_NEAR(p[4], 0.0, 0.02);
  // Above: quantiles of the half-normal: P(a <= v) = 0.5 + (Phi(v) - 0.5) for v > 0.
  for (int i = 5; i < 8; ++i) EXPECT_NEAR(p[i], sampleQuantile(x, kBandFractions[i]), 0.1 * h.width);
}

TEST(HistogramPercentiles, SpreadOffGridValuesBetweenTheGridAndTheExtremes) {
  // A grid laid by an early probe over [-1, 1]; later values reach much further. binOnGrid
  // extends the grid to the robust range only, so the outer 0.5% on each side are off grid.
  Matrix x = normalSamples(50000, 5);
  x *= 10.0f;
  HistogramGrid grid;
  const Histogram h = binOnGrid(x, grid, 30, BinningRule{});
  ASSERT_GT(h.underflow, 0u);
  ASSERT_GT(h.overflow, 0u);
  const Moments m = computeMoments(x);
  const double total = double(x.size());
  const double qUnder = 0.5 * double(h.underflow) / total, qOver = 1.0 - 0.5 * double(h.overflow) / total;
  const std::vector<double> p = histogramPercentiles(h, m.min, m.max, {0.0, qUnder, qOver, 1.0});
  EXPECT_EQ(p[0], m.min);
  EXPECT_EQ(p[3], m.max);
  // Halfway through the underflow: halfway between min and the grid's bottom edge.
  EXPECT_NEAR(p[1], 0.5 * (m.min + h.lo), 1e-9 * std::abs(m.min));
  EXPECT_NEAR(p[2], 0.5 * (h.hi + m.max), 1e-9 * std::abs(m.max));
}

TEST(HistogramPercentiles, UniformBinsGiveLinearPercentiles) {
  Histogram h;
  h.origin = 0.0;
  h.width = 0.5;
  h.first = -2;  // bins [-1, -0.5), ..., [0.5, 1]
  h.counts = {10, 10, 10, 10};
  h.lo = -1.0;
  h.hi = 1.0;
  const std::vector<double> p =
      histogramPercentiles(h, std::nan(""), std::nan(""), {0.0, 0.1, 0.25, 0.5, 0.9, 1.0});
  const double expected[] = {-1.0, -0.8, -0.5, 0.0, 0.8, 1.0};
  for (int i = 0; i < 6; ++i) EXPECT_DOUBLE_EQ(p[i], expected[i]) << i;
}

TEST(HistogramPercentiles, EmptyHistogramGivesNaN) {
  Histogram h;
  h.nonFinite = 12;
  for (double v : percentileBands(h, std::nan(""), std::nan(""))) EXPECT_TRUE(std::isnan(v));
}

}  // namespace
}  // namespace layerscope
