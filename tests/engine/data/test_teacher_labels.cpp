// The default gaussian data's labels come from a teacher network drawn from the seed
// (data/generators.cpp): the inputs stay the article's N(0, 1) samples, so every activation
// statistic at step 0 is what it was with random labels, while the labels become learnable.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "data/generators.h"
#include "lab/run.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

GeneratorParams params(const std::string& labels) {
  GeneratorParams p;
  p.samples = 1000;
  p.features = 500;
  p.classes = 10;
  p.seed = 1;
  p.labels = labels;
  return p;
}

TEST(TeacherLabels, TheInputsAreTheSameAsWithRandomLabels) {
  const Dataset teacher = generateDataset("gaussian", params("teacher"));
  const Dataset random = generateDataset("gaussian", params("random"));
  EXPECT_TRUE(teacher.x == random.x);
  EXPECT_NE(teacher.y, random.y);
  EXPECT_EQ(generateDataset("gaussian", params("teacher")).y, teacher.y);  // from the seed
}

TEST(TeacherLabels, EveryClassIsAboutEquallyLikely) {
  const Dataset d = generateDataset("gaussian", params("teacher"));
  std::vector<int> count(10);
  for (int y : d.y) ++count[y];
  for (int c : count) {
    EXPECT_GT(c, 60);  // 100 expected: argmax of 10 i.i.d. projections is uniform
    EXPECT_LT(c, 140);
  }
}

TEST(TeacherLabels, ValidationAccuracyRisesAboveChanceOnlyWithTheTeacher) {
  for (std::uint64_t seed : {1u, 2u}) {
    double accuracy[2];
    for (int random = 0; random < 2; ++random) {
      ExperimentConfig c;
      c.data.labels = random ? "random" : "teacher";
      c.model.depth = 3;
      c.model.width = 100;
      c.train.optimizer = "adam";
      c.train.learningRate = 1e-3;
      c.train.seed = seed;
      c.stats.every = 0;
      auto run = startRun(c);
      accuracy[random] = run->run().validationAccuracy;
    }
    EXPECT_GE(accuracy[0], 0.5) << "seed " << seed;   // measured 0.70, 0.687
    EXPECT_LE(accuracy[1], 0.15) << "seed " << seed;  // chance 0.1; measured 0.09, 0.111
  }
}

TEST(TeacherLabels, TheDefaultExperimentEndsAtLeastThreeTimesChance) {
  // The default run: 10 x 500 tanh, Xavier, sgd 0.01, 6 epochs over 8,000 training samples
  // (10,000 drawn). With the article's 1,000 samples (800 to train on) 500 dimensions bound what
  // any learner reaches near 0.2-0.3; ten times the samples lift it (docs/ARCHITECTURE.md, "The
  // default data"). Measured on seeds 1-6: 0.426-0.452, chance 0.1; the former default
  // (1,000 samples, 20 epochs) ended at 0.195 and fails this.
  ExperimentConfig c;
  c.stats.every = 0;
  auto run = startRun(c);
  const RunSummary s = run->run();
  EXPECT_GE(s.validationAccuracy, 0.30);  // 3x chance
  // Not memorized: training and validation accuracy rise together (0.62 and 0.45).
  EXPECT_GT(s.trainAccuracy, 0.5);
  EXPECT_LT(s.trainAccuracy - s.validationAccuracy, 0.25);
}

}  // namespace
}  // namespace layerscope
