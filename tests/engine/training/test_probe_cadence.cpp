// The automatic probe cadence (stats.stats_every = auto, training/trainer.h): every run gets at
// least kMinProbes probes spread over its steps, however fast it trains, with full probes at
// the ends and light ones in between; probing changes nothing in the run.
#include <gtest/gtest.h>

#include "common/experiments.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <vector>

#include "config.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

using testing::spiral2x32;  // tests/common/experiments.h

TEST(ProbeCadence, A7200StepSpiralRunGetsAtLeast200ProbesSpreadOverItsSteps) {
  Trainer trainer(spiral2x32(7200));
  std::vector<long> steps;
  std::vector<bool> full;
  long stepResults = 0, lastStep = 0;
  trainer.run(
      [&](const StatsSnapshot& s) {
        steps.push_back(s.step);
        full.push_back(!s.decision.classIndex.empty());
      },
      {},
      [&](const StepResult& r) {
        ++stepResults;
        EXPECT_EQ(r.step, lastStep + 1);  // every step, in order
        lastStep = r.step;
      });
  EXPECT_EQ(stepResults, 7200);
  const std::set<long> distinct(steps.begin(), steps.end());
  EXPECT_GE(distinct.size(), 200u);
  EXPECT_EQ(distinct.size(), steps.size());
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.front(), 0);
  EXPECT_EQ(steps.back(), 7200);
  long gap = 0;
  for (size_t i = 1; i < steps.size(); ++i) gap = std::max(gap, steps[i] - steps[i - 1]);
  EXPECT_LE(gap, 7200 / 200);  // spread evenly, not bunched
  // The first and the last probes are full (the decision grid of 2-D data); most are light.
  EXPECT_TRUE(full.front());
  EXPECT_TRUE(full.back());
  EXPECT_GT(std::count(full.begin(), full.end(), false), 150);
}

TEST(ProbeCadence, ARunShorterThan200StepsIsProbedAtEveryStep) {
  Trainer trainer(spiral2x32(50));
  long probes = 0;
  trainer.run([&](const StatsSnapshot&) { ++probes; });
  EXPECT_EQ(probes, 51);  // step 0 and each of the 50 steps
}

TEST(ProbeCadence, LightProbesMeasureTheSameQuantitiesOnSmallerSubsets) {
  Trainer trainer(spiral2x32(7200));
  ASSERT_LT(trainer.statsEvery(), trainer.fullStatsEvery());
  for (int i = 0; i < 100; ++i) trainer.trainStep();
  const StatsSnapshot full = trainer.probe(ProbeDepth::Full);
  const StatsSnapshot light = trainer.probe(ProbeDepth::Light);
  ASSERT_EQ(full.layers.size(), light.layers.size());
  EXPECT_EQ(full.decision.resolution, 64);
  EXPECT_TRUE(light.decision.classIndex.empty());
  // Subsets of the same data through the same network: close, not equal.
  EXPECT_NEAR(light.validationAccuracy, full.validationAccuracy, 0.25);
  EXPECT_NEAR(light.probeAccuracy, full.probeAccuracy, 0.25);
  for (size_t l = 1; l < full.layers.size(); ++l) {
    EXPECT_GT(light.layers[l].activation.std, 0.3 * full.layers[l].activation.std) << l;
    EXPECT_LT(light.layers[l].activation.std, 3.0 * full.layers[l].activation.std) << l;
    // Weights are the same whatever the probe batch.
    EXPECT_DOUBLE_EQ(light.layers[l].weightStd, full.layers[l].weightStd) << l;
  }
}

TEST(ProbeCadence, ProbingChangesNothingWhateverTheCadence) {
  // Bit-identical final weights and loss with no probes, the automatic cadence (light and full
  // probes) and a probe after every step.
  std::vector<Vector> weights;
  std::vector<double> losses;
  for (long every : {0L, -1L, 1L}) {
    ExperimentConfig c = spiral2x32(600);
    c.model.dropout = 0.2;
    c.stats.every = every;
    Trainer t(c);
    const RunSummary r = t.run([](const StatsSnapshot&) {});
    weights.push_back(t.network().parameters());
    losses.push_back(r.finalLoss);
  }
  EXPECT_EQ(weights[0], weights[1]);
  EXPECT_EQ(weights[0], weights[2]);
  EXPECT_EQ(losses[0], losses[1]);
  EXPECT_EQ(losses[0], losses[2]);
}

TEST(ProbeCadence, TheArticleNetKeepsItsProbesWithinTheBudget) {
  ExperimentConfig c;  // 10 x 500 tanh, 800 training samples, batch 128
  c.train.steps = 1000;
  Trainer t(c);
  // A full probe costs 1.4 (800 + 200 / 3) / 128 = 9.479 steps: 1.5% of training time or less.
  EXPECT_LE(9.47 / t.fullStatsEvery(), 0.015);
  // Light probes of 8 + 8 samples cost ~0.8 steps (the weight statistics dominate): within 1%.
  EXPECT_LE(0.8 / t.statsEvery(), 0.01);
  EXPECT_GE(1000 / t.statsEvery(), 10);  // still many more probes than the full ones alone
}

}  // namespace
}  // namespace layerscope

namespace layerscope {
namespace {

// A light probe does not measure validation: on the default 10 x 500 run its subset was 8
// samples, which read 0.50 while the whole split read 0.26, a sawtooth in the validation curve.
// It repeats the last full probe's numbers and says it is light (StatsSnapshot::light).
using testing::spiral2x32;
// Collects each probe's validation numbers and whether they were repeated.
struct ValidationTrace {
  int repeated = 0, measured = 0;
};

ValidationTrace traceValidation(Trainer& trainer) {
  ValidationTrace t;
  double lastLoss = 0, lastAccuracy = 0;
  trainer.run([&](const StatsSnapshot& s) {
    if (s.validationRepeated) {
      ++t.repeated;
      EXPECT_EQ(s.validationLoss, lastLoss) << "step " << s.step;
      EXPECT_EQ(s.validationAccuracy, lastAccuracy) << "step " << s.step;
    } else {
      ++t.measured;
      lastLoss = s.validationLoss;
      lastAccuracy = s.validationAccuracy;
    }
  });
  return t;
}

TEST(ProbeCadence, LightProbesRepeatTheLastValidationUnlessTheWholeSplitCostsNothing) {
  // A 4 x 128 net: its whole validation split (200 samples x 66 K weights) is not negligible,
  // so light probes repeat.
  ExperimentConfig wide;
  testing::withData(wide, "gaussian", 1000, 128, 10);
  wide.model.depth = 4;
  wide.model.width = 128;
  wide.train.batchSize = 32;
  wide.train.steps = 2000;
  wide.stats.every = -1;
  Trainer a(wide);
  ASSERT_LT(a.statsEvery(), a.fullStatsEvery()) << "this run should get light probes";
  const ValidationTrace t = traceValidation(a);
  std::printf("repeated %d measured %d\n", t.repeated, t.measured);
  EXPECT_GE(t.repeated, 5);
  EXPECT_GE(t.measured, 2);  // step 0 and the last step, at least

  // The 2 x 32 spiral: the whole split costs nothing, every probe measures it.
  Trainer b(spiral2x32(2000));
  ASSERT_LT(b.statsEvery(), b.fullStatsEvery());
  const ValidationTrace u = traceValidation(b);
  EXPECT_EQ(u.repeated, 0);
  EXPECT_GE(u.measured, 100);
}

}  // namespace
}  // namespace layerscope
