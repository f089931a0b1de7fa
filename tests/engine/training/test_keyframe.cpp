// Keyframes (training/keyframe.h): a Trainer restored from a keyframe continues exactly as the
// run it was taken from, bit for bit: every step's loss, the probes, the parameters and the
// batch-norm running statistics. Each optimizer is run with dropout and batch norm on (every
// random stream a step draws) and probed in training mode (the probes' own dropout stream).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "model/layers/batch_norm.h"
#include "test_helpers.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

constexpr long kSteps = 60;
constexpr long kKeyframeStep = 37;  // mid-epoch: 160 samples in batches of 24 are 7 per epoch

ExperimentConfig small(const std::string& optimizer) {
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
  c.train.steps = kSteps;
  c.stats.every = 5;
  c.stats.probeTrainingMode = true;  // probes draw their own dropout masks
  return c;
}

// What a run did from some step on: each step's loss and epoch, each probe's numbers.
struct Trace {
  std::vector<double> losses;
  std::vector<int> epochs;
  std::vector<StatsSnapshot> probes;
};

// Probes when due (before the first step too), keeping a keyframe after step `keyframeAt`.
Trace trainToEnd(Trainer& t, long keyframeAt = -1, Keyframe* keyframe = nullptr) {
  Trace trace;
  if (t.probeDue()) trace.probes.push_back(t.probe(t.dueProbeDepth()));
  while (!t.finished()) {
    const StepResult r = t.trainStep();
    trace.losses.push_back(r.loss);
    trace.epochs.push_back(r.epoch);
    if (r.step == keyframeAt && keyframe) *keyframe = t.keyframe();
    if (t.probeDue()) trace.probes.push_back(t.probe(t.dueProbeDepth()));
  }
  return trace;
}

// Bit for bit, NaN included (the input layer's gradient std is NaN).
bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool sameBits(const Vector& a, const Vector& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(Scalar)) == 0;
}

void expectSameState(Trainer& a, Trainer& b) {
  EXPECT_TRUE(sameBits(a.network().parameters(), b.network().parameters()));
  int batchNorms = 0;
  for (size_t i = 0; i < a.network().layers().size(); ++i)
    if (auto* bnA = dynamic_cast<BatchNorm*>(a.network().layers()[i].get())) {
      auto* bnB = dynamic_cast<BatchNorm*>(b.network().layers()[i].get());
      ASSERT_NE(bnB, nullptr);
      EXPECT_TRUE(sameBits(bnA->runningMean(), bnB->runningMean()));
      EXPECT_TRUE(sameBits(bnA->runningVar(), bnB->runningVar()));
      ++batchNorms;
    }
  EXPECT_EQ(batchNorms, 2);
}

// The probes after the keyframe: the same numbers, histograms bin for bin.
void expectSameProbes(const std::vector<StatsSnapshot>& a, const std::vector<StatsSnapshot>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].step, b[i].step);
    EXPECT_TRUE(same(a[i].trainLoss, b[i].trainLoss)) << "probe at step " << a[i].step;
    EXPECT_TRUE(same(a[i].probeLoss, b[i].probeLoss)) << "probe at step " << a[i].step;
    EXPECT_TRUE(same(a[i].validationLoss, b[i].validationLoss));
    ASSERT_EQ(a[i].layers.size(), b[i].layers.size());
    for (size_t l = 0; l < a[i].layers.size(); ++l) {
      const LayerStats &x = a[i].layers[l], &y = b[i].layers[l];
      EXPECT_TRUE(same(x.activation.std, y.activation.std));
      EXPECT_TRUE(same(x.gradientStd, y.gradientStd));
      EXPECT_TRUE(same(x.updateRatio, y.updateRatio)) << "step " << a[i].step << " layer " << l;
      EXPECT_EQ(x.activationHistogram.counts, y.activationHistogram.counts);
      EXPECT_EQ(x.activationHistogram.first, y.activationHistogram.first);
      EXPECT_EQ(x.weightGradientHistogram.counts, y.weightGradientHistogram.counts);
    }
  }
}

