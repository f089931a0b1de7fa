// Histograms on a run-long grid (training/stats.h, binOnGrid): one set of bin edges per layer
// and quantity for a whole run, robust ranges, overflow and exact zeros counted apart.
#include <gtest/gtest.h>

#include "common/experiments.h"

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "io/stats_io.h"
#include "training/stats.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

ExperimentConfig smallRun(const std::string& activation, const std::string& init, double std = 0.01) {
  ExperimentConfig c;
  testing::withData(c, "blobs", 400, 16, 3);
  testing::withNetwork(c, 4, 48, activation, init, std);
  c.train.batchSize = 32;
  c.train.steps = 60;
  c.train.learningRate = 0.2;
  c.stats.every = 10;
  c.stats.probeSize = 200;
  c.stats.histogramBins = 30;
  return c;
}

std::vector<StatsSnapshot> runAll(const ExperimentConfig& c) {
  Trainer t(c);
  std::vector<StatsSnapshot> out;
  t.run([&](const StatsSnapshot& s) { out.push_back(s); });
  return out;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string f;
  while (std::getline(in, f, ',')) out.push_back(f);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

Matrix fromValues(const std::vector<float>& v) {
  Matrix m(1, static_cast<Eigen::Index>(v.size()));
  for (size_t i = 0; i < v.size(); ++i) m(0, static_cast<Eigen::Index>(i)) = v[i];
  return m;
}

}  // namespace

// The histograms CSV of a real run: per layer and quantity, one grid of fixed width for the
// whole run. A bin k has the same edges (as written) at every step, consecutive bins share
// their edge, and every bin is as wide as every other.
TEST(HistogramGrid, ARunsCsvHasOneFixedWidthGridPerLayerAndQuantity) {
  for (const auto& [activation, init] : {std::pair{"relu", "he_normal"}, std::pair{"tanh", "xavier_normal"}}) {
    const std::vector<StatsSnapshot> snapshots = runAll(smallRun(activation, init));
    ASSERT_GE(snapshots.size(), 5u);
    std::stringstream csv(statsHistogramsCsv(snapshots));
    std::string line;
    std::getline(csv, line);
    ASSERT_EQ(line, "step,layer,quantity,bin,lo,hi,count");
    // (layer, quantity) -> bin -> (lo, hi) text; and per (step, layer, quantity) the bins seen.
    std::map<std::pair<std::string, std::string>, std::map<long, std::pair<std::string, std::string>>> edges;
    std::map<std::pair<std::string, std::string>, double> width;
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<long>> perProbe;
    std::set<std::string> quantities;
    while (std::getline(csv, line)) {
      const std::vector<std::string> f = fields(line);
      ASSERT_EQ(f.size(), 7u) << line;
      if (f[3].empty()) continue;  // off the grid: underflow, overflow, exact zeros
      quantities.insert(f[2]);
      const auto key = std::make_pair(f[1], f[2]);
      const long k = std::stol(f[3]);
      auto [it, inserted] = edges[key].emplace(k, std::make_pair(f[4], f[5]));
      if (!inserted) {
        EXPECT_EQ(it->second.first, f[4]) << "step " << f[0] << " layer " << f[1] << " " << f[2] << " bin " << k;
        EXPECT_EQ(it->second.second, f[5]) << "step " << f[0] << " layer " << f[1] << " " << f[2] << " bin " << k;
      }
      const double w = std::stod(f[5]) - std::stod(f[4]);
      auto [wit, first] = width.emplace(key, w);
      if (!first) {
        EXPECT_NEAR(w, wit->second, 1e-6 * std::abs(wit->second) + 1e-30) << line;
      }
      perProbe[{f[0], f[1], f[2]}].push_back(k);
    }
    EXPECT_EQ(quantities, (std::set<std::string>{"activation", "pre_activation", "gradient",
                                                 "weight", "weight_gradient"}));
    for (const auto& [key, bins] : perProbe) {
      // A probe's bins are consecutive grid indices ...
      for (size_t i = 1; i < bins.size(); ++i) ASSERT_EQ(bins[i], bins[i - 1] + 1);
    }
    for (const auto& [key, byBin] : edges) {
      // ... and neighbouring bins share their edge, written the same.
      for (auto it = byBin.begin(); std::next(it) != byBin.end(); ++it)
        if (std::next(it)->first == it->first + 1) {
          EXPECT_EQ(it->second.second, std::next(it)->second.first) << key.first << " " << key.second;
        }
    }
  }
}

// Probing does not change the run: the moments of a run probed every 10 steps equal those of the
// same run probed only at its end.
TEST(HistogramGrid, BinningChangesNoNumberOfTheRun) {
  ExperimentConfig c = smallRun("relu", "he_normal");
  const StatsSnapshot often = runAll(c).back();
  c.stats.every = 60;
  const StatsSnapshot rarely = runAll(c).back();
  ASSERT_EQ(often.layers.size(), rarely.layers.size());
  for (size_t l = 1; l < often.layers.size(); ++l) {  // layer 0, the input, has no gradient
    EXPECT_EQ(often.layers[l].activation.std, rarely.layers[l].activation.std);
    EXPECT_EQ(often.layers[l].gradientStd, rarely.layers[l].gradientStd);
  }
}

