// Sweeps: the init-std sweep of a 10 x 100 tanh network at step 0 reproduces the article's
// story in one curve: the last layer's std grows with the init std, from collapse to saturation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "common/experiments.h"
#include "errors.h"
#include "lab/sweep.h"
#include "analysis/theory.h"

namespace layerscope {
namespace {

using testing::tanhStack10x100;

TEST(Sweep, LogSpace) {
  const std::vector<double> v = logSpace(1e-3, 1.0, 7);
  ASSERT_EQ(v.size(), 7u);
  EXPECT_EQ(v.front(), 1e-3);
  EXPECT_EQ(v.back(), 1.0);
  for (int i = 1; i < 7; ++i) EXPECT_NEAR(v[i] / v[i - 1], std::sqrt(10.0), 1e-12);
  EXPECT_EQ(logSpace(2.0, 5.0, 1), std::vector<double>{2.0});
  EXPECT_THROW(logSpace(0.0, 1.0, 3), InputError);
  EXPECT_THROW(logSpace(1.0, 2.0, 0), InputError);
  const std::vector<std::string> texts = sweepValues({1e-3, 0.1, std::sqrt(0.1)});
  EXPECT_EQ(texts[0], "0.001");
  EXPECT_EQ(texts[1], "0.1");
  EXPECT_EQ(std::strtod(texts[2].c_str(), nullptr), std::sqrt(0.1));
}

TEST(Sweep, InitStdFromCollapseToSaturation) {
  const std::vector<SweepPoint> points =
      runSweep(tanhStack10x100(), "init_std", sweepValues(logSpace(1e-3, 1.0, 7)));
  ASSERT_EQ(points.size(), 7u);
  double previous = 0.0;
  for (const SweepPoint& p : points) {
    const LayerStats& last = p.initial.layers[10];
    std::printf("%-28s last hidden std %.3g, saturated %.0f%%\n", p.label.c_str(),
                last.activation.std, 100 * last.saturatedFraction);
    EXPECT_GT(last.activation.std, previous) << p.label;
    previous = last.activation.std;
    // And it follows the theory (width 100: a few per cent per layer for one weight draw).
    ExperimentConfig c = tanhStack10x100();
    c.model.init = "normal";
    c.model.initStd = p.value;
    const auto predicted = predictSignalPropagation(c.model, 100, 1.0);
    EXPECT_NEAR(last.activation.std / predicted[10].std, 1.0, 0.15) << p.label;
    EXPECT_EQ(p.final.steps, 0);
  }
  EXPECT_EQ(points[0].label, "init_std = 0.001");
  EXPECT_EQ(points[1].label, "init_std = 0.00316");
  EXPECT_DOUBLE_EQ(points[0].value, 1e-3);
  // 0.001 * sqrt(100) = 0.01 per layer: ten layers take it to ~1e-20.
  EXPECT_LT(points[0].initial.layers[10].activation.std, 1e-15);
  // std 1: sigma_w^2 = 100, every layer saturated.
  EXPECT_GT(points[6].initial.layers[10].activation.std, 0.9);
  // q = 100 * E[a^2] ~ 100: |z| > atanh(0.99) = 2.65 for ~79% of the units.
  EXPECT_GT(points[6].initial.layers[10].saturatedFraction, 0.7);
}

TEST(Sweep, NamesAndTrainingAndCancel) {
  ExperimentConfig c = tanhStack10x100();
  c.model.depth = 2;
  c.model.width = 16;
  c.data.source = "moons";
  c.data.classes = 2;
  c.data.samples = 200;
  c.train.steps = 20;
  const auto points = runSweep(c, "init", {"xavier_normal", "zeros"});
  ASSERT_EQ(points.size(), 2u);
  EXPECT_TRUE(std::isnan(points[0].value));
  EXPECT_EQ(points[1].final.steps, 20);
  EXPECT_EQ(points[1].initial.layers[1].activation.std, 0.0);  // zeros
  EXPECT_GT(points[0].initial.layers[1].activation.std, 0.1);

  int polls = 0;
  const auto none = runSweep(c, "lr", {"0.1", "0.2"}, [&polls] { return ++polls > 5; });
  EXPECT_EQ(none.size(), 0u);  // cancelled inside the first run
  EXPECT_THROW(runSweep(c, "depth", {"3", "2.5"}), InputError);
  EXPECT_THROW(runSweep(c, "dropout", {"1.5"}), InputError);
  EXPECT_THROW(runSweep(c, "threads", {"2"}), InputError);  // not a sweepable setting
  EXPECT_EQ(runSweep(c, "momentum", {"0.5"}).size(), 1u);  // every sweepable schema row is
}

}  // namespace
}  // namespace layerscope
