#include <gtest/gtest.h>

#include <cmath>

#include "findings.h"

namespace layerscope {

namespace {
StatsSnapshot snapshotWith(int hidden, double (*std)(int), double saturated, double dead) {
  StatsSnapshot s;
  s.step = 10;
  LayerStats input;
  input.layer = 0;
  input.kind = "input";
  input.activation.std = 1;
  s.layers.push_back(input);
  for (int l = 1; l <= hidden; ++l) {
    LayerStats ls;
    ls.layer = l;
    ls.kind = "hidden";
    ls.activation.std = std(l);
    ls.saturatedFraction = l == 7 ? saturated : 0.0;
    ls.deadUnitFraction = l == 3 ? dead : 0.0;
    ls.gradientStd = 1e-3;
    s.layers.push_back(ls);
  }
  LayerStats out;
  out.layer = hidden + 1;
  out.kind = "output";
  s.layers.push_back(out);
  return s;
}
}  // namespace

TEST(Findings, SaturatedTanhLayerInPlainWordsWithTheNumber) {
  const auto s = snapshotWith(10, [](int) { return 0.98; }, 0.98, 0);
  const auto f = diagnose(s, "tanh");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].layer, 7);
  EXPECT_TRUE(f[0].text.startsWith("layer 7: 98% of tanh units saturated at ±1")) << f[0].text.toStdString();
}

TEST(Findings, CollapsedLayersAreGroupedWithTheSmallestStd) {
  // Each layer multiplies the std by 0.05: layer 4 is 1.25e-4 of layer 1's (< 1e-3).
  const auto s = snapshotWith(6, [](int l) { return 0.2 * std::pow(0.05, l - 1); }, 0, 0);
  const auto f = diagnose(s, "tanh");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].layer, 4);
  EXPECT_TRUE(f[0].text.startsWith("layers 4-6: activations collapsed")) << f[0].text.toStdString();
  EXPECT_TRUE(f[0].text.contains("6.25e-08")) << f[0].text.toStdString();
}

TEST(Findings, DeadReluUnitsOnlyForRelu) {
  const auto s = snapshotWith(4, [](int) { return 0.5; }, 0, 0.42);
  const auto relu = diagnose(s, "relu");
  ASSERT_EQ(relu.size(), 1u);
  EXPECT_TRUE(relu[0].text.startsWith("layer 3: 42% of ReLU units dead")) << relu[0].text.toStdString();
  EXPECT_TRUE(diagnose(s, "tanh").empty());
}

TEST(Findings, HealthyNetworkHasNoFindings) {
  EXPECT_TRUE(diagnose(snapshotWith(10, [](int) { return 0.6; }, 0.01, 0), "tanh").empty());
}

TEST(Findings, DivergenceIsReportedFirst) {
  auto s = snapshotWith(3, [](int) { return 0.6; }, 0, 0);
  s.diverged = true;
  s.divergence = "diverged at step 12: layer 2 has non-finite activations";
  const auto f = diagnose(s, "tanh");
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].severity, Finding::Problem);
  EXPECT_EQ(f[0].text.toStdString(), s.divergence);
}

}  // namespace layerscope