std::vector<StatsSnapshot> probesAfter(const std::vector<StatsSnapshot>& probes, long step) {
  std::vector<StatsSnapshot> after;
  for (const StatsSnapshot& s : probes)
    if (s.step >= step) after.push_back(s);
  return after;
}

TEST(Keyframe, ABranchFromAKeyframeContinuesTheRunBitForBit) {
  for (const char* optimizer : {"sgd", "momentum", "nesterov", "adam"}) {
    SCOPED_TRACE(optimizer);
    const ExperimentConfig c = small(optimizer);
    Trainer a(c);
    Keyframe k;
    const Trace runA = trainToEnd(a, kKeyframeStep, &k);
    ASSERT_EQ(k.step, kKeyframeStep);
    ASSERT_EQ(long(runA.losses.size()), kSteps);

    Trainer b(c);
    b.restore(k);
    EXPECT_EQ(b.stepsDone(), kKeyframeStep);
    EXPECT_EQ(b.epochsDone(), runA.epochs[kKeyframeStep - 1]);
    const Trace runB = trainToEnd(b);
    ASSERT_EQ(long(runB.losses.size()), kSteps - kKeyframeStep);
    for (long i = 0; i < kSteps - kKeyframeStep; ++i) {
      EXPECT_EQ(runA.losses[size_t(kKeyframeStep + i)], runB.losses[size_t(i)])
          << "step " << kKeyframeStep + i + 1;
      EXPECT_EQ(runA.epochs[size_t(kKeyframeStep + i)], runB.epochs[size_t(i)]);
    }
    expectSameState(a, b);
    expectSameProbes(probesAfter(runA.probes, kKeyframeStep), runB.probes);
  }
}

TEST(Keyframe, RestoringAnEarlierKeyframeRewindsExactly) {
  const ExperimentConfig c = small("adam");
  Trainer a(c);
  Keyframe k;
  const Trace first = trainToEnd(a, kKeyframeStep, &k);
  const Vector finalParameters = a.network().parameters();
  ASSERT_TRUE(a.finished());
  a.restore(k);  // back from step kSteps to kKeyframeStep
  EXPECT_FALSE(a.finished());
  const Trace again = trainToEnd(a);
  ASSERT_EQ(long(again.losses.size()), kSteps - kKeyframeStep);
  for (size_t i = 0; i < again.losses.size(); ++i)
    EXPECT_EQ(first.losses[size_t(kKeyframeStep) + i], again.losses[i]);
  EXPECT_TRUE(sameBits(finalParameters, a.network().parameters()));
  expectSameProbes(probesAfter(first.probes, kKeyframeStep), again.probes);
}

TEST(Keyframe, ABranchWithAnotherLearningRateDiffersAfterTheKeyframe) {
  const ExperimentConfig c = small("momentum");
  Trainer a(c);
  Keyframe k;
  const Trace runA = trainToEnd(a, kKeyframeStep, &k);
  ExperimentConfig faster = c;
  faster.train.learningRate = 0.1;
  Trainer b(faster);
  b.restore(k);
  const Trace runB = trainToEnd(b);
  // The first step after the keyframe sees the same parameters and batch; its update differs.
  EXPECT_EQ(runA.losses[size_t(kKeyframeStep)], runB.losses[0]);
  EXPECT_NE(runA.losses[size_t(kKeyframeStep) + 1], runB.losses[1]);
  EXPECT_FALSE(sameBits(a.network().parameters(), b.network().parameters()));
  EXPECT_EQ(b.config().train.learningRate, 0.1);  // the branch keeps its own settings
}