// tanh with N(0, 1) weights saturates: most of each hidden layer's values are in the two end
// bins of [-1, 1], and nothing falls off the grid.
TEST(HistogramGrid, SaturatedTanhPilesUpInTheEndBins) {
  ExperimentConfig c = smallRun("tanh", "normal", 1.0);
  c.model.width = 200;
  Trainer t(c);
  const StatsSnapshot s = t.probe();
  for (const LayerStats& l : s.layers) {
    if (l.kind != "hidden") continue;
    const Histogram& h = l.activationHistogram;
    EXPECT_TRUE(h.fixedRange);
    EXPECT_EQ(h.lo, -1.0);
    EXPECT_EQ(h.hi, 1.0);
    EXPECT_EQ(h.underflow + h.overflow, 0u);
    EXPECT_GT(double(h.counts.front() + h.counts.back()), 0.6 * double(h.total())) << l.layer;
  }
}

// ReLU's exact zeros are counted apart, and every value is counted once.
TEST(HistogramGrid, ReluZerosAreTheirOwnCount) {
  Trainer t(smallRun("relu", "he_normal"));
  const StatsSnapshot s = t.probe();
  for (const LayerStats& l : s.layers) {
    if (l.kind != "hidden") continue;
    const Histogram& h = l.activationHistogram;
    const std::uint64_t n = std::uint64_t(l.units) * 200;
    EXPECT_EQ(h.total(), n);
    EXPECT_NEAR(double(h.zeros) / double(n), l.deadFraction, 1e-12);
    EXPECT_GT(h.zeros, n / 4);  // about half of a He-initialized ReLU layer is 0
    EXPECT_GE(h.lo, 0.0);       // the positive values' grid starts at 0, an edge
  }
}

// A few huge values do not stretch the grid: it spans the robust range, they are overflow.
TEST(HistogramGrid, OutliersAreOverflowNotRange) {
  std::vector<float> v;
  for (int i = 0; i < 20000; ++i) v.push_back(float(std::sin(i * 0.37) * 2.0));  // in [-2, 2]
  v[17] = 1e6f;
  v[4242] = -3e5f;
  HistogramGrid g;
  const Histogram h = binOnGrid(fromValues(v), g, 40, BinningRule{});
  EXPECT_LE(h.hi, 2.2);
  EXPECT_GE(h.lo, -2.2);
  EXPECT_GE(h.overflow, 1u);
  EXPECT_GE(h.underflow, 1u);
  EXPECT_EQ(h.total(), v.size());
  EXPECT_NEAR(h.width, 4.0 / 40, 0.01);
}

// A growing range extends the grid by whole bins: width and origin stay, old edges stay.
TEST(HistogramGrid, GrowingRangeExtendsByWholeBins) {
  HistogramGrid g;
  std::vector<float> narrow, wide;
  for (int i = 0; i < 5000; ++i) {
    narrow.push_back(float(std::sin(i * 0.11)));
    wide.push_back(float(3.0 * std::sin(i * 0.11)));
  }
  const Histogram a = binOnGrid(fromValues(narrow), g, 20, BinningRule{});
  const Histogram b = binOnGrid(fromValues(wide), g, 20, BinningRule{});
  const Histogram c = binOnGrid(fromValues(narrow), g, 20, BinningRule{});  // never shrinks
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.origin, b.origin);
  EXPECT_LT(b.first, a.first);
  EXPECT_GT(b.counts.size(), a.counts.size());
  EXPECT_EQ(b.edge(a.first), a.lo);  // a's first edge is one of b's
  EXPECT_EQ(c.lo, b.lo);
  EXPECT_EQ(c.hi, b.hi);
  EXPECT_EQ(c.underflow + c.overflow, 0u);  // the narrow values lie inside the wider grid
  // A grid that would exceed kMaxGridBins merges pairs: every new edge is an old one.
  std::vector<float> huge = narrow;
  for (float& x : huge) x *= 1e4f;
  const Histogram d = binOnGrid(fromValues(huge), g, 20, BinningRule{});
  EXPECT_LE(long(d.counts.size()), kMaxGridBins);
  const double ratio = d.width / a.width;
  EXPECT_EQ(ratio, std::exp2(std::round(std::log2(ratio))));  // a power of two
  EXPECT_EQ(d.origin, a.origin);
}

// A layer whose every value is exactly 0 (zeros init): no grid to lay, every value in `zeros`.
TEST(HistogramGrid, AllZerosHaveNoBinsButAreCounted) {
  HistogramGrid g;
  const Histogram h = binOnGrid(Matrix::Zero(4, 8), g, 10, BinningRule{});
  EXPECT_TRUE(h.counts.empty());
  EXPECT_EQ(h.zeros, 32u);
  EXPECT_EQ(h.total(), 32u);
}

}  // namespace layerscope
