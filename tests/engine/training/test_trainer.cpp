// The trainer end to end: convergence, determinism, probes that change nothing, divergence.
#include <gtest/gtest.h>

#include <cmath>

#include "common/experiments.h"
#include "compute_threads.h"
#include "errors.h"
#include "model/loss.h"
#include "training/optimizer.h"
#include "data/source.h"
#include "io/onnx_export.h"
#include "io/onnx_import.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

using testing::spiral2d;

TEST(Training, SpiralReachesHighTrainingAccuracy) {
  Trainer trainer(spiral2d());
  const RunSummary r = trainer.run();
  EXPECT_FALSE(r.diverged);
  EXPECT_GT(r.trainAccuracy, 0.95);
  EXPECT_GT(r.validationAccuracy, 0.9);
  EXPECT_EQ(r.steps, 60 * 15);  // 480 training samples / 32 per batch = 15 batches an epoch
  EXPECT_EQ(trainer.epochsDone(), 60);
}

TEST(Training, LossDecreasesOnSeparableBlobs) {
  ExperimentConfig c;
  testing::withData(c, "blobs", 400, 5, 3);
  c.model.depth = 1;
  c.model.width = 16;
  c.train.learningRate = 0.1;
  c.train.batchSize = 400;  // full batch: gradient descent, the loss must fall every step
  c.train.steps = 40;
  c.stats.every = 0;
  Trainer trainer(c);
  double previous = 1e9;
  int increases = 0;
  for (int i = 0; i < 40; ++i) {
    const StepResult s = trainer.trainStep();
    if (s.loss > previous) ++increases;
    previous = s.loss;
  }
  EXPECT_LE(increases, 1);
  EXPECT_LT(previous, 0.3);
}

TEST(Training, SameSeedSameNumbers) {
  ExperimentConfig c = spiral2d();
  c.train.epochs = 3;
  c.model.dropout = 0.2;
  c.model.batchNorm = true;
  c.stats.every = 10;
  std::vector<double> a, b;
  Trainer t1(c), t2(c);
  t1.run([&](const StatsSnapshot& s) { a.push_back(s.layers[2].activation.std); });
  t2.run([&](const StatsSnapshot& s) { b.push_back(s.layers[2].activation.std); });
  EXPECT_EQ(a, b);
  EXPECT_EQ(t1.network().parameters(), t2.network().parameters());
  c.train.seed = 2;
  Trainer t3(c);
  t3.run();
  EXPECT_NE(t1.network().parameters(), t3.network().parameters());
}

TEST(Training, TheThreadCountChangesNoBit) {
  // Wide enough that the hidden products go to the machine's GEMM kernel (engine/gemm.h), where
  // threads split the work: each output value must still be computed by one thread in one order.
  ExperimentConfig c = spiral2d();
  c.model.width = 160;
  c.model.depth = 3;
  c.train.batchSize = 64;
  c.model.dropout = 0.2;
  c.model.batchNorm = true;
  std::vector<Vector> weights;
  for (const int threads : {1, 2, 3, 7}) {
    c.train.threads = threads;
    Trainer t(c);
    for (int i = 0; i < 50; ++i) t.trainStep();
    weights.push_back(t.network().parameters());
  }
  setComputeThreads(1);
  for (size_t i = 1; i < weights.size(); ++i) EXPECT_EQ(weights[i], weights[0]) << "run " << i;
}

TEST(Training, ProbesChangeNothing) {
  // With dropout and batch norm, a probe that drew from the training RNG or moved the running
  // averages would change the trajectory.
  ExperimentConfig c = spiral2d();
  c.train.epochs = 2;
  c.model.dropout = 0.3;
  c.model.batchNorm = true;
  c.stats.every = 0;
  Trainer quiet(c);
  quiet.run();
  c.stats.every = 1;
  c.stats.probeTrainingMode = true;
  Trainer probed(c);
  int probes = 0;
  probed.run([&](const StatsSnapshot&) { ++probes; });
  EXPECT_GT(probes, 20);
  EXPECT_EQ(quiet.network().parameters(), probed.network().parameters());
}

