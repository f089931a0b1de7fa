// The article's experiment: a 10-layer, 500-unit network fed 1000 N(0, 1) inputs, statistics of
// the freshly initialized network (steps 0), against the article's numbers and the theory.
#include <gtest/gtest.h>

#include "common/experiments.h"

#include <cmath>

#include "training/trainer.h"

namespace layerscope {
namespace {

StatsSnapshot initialStatistics(const std::string& activation, const std::string& init,
                                double initStd = 0.01) {
  ExperimentConfig c;  // defaults: gaussian 1000 x 500, 10 x 500, tanh
  c.data.validationFraction = 0.0;
  testing::withNetwork(c, 10, 500, activation, init, initStd);
  c.train.steps = 0;
  c.stats.every = 1;
  Trainer trainer(c);
  EXPECT_EQ(trainer.probeInputs().cols(), 1000);
  return trainer.probe();
}

TEST(ArticleExperiment, SmallRandomWeightsCollapseGeometrically) {
  const StatsSnapshot s = initialStatistics("tanh", "normal", 0.01);
  ASSERT_EQ(s.layers.size(), 12u);  // input, 10 hidden, logits
  // The article's figure: 0.21, 0.047, 0.011, ... In tanh's linear regime each layer multiplies
  // the std by 0.01 * sqrt(500) = 0.2236 (Var(sum of 500 w x) = 500 * 1e-4 * Var(x)).
  EXPECT_NEAR(s.layers[1].activation.std, 0.21, 0.01);
  EXPECT_NEAR(s.layers[2].activation.std, 0.047, 0.003);
  EXPECT_NEAR(s.layers[3].activation.std, 0.011, 0.001);
  const double factor = 0.01 * std::sqrt(500.0);
  for (int l = 3; l <= 10; ++l) {
    const double ratio = s.layers[l].activation.std / s.layers[l - 1].activation.std;
    EXPECT_NEAR(ratio, factor, 0.02 * factor) << "layer " << l;
    EXPECT_NEAR(s.layers[l].activation.mean, 0.0, 0.05 * s.layers[l].activation.std + 1e-12);
  }
  EXPECT_LT(s.layers[10].activation.std, 1e-5);
  // Gradients collapse towards the input as well: the input-side layers get the smallest.
  EXPECT_LT(s.layers[1].gradientStd, 1e-3 * s.layers[10].gradientStd);
}

TEST(ArticleExperiment, LargeRandomWeightsSaturateTanh) {
  const StatsSnapshot s = initialStatistics("tanh", "normal", 1.0);
  for (int l = 1; l <= 10; ++l) {
    EXPECT_GT(s.layers[l].saturatedFraction, 0.9) << "layer " << l;
    EXPECT_GT(s.layers[l].activation.std, 0.95) << "layer " << l;
  }
}

TEST(ArticleExperiment, XavierKeepsTanhHealthy) {
  const StatsSnapshot s = initialStatistics("tanh", "xavier_normal");
  for (int l = 1; l <= 10; ++l) {
    EXPECT_GT(s.layers[l].activation.std, 0.2) << "layer " << l;
    EXPECT_LT(s.layers[l].activation.std, 0.65) << "layer " << l;
    EXPECT_LT(s.layers[l].saturatedFraction, 0.05) << "layer " << l;
  }
}

// ReLU halves the second moment: E[relu(z)^2] = Var(z) / 2 for symmetric z. He's
// Var(W) = 2 / fan_in doubles it back; Xavier's 1 / fan_in (fan_in = fan_out) does not.
double secondMoment(const LayerStats& l) {
  return l.activation.std * l.activation.std + l.activation.mean * l.activation.mean;
}

// With 500 units the per-layer ratio of one weight draw fluctuates by ~10% (the probe inputs
// grow correlated with depth, so averaging over them does not help): the geometric mean over
// nine layers is the sharp test, each single layer a loose one.
double meanRatio(const StatsSnapshot& s) {
  return std::pow(secondMoment(s.layers[10]) / secondMoment(s.layers[1]), 1.0 / 9.0);
}

TEST(ArticleExperiment, HeKeepsReluStdConstant) {
  const StatsSnapshot s = initialStatistics("relu", "he_normal");
  EXPECT_NEAR(meanRatio(s), 1.0, 0.05);
  for (int l = 2; l <= 10; ++l) {
    const double ratio = secondMoment(s.layers[l]) / secondMoment(s.layers[l - 1]);
    EXPECT_NEAR(ratio, 1.0, 0.3) << "layer " << l;
    EXPECT_NEAR(s.layers[l].activation.std / s.layers[1].activation.std, 1.0, 0.5) << "layer " << l;
  }
  EXPECT_NEAR(s.layers[5].deadFraction, 0.5, 0.05);
}

TEST(ArticleExperiment, XavierHalvesReluVarianceEachLayer) {
  const StatsSnapshot s = initialStatistics("relu", "xavier_normal");
  EXPECT_NEAR(meanRatio(s), 0.5, 0.025);
  for (int l = 2; l <= 10; ++l) {
    const double ratio = secondMoment(s.layers[l]) / secondMoment(s.layers[l - 1]);
    EXPECT_NEAR(ratio, 0.5, 0.15) << "layer " << l;
  }
}

}  // namespace
}  // namespace layerscope
