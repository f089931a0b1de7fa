// Runs that go on: a finished run extended by raising its epochs or steps (SettingEffect::Extends
// in engine/settings/schema.h, Trainer::setPlannedSteps), and a diverged run resumed from the
// last finite parameters (Trainer::resumeFromLastFinite).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "settings/schema.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

// Small, but with every random stream a step draws: shuffling, dropout masks, batch norm.
ExperimentConfig small(const std::string& optimizer = "adam") {
  ExperimentConfig c;
  c.data.source = "blobs";
  c.data.samples = 200;
  c.data.features = 6;
  c.data.classes = 3;
  c.model.depth = 2;
  c.model.width = 12;
  c.model.dropout = 0.2;
  c.model.batchNorm = true;
  c.train.optimizer = optimizer;
  c.train.learningRate = 0.01;
  c.train.batchSize = 24;  // 160 training samples: a short last batch each epoch
  c.train.steps = 100;
  c.stats.every = -1;
  return c;
}

void runToEnd(Trainer& t) {
  while (!t.finished()) {
    t.trainStep();
    if (t.probeDue()) t.probe(t.dueProbeDepth());  // probes must change nothing
  }
}

TEST(TrainerExtends, EpochsAndStepsDoNotNeedANewRun) {
  ExperimentConfig a = small(), b = small();
  b.train.steps = 300;
  EXPECT_FALSE(needsRestart(a, b));
  b = a;
  b.train.steps = -1;
  b.train.epochs = 40;
  EXPECT_FALSE(needsRestart(a, b));
  EXPECT_EQ(findSetting("train.steps")->effect, SettingEffect::Extends);
  EXPECT_EQ(findSetting("train.epochs")->effect, SettingEffect::Extends);
}

TEST(TrainerExtends, ARunExtendedFrom100To200StepsEqualsA200StepRun) {
  for (const char* optimizer : {"sgd", "momentum", "adam"}) {
    ExperimentConfig c = small(optimizer);
    Trainer extended(c);
    runToEnd(extended);
    ASSERT_TRUE(extended.finished());
    ASSERT_EQ(extended.stepsDone(), 100);
    ExperimentConfig longer = c;
    longer.train.steps = 200;
    extended.applyLiveSettings(longer);
    EXPECT_FALSE(extended.finished()) << optimizer;
    EXPECT_EQ(extended.plannedSteps(), 200);
    runToEnd(extended);

    Trainer straight(longer);
    runToEnd(straight);
    ASSERT_EQ(extended.stepsDone(), 200);
    ASSERT_EQ(straight.stepsDone(), 200);
    EXPECT_TRUE(extended.network().parameters() == straight.network().parameters())
        << optimizer << ": the extended run differs from the 200-step run";
    EXPECT_TRUE(sameExperiment(extended.config(), straight.config()));
  }
}

TEST(TrainerExtends, RaisingEpochsExtendsByWholeEpochs) {
  ExperimentConfig c = small();
  c.train.steps = -1;
  c.train.epochs = 2;
  Trainer extended(c);
  runToEnd(extended);
  ExperimentConfig more = c;
  more.train.epochs = 5;
  extended.applyLiveSettings(more);
  runToEnd(extended);
  Trainer straight(more);
  runToEnd(straight);
  EXPECT_EQ(extended.stepsDone(), straight.stepsDone());
  EXPECT_EQ(extended.epochsDone(), 5);
  EXPECT_TRUE(extended.network().parameters() == straight.network().parameters());
}

TEST(TrainerExtends, LoweringBelowTheStepsDoneEndsTheRunThere) {
  ExperimentConfig c = small();
  Trainer t(c);
  for (int i = 0; i < 50; ++i) t.trainStep();
  ExperimentConfig shorter = c;
  shorter.train.steps = 30;
  t.applyLiveSettings(shorter);
  EXPECT_TRUE(t.finished());
  EXPECT_FALSE(t.diverged());
  EXPECT_EQ(t.plannedSteps(), 50);
  EXPECT_EQ(t.stepsDone(), 50);
  shorter.train.steps = 60;  // and raised again, it goes on
  t.applyLiveSettings(shorter);
  runToEnd(t);
  EXPECT_EQ(t.stepsDone(), 60);
}

