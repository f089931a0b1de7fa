// Findings (analysis/findings.h): each problem named with its layers and its number, on the
// article's 10 x 500 tanh network at step 0 under several initializations and on a hand-made
// snapshot.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "analysis/findings.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

bool anyContains(const std::vector<std::string>& lines, const std::string& word) {
  for (const std::string& line : lines)
    if (line.find(word) != std::string::npos) return true;
  return false;
}

void print(const std::string& label, const std::vector<std::string>& lines) {
  std::printf("%s findings:\n", label.c_str());
  for (const std::string& line : lines) std::printf("  %s\n", line.c_str());
}

TEST(TheoryFindings, NameTheProblemWithItsNumber) {
  ExperimentConfig c;
  c.data.validationFraction = 0.0;
  c.train.steps = 0;
  c.stats.every = 1;

  c.model.init = "xavier_normal";
  const auto healthy = findings(Trainer(c).probe(), c);
  print("xavier", healthy);
  EXPECT_TRUE(healthy.empty());

  c.model.init = "normal";
  c.model.initStd = 0.01;
  const auto small = findings(Trainer(c).probe(), c);
  print("normal(0.01)", small);
  EXPECT_TRUE(anyContains(small, "layer 10: activations have collapsed: std "));
  EXPECT_TRUE(anyContains(small, "orders of magnitude below layer 1"));
  EXPECT_TRUE(anyContains(small, "gradients vanish towards the input: dL/da in layer 1 has std "));

  c.model.initStd = 1.0;
  const auto large = findings(Trainer(c).probe(), c);
  print("normal(1)", large);
  EXPECT_TRUE(anyContains(large, "layers 1-10: "));
  EXPECT_TRUE(anyContains(large, "of tanh activations saturated at ±1 (|a| > 0.99)"));

  c.model.init = "zeros";
  const auto zeros = findings(Trainer(c).probe(), c);
  print("zeros", zeros);
  EXPECT_TRUE(anyContains(zeros, "every unit in layers 1-10 computes the same output"));

  // A hand-made snapshot: dead ReLU units in layer 4 only.
  StatsSnapshot s;
  for (int l = 0; l <= 5; ++l) {
    LayerStats ls;
    ls.layer = l;
    ls.kind = l == 0 ? "input" : l == 5 ? "output" : "hidden";
    ls.activation.std = 1.0;
    ls.gradientStd = 1.0;
    ls.deadUnitFraction = l == 4 ? 0.37 : 0.0;
    s.layers.push_back(ls);
  }
  ExperimentConfig relu;
  relu.model.activation = "relu";
  const auto dead = findings(s, relu);
  print("hand-made relu", dead);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].rfind("layer 4: 37% of ReLU units are dead (0 for every probe sample)", 0), 0u);
}

// Rank collapse: named by layer, with the value and the threshold crossed, and silent where the
// bound is too small to tell (a light probe on 8 samples). The hand-made snapshot has no input
// histogram, so no probe size: its low gradient SNR is not judged.
TEST(TheoryFindings, RankCollapseNamesLayerValueAndThreshold) {
  StatsSnapshot s;
  for (int l = 0; l <= 9; ++l) {
    LayerStats ls;
    ls.layer = l;
    ls.kind = l == 0 ? "input" : l == 9 ? "output" : "hidden";
    ls.activation.std = 0.5;
    ls.gradientStd = 1.0;
    ls.effectiveRank = 120.0;  // healthy: 47% of 255
    ls.effectiveRankNormalized = 120.0 / 255;
    ls.gradientSnr = 0.3;
    if (l == 7) ls.effectiveRank = 3.1, ls.effectiveRankNormalized = 3.1 / 255;
    if (l == 2) ls.gradientSnr = 0.0001;
    if (l == 5) ls.effectiveRank = 0.2, ls.effectiveRankNormalized = 0.2 / 7;  // 8 samples
    s.layers.push_back(ls);
  }
  ExperimentConfig c;
  const auto found = findings(s, c);
  print("hand-made rank", found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "layer 7: effective rank 3.1 of at most 255 (1.2%): its units carry nearly "
                      "the same signal (rank collapse, below 5%).");
  // Just above the threshold: nothing.
  s.layers[7].effectiveRankNormalized = 0.051;
  s.layers[7].effectiveRank = 0.051 * 255;
  EXPECT_TRUE(findings(s, c).empty());
}