// ||W_after - W_before|| / ||W_before|| of one SGD step, for each dense layer's weights, from
// parameter copies taken around the step.
std::vector<double> oneStepRatios(Trainer& t) {
  const Vector before = t.network().parameters();
  t.trainStep();
  const Vector& after = t.network().parameters();
  std::vector<double> ratios;
  for (const Network::ParameterBlock& b : t.network().parameterBlocks()) {
    if (b.info.name != "W") continue;
    const Eigen::Index len = b.info.rows * b.info.cols;
    const auto w0 = before.segment(b.info.offset, len);
    ratios.push_back((after.segment(b.info.offset, len) - w0).norm() / w0.norm());
  }
  return ratios;
}

TEST(Training, UpdateRatioIsThatOfOneStepWhoeverAsksAndWhenever) {
  // The app probes on a clock, not on the trainer's cadence (stats.every = 0 here): the ratio a
  // probe reports must be that of one recent update, never of all the steps since the last
  // scheduled probe (which once made it 100x too large, or NaN before the first schedule).
  ExperimentConfig c = spiral2d();
  c.train.optimizer = "sgd";
  c.train.learningRate = 0.05;
  Trainer t(c);
  EXPECT_TRUE(std::isnan(t.probe().layers[1].updateRatio));  // no update yet
  const std::vector<double> first = oneStepRatios(t);  // step 1 is measured
  StatsSnapshot s = t.probe();
  ASSERT_EQ(first.size(), 3u);
  for (int l = 1; l <= 3; ++l) EXPECT_NEAR(s.layers[l].updateRatio, first[l - 1], 1e-6 * first[l - 1]);
  // 40 steps later: a single step's ratio (measured within the last 16 steps), the same order
  // as one step now, far from the 40-step change.
  for (int i = 0; i < 40; ++i) t.trainStep();
  const std::vector<double> now = oneStepRatios(t);
  s = t.probe();
  for (int l = 1; l <= 3; ++l) {
    EXPECT_GT(s.layers[l].updateRatio, 0.2 * now[l - 1]) << "layer " << l;
    EXPECT_LT(s.layers[l].updateRatio, 5.0 * now[l - 1]) << "layer " << l;
  }
  // With a schedule, the probe after step k reports exactly step k's update.
  c.stats.every = 7;
  Trainer scheduled(c);
  for (int i = 0; i < 13; ++i) scheduled.trainStep();
  const std::vector<double> step14 = oneStepRatios(scheduled);
  s = scheduled.probe();
  for (int l = 1; l <= 3; ++l) EXPECT_NEAR(s.layers[l].updateRatio, step14[l - 1], 1e-6 * step14[l - 1]);
}

TEST(Training, DivergenceIsDetectedAndLocated) {
  ExperimentConfig c = spiral2d();
  c.model.activation = "linear";
  c.model.init = "normal";
  c.model.initStd = 3.0;
  c.model.depth = 8;
  c.train.optimizer = "sgd";
  c.train.learningRate = 50.0;
  c.train.epochs = 50;
  Trainer trainer(c);
  const RunSummary r = trainer.run();
  EXPECT_TRUE(r.diverged);
  EXPECT_LT(r.steps, 50 * 15);
  EXPECT_NE(r.divergence.find("diverged at step " + std::to_string(r.steps)), std::string::npos)
      << r.divergence;
  EXPECT_NE(r.divergence.find("layer"), std::string::npos) << r.divergence;
}

TEST(Training, StepsZeroProbesTheInitialNetworkOnly) {
  ExperimentConfig c = spiral2d();
  c.train.steps = 0;
  c.stats.every = -1;
  Trainer trainer(c);
  int probes = 0;
  const RunSummary r = trainer.run([&](const StatsSnapshot& s) {
    ++probes;
    EXPECT_EQ(s.step, 0);
    EXPECT_EQ(s.decision.resolution, 64);  // 2-D data: decision regions
  });
  EXPECT_EQ(probes, 1);
  EXPECT_EQ(r.steps, 0);
}