// Unbounded (ReLU, no batch norm), so a huge learning rate overflows the activations.
ExperimentConfig divergent(const std::string& optimizer) {
  ExperimentConfig c = small(optimizer);
  c.model.activation = "relu";
  c.model.init = "he_normal";
  c.model.batchNorm = false;
  c.model.depth = 3;
  return c;
}

// Drives a run into divergence: 40 good steps, then a learning rate that sends the weights to
// infinity. Returns the step that diverged.
long diverge(Trainer& t) {
  for (int i = 0; i < 40; ++i) EXPECT_TRUE(t.trainStep().finite);
  t.setLearningRate(1e36);
  for (int i = 0; i < 20 && !t.diverged(); ++i) t.trainStep();
  EXPECT_TRUE(t.diverged());
  return t.stepsDone();
}

TEST(TrainerResume, ADivergedRunContinuesFromTheLastFiniteParameters) {
  for (const char* optimizer : {"sgd", "momentum", "adam"}) {
    ExperimentConfig c = divergent(optimizer);
    Trainer t(c);
    const long divergedAt = diverge(t);
    EXPECT_TRUE(t.finished());
    const long kept = t.lastFiniteStep();
    ASSERT_GE(kept, 0);
    ASSERT_LT(kept, divergedAt);
    EXPECT_GE(kept, 40 - Trainer::kFiniteStateEvery) << "a recent state is kept";

    t.setLearningRate(0.005);
    ASSERT_TRUE(t.resumeFromLastFinite()) << optimizer;
    EXPECT_FALSE(t.diverged());
    EXPECT_TRUE(t.divergence().empty());
    EXPECT_EQ(t.restoredFromStep(), kept);
    EXPECT_TRUE(t.network().parameters().allFinite());

    // The parameters restored are exactly those of step `kept` of the same run.
    Trainer reference(c);
    for (long i = 0; i < kept; ++i) {
      if (i == 40) reference.setLearningRate(1e36);  // the same schedule as diverge()
      reference.trainStep();
    }
    EXPECT_TRUE(t.network().parameters() == reference.network().parameters()) << optimizer;

    // Training goes on with the lowered learning rate, finite, counting on from divergedAt.
    for (int i = 0; i < 30; ++i) {
      const StepResult s = t.trainStep();
      EXPECT_TRUE(s.finite) << optimizer << " step " << s.step;
    }
    EXPECT_EQ(t.stepsDone(), divergedAt + 30);
    EXPECT_FALSE(t.diverged());
    const StatsSnapshot s = t.probe();
    EXPECT_FALSE(s.diverged);
    EXPECT_TRUE(std::isfinite(s.probeLoss));
  }
}

TEST(TrainerResume, NothingToReturnToWhenTheFirstLossIsNotFinite) {
  ExperimentConfig c = divergent("sgd");
  c.model.dropout = 0.0;
  c.model.depth = 8;
  c.model.init = "normal";
  c.model.initStd = 1e6;  // (1e6)^9 through nine layers: the first forward pass overflows
  Trainer t(c);
  t.trainStep();
  ASSERT_TRUE(t.diverged());
  EXPECT_FALSE(t.resumeFromLastFinite());
  EXPECT_TRUE(t.diverged());
}

// The cost of keeping the finite state, on the default 10 x 500 tanh net (batch 128): a copy of
// the parameters (and the optimizer's buffers) every kFiniteStateEvery steps. Held under 2% of
// training time.
TEST(TrainerResume, KeepingTheFiniteStateCostsUnderTwoPercentOfTraining) {
  for (const char* optimizer : {"sgd", "adam"}) {
    ExperimentConfig c;  // the default experiment: 10 x 500, 1000 samples of 500 features
    c.train.optimizer = optimizer;
    c.train.steps = 64;
    c.stats.every = 0;
    Trainer t(c);
    while (!t.finished()) t.trainStep();
    const double share = t.finiteStateSeconds() / t.trainSeconds();
    std::printf("[ cost     ] %s: keeping the finite state took %.2f ms of %.1f ms training "
                "(%.2f%%, %.2f ms per step)\n",
                optimizer, 1e3 * t.finiteStateSeconds(), 1e3 * t.trainSeconds(), 100 * share,
                1e3 * t.trainSeconds() / 64);
    // The target is 2% (measured alone: 0.8% sgd, 1.8% adam); ctest runs tests two at a time
    // on 2 cores, so timing here is noisy and the bound that fails the suite is looser.
    EXPECT_LT(share, 0.05) << optimizer;
  }
}

}  // namespace
}  // namespace layerscope