TEST(Keyframe, AMidEpochKeyframeContinuesTheSameBatchOrder) {
  const ExperimentConfig c = small("sgd");
  Trainer a(c);
  Keyframe k;
  const Trace runA = trainToEnd(a, kKeyframeStep, &k);
  // 37 batches of 24 into epochs of 160 samples: 5 epochs done, 2 batches into the sixth.
  EXPECT_EQ(k.epoch, 5);
  EXPECT_EQ(k.position, 48);
  EXPECT_EQ(k.order.size(), 160u);
  Trainer b(c);
  b.restore(k);
  const Trace runB = trainToEnd(b);
  // The epoch ends on the same step, after the same five remaining batches.
  for (size_t i = 0; i < runB.epochs.size(); ++i)
    EXPECT_EQ(runA.epochs[size_t(kKeyframeStep) + i], runB.epochs[i]);
  EXPECT_EQ(runA.losses[size_t(kKeyframeStep)], runB.losses[0]);
  EXPECT_EQ(runA.losses.back(), runB.losses.back());
}

TEST(Keyframe, AnotherOptimizerKindStartsWithFreshState) {
  Trainer a(small("adam"));
  Keyframe k;
  trainToEnd(a, kKeyframeStep, &k);
  ASSERT_EQ(k.optimizer.kind, "adam");
  // Into a momentum run: the same as a keyframe with no optimizer state at all.
  Trainer b(small("momentum")), c(small("momentum"));
  b.restore(k);
  Keyframe stateless = k;
  stateless.optimizer = OptimizerState{};
  c.restore(stateless);
  const Trace runB = trainToEnd(b), runC = trainToEnd(c);
  EXPECT_EQ(runB.losses, runC.losses);
  EXPECT_TRUE(sameBits(b.network().parameters(), c.network().parameters()));
}

TEST(Keyframe, AKeyframeOfAnotherNetworkOrDataIsRefusedAndChangesNothing) {
  Trainer a(small("sgd"));
  Keyframe k;
  trainToEnd(a, kKeyframeStep, &k);

  ExperimentConfig wider = small("sgd");
  wider.model.width = 13;
  Trainer b(wider);
  const Vector before = b.network().parameters();
  const std::string message = testing::errorOf([&] { b.restore(k); });
  EXPECT_NE(message.find("keyframe: it is of the network 6 > dense 12"), std::string::npos)
      << message;
  EXPECT_NE(message.find("dense 13"), std::string::npos) << message;
  EXPECT_EQ(b.stepsDone(), 0);
  EXPECT_TRUE(sameBits(before, b.network().parameters()));

  ExperimentConfig noDropout = small("sgd");
  noDropout.model.dropout = 0.0;
  Trainer c(noDropout);
  EXPECT_NE(testing::errorOf([&] { c.restore(k); }).find("keyframe:"), std::string::npos);

  ExperimentConfig moreData = small("sgd");
  moreData.data.samples = 300;
  Trainer d(moreData);
  EXPECT_NE(testing::errorOf([&] { d.restore(k); }).find("training split of 160 samples"),
            std::string::npos);

  Keyframe damaged = k;
  damaged.shuffleRng = "not a random state";
  Trainer e(small("sgd"));
  EXPECT_NE(testing::errorOf([&] { e.restore(damaged); }).find("random state is damaged"),
            std::string::npos);
  damaged = k;
  damaged.order[0] = damaged.order[1];
  EXPECT_NE(testing::errorOf([&] { e.restore(damaged); }).find("not a permutation"),
            std::string::npos);
}

TEST(Keyframe, BytesCountTheParametersAndTheOptimizerState) {
  Trainer a(small("adam"));
  trainToEnd(a, -1);
  const Keyframe k = a.keyframe();
  const size_t parameterBytes = size_t(k.parameters.size()) * sizeof(Scalar);
  EXPECT_GE(k.bytes(), 3 * parameterBytes + k.order.size() * sizeof(int));
  EXPECT_LT(k.bytes(), 3 * parameterBytes + 64 * 1024);
}

}  // namespace
}  // namespace layerscope