TEST(Training, AutoCadenceKeepsProbesRare) {
  ExperimentConfig c;  // 10 x 500 on 800 training samples, batch 128
  Trainer trainer(c);
  // A full probe of 800 samples (+ 200 validation / 3) costs ~6.8 batches, ~9.5 with the
  // statistics: at 1.5% every ~630 steps.
  EXPECT_GT(trainer.fullStatsEvery(), 400);
  // The light probes in between (8 + 8 samples and the weight statistics: ~0.8 batches here)
  // stay within 1%.
  EXPECT_GE(trainer.statsEvery(), 80);
  EXPECT_LT(trainer.statsEvery(), trainer.fullStatsEvery());
}

TEST(Loss, SoftmaxCrossEntropyByHand) {
  Matrix logits(3, 2);
  logits << 1, 0, 2, 0, 3, 0;
  const int labels[2] = {2, 1};
  Matrix p, grad;
  const LossResult r = softmaxCrossEntropy(logits, labels, p, &grad);
  // column 0: softmax(1, 2, 3) -> -log p2 = log(e + e^2 + e^3) - 3; column 1: log 3.
  const double expected = 0.5 * ((std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3) + std::log(3.0));
  EXPECT_NEAR(r.loss, expected, 1e-6);
  EXPECT_EQ(r.correct, 1);  // column 1 is a tie: argmax is class 0
  EXPECT_NEAR(grad(2, 0), (p(2, 0) - 1) / 2, 1e-7);
  EXPECT_NEAR(grad(0, 1), (1.0 / 3) / 2, 1e-7);
  // Huge logits do not overflow.
  logits << 1000, -1000, 0, 0, -1000, 1000;
  const LossResult big = softmaxCrossEntropy(logits, labels, p, &grad);
  EXPECT_TRUE(std::isfinite(big.loss));
  EXPECT_NEAR(big.loss, 0.5 * (2000 + 1000), 1e-3);
}

TEST(Optimizer, OneStepOfEachAgainstItsFormula) {
  TrainConfig c;
  c.learningRate = 0.1;
  Vector g(2);
  g << 1, -2;
  for (const char* name : {"sgd", "momentum", "nesterov", "adam"}) {
    c.optimizer = name;
    auto opt = makeOptimizer(c, 2);
    Vector p = Vector::Zero(2);
    opt->step(p, g);
    opt->step(p, g);
    Vector expected(2);
    const std::string n = name;
    if (n == "sgd") expected = -0.2 * g;                    // two steps of -lr g
    if (n == "momentum") expected = -0.1 * (g + 1.9 * g);   // v1 = g, v2 = 1.9 g
    if (n == "nesterov") expected = -0.1 * ((g + 0.9 * g) + (g + 0.9 * 1.9 * g));
    if (n == "adam") expected = -0.2 * g.cwiseSign();        // bias-corrected: lr sign(g) each step
    EXPECT_TRUE(p.isApprox(expected, 1e-5)) << name << ": " << p.transpose();
  }
  c.optimizer = "rmsprop";
  EXPECT_THROW(makeOptimizer(c, 2), InputError);
}

}  // namespace
}  // namespace layerscope

namespace layerscope {
namespace {

TEST(Training, ContinuesFromAnModelState) {
  ExperimentConfig c = spiral2d();
  c.train.epochs = 30;
  c.model.batchNorm = true;
  Trainer trained(c);
  const RunSummary before = trained.run();
  const std::string path = ::testing::TempDir() + "/continue.onnx";
  exportOnnx(path, trained.network(), trained.preprocessor(), c);
  const ModelState model = importOnnx(path);

  // Same data (same seed): the imported network predicts exactly as the trained one.
  ExperimentConfig again = c;
  again.model = ModelConfig();  // the model's own architecture must win over the config's
  again.train.steps = 0;
  Trainer inspected(again, loadData(again.data, again.train.seed), model);
  EXPECT_NEAR(inspected.summary().trainAccuracy, before.trainAccuracy, 1e-9);
  EXPECT_TRUE(inspected.network().model().batchNorm);

  // Wrong number of features is refused with a reason.
  ExperimentConfig other = c;
  other.data.source = "blobs";
  other.data.features = 5;
  EXPECT_THROW(Trainer(other, loadData(other.data, 1), model), InputError);
}

}  // namespace
}  // namespace layerscope