// Gradient noise: a layer whose gradient SNR is at the floor 1/N of N examples with nothing in
// common is named with its value and the threshold. On the article's net at step 0 the saturated
// N(0, 1) layers are there (0.99 to 1.02 / N measured), Xavier's are not (1.3 to 1.7 / N).
TEST(TheoryFindings, GradientNoiseNamesTheLayersAtTheFloorOfNExamples) {
  ExperimentConfig c;
  c.data.validationFraction = 0.0;
  c.train.steps = 0;
  c.stats.every = 1;
  c.model.init = "normal";
  c.model.initStd = 1.0;
  const StatsSnapshot large = Trainer(c).probe();
  ASSERT_EQ(probeSamples(large), 1000);
  const auto noisy = findings(large, c);
  print("normal(1)", noisy);
  EXPECT_TRUE(anyContains(noisy, "layers 1-10: the per-example gradients of W show no common "
                                 "direction: gradient SNR 0.000"));
  EXPECT_TRUE(anyContains(noisy, "against 1/N = 0.001 for N = 1000 probe samples with nothing in "
                                 "common (threshold 1.1/N): even their mean has a signal under a "
                                 "tenth of its noise, and the mean over a training batch of 128 "
                                 "less still."));
  c.model.init = "xavier_normal";
  EXPECT_FALSE(anyContains(findings(Trainer(c).probe(), c), "no common direction"));

  // Hand-made: 400 probe samples (the input histogram holds 8 x 400 values), threshold 1.1/400.
  StatsSnapshot s;
  for (int l = 0; l <= 4; ++l) {
    LayerStats ls;
    ls.layer = l;
    ls.kind = l == 0 ? "input" : l == 4 ? "output" : "hidden";
    ls.units = 8;
    ls.activation.std = 0.5;
    ls.gradientStd = 1.0;
    ls.gradientSnr = 0.01;
    s.layers.push_back(ls);
  }
  s.layers[0].activationHistogram.counts = {3000, 200};
  s.layers[2].gradientSnr = 1.04 / 400;
  s.layers[3].gradientSnr = 0.5 / 400;  // below the floor: the examples' gradients cancel
  ExperimentConfig small;
  small.train.batchSize = 100;
  ASSERT_EQ(probeSamples(s), 400);
  const auto found = findings(s, small);
  print("hand-made snr", found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "layers 2-3: the per-example gradients of W show no common direction: "
                      "gradient SNR 0.00125 to 0.0026 against 1/N = 0.0025 for N = 400 probe "
                      "samples with nothing in common (threshold 1.1/N): even their mean has a "
                      "signal under a tenth of its noise, and the mean over a training batch of "
                      "100 less still.");
  // Below 1/N in every layer of the run: they cancel (as near a minimum), said so.
  s.layers[2].gradientSnr = 0.9 / 400;
  const auto cancel = findings(s, small);
  ASSERT_EQ(cancel.size(), 1u);
  EXPECT_EQ(cancel[0], "layers 2-3: the per-example gradients of W cancel out: gradient SNR "
                       "0.00125 to 0.00225, below 1/N = 0.0025, what N = 400 probe samples with "
                       "nothing in common give: their mean is shorter than that, as near a "
                       "stationary point of the loss on these samples, and the mean over a "
                       "training batch of 100 is mostly noise.");
  // Just above the threshold: nothing.
  s.layers[2].gradientSnr = 1.15 / 400;
  s.layers[3].gradientSnr = 1.15 / 400;
  EXPECT_TRUE(findings(s, small).empty());
  // A probe smaller than a training batch cannot speak for the batch: nothing.
  s.layers[2].gradientSnr = 1.0 / 400;
  EXPECT_EQ(findings(s, small).size(), 1u);
  small.train.batchSize = 401;
  EXPECT_TRUE(findings(s, small).empty());
}

}  // namespace
}  // namespace layerscope
