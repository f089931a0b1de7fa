// Settings at the edges of their ranges, at the engine level: each row of the table in
// tests/common/extreme_settings.h given to a Trainer, which must have the row's outcome (train to
// finite numbers, diverge and say so, or refuse with an InputError naming the field); never a
// crash, a NaN passed off as a result, or a hang. Small data and few steps: the whole file runs
// in a few seconds. The CLI and UI levels of the same rows: tests/app/test_cli_extremes.cpp,
// tests/ui/test_config_panel_extremes.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/extreme_settings.h"
#include "config.h"
#include "errors.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

using testing::ExtremeRow;
using testing::Outcome;
using testing::tinyGaussian;

struct Result {
  bool refused = false;
  std::string reason;  // the InputError, or the divergence
  RunSummary summary;
  std::vector<StatsSnapshot> snapshots;
};

// Trains to the end; an InputError is a refusal, any other exception fails the test.
Result trainOrRefuse(const ExperimentConfig& config) {
  Result r;
  try {
    Trainer trainer(config);
    r.summary = trainer.run([&](const StatsSnapshot& s) { r.snapshots.push_back(s); });
    r.reason = r.summary.divergence;
  } catch (const InputError& error) {
    r.refused = true;
    r.reason = error.what();
  }
  return r;
}

void expectTrainsFinite(const Result& r) {
  ASSERT_FALSE(r.refused) << r.reason;
  EXPECT_FALSE(r.summary.diverged) << r.summary.divergence;
  EXPECT_TRUE(std::isfinite(r.summary.finalLoss)) << r.summary.finalLoss;
  EXPECT_TRUE(std::isfinite(r.summary.trainAccuracy));
  EXPECT_GE(r.summary.trainAccuracy, 0.0);
  EXPECT_LE(r.summary.trainAccuracy, 1.0);
  for (const StatsSnapshot& s : r.snapshots) {
    for (const LayerStats& l : s.layers) {
      EXPECT_TRUE(std::isfinite(l.activation.mean) && std::isfinite(l.activation.std))
          << "step " << s.step << " layer " << l.layer;
    }
  }
}

// Runs a row and checks its outcome; returns what happened for the row-specific checks.
Result expectOutcome(const ExtremeRow& row) {
  SCOPED_TRACE(testing::describe(row));
  const Result r = trainOrRefuse(testing::experimentOf(row));
  switch (row.outcome) {
    case Outcome::Trains:
      expectTrainsFinite(r);
      break;
    case Outcome::Diverges:
      EXPECT_FALSE(r.refused) << r.reason;
      EXPECT_TRUE(r.summary.diverged) << "trained to loss " << r.summary.finalLoss;
      EXPECT_NE(r.summary.divergence.find("diverged"), std::string::npos) << r.summary.divergence;
      break;
    case Outcome::Refused:
      EXPECT_TRUE(r.refused) << "expected a refusal naming " << testing::refusalNames(row);
      EXPECT_NE(r.reason.find(testing::refusalNames(row)), std::string::npos) << r.reason;
      break;
  }
  return r;
}

// Every row of `group` that runs at the engine level; at least one.
std::vector<Result> expectGroup(const std::string& group) {
  const std::vector<ExtremeRow> rows = testing::extremeRows(group, testing::Engine);
  EXPECT_FALSE(rows.empty()) << group;
  std::vector<Result> results;
  for (const ExtremeRow& row : rows) results.push_back(expectOutcome(row));
  return results;
}

TEST(ExtremeSettings, DepthOneAndDepthHundred) {
  const std::vector<Result> r = expectGroup("depth");
  ASSERT_GE(r.size(), 2u);
  ASSERT_FALSE(r[1].snapshots.empty());
  EXPECT_EQ(r[1].snapshots.back().layers.size(), 102u);  // input, 100 hidden, output
}

TEST(ExtremeSettings, DepthZeroIsLogisticRegression) { expectGroup("depth0"); }

TEST(ExtremeSettings, WidthOneAndWidth4096) { expectGroup("width"); }

TEST(ExtremeSettings, WidthAndDepthBeyondTheParameterBoundAreRefused) {
  expectGroup("parameters");
}

TEST(ExtremeSettings, ManyLayersThroughWidthsAreBoundedLikeDepth) {
  // depth is capped at 1000 hidden layers; a widths list is the same thing spelled out and
  // must be capped too (an experiment file may hold a list of 100 000 ones).
  expectGroup("widths");
}

TEST(ExtremeSettings, BatchLargerThanTheData) {
  const std::vector<Result> r = expectGroup("batch");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0].summary.steps, 3);  // one (whole-set) batch per epoch
}

TEST(ExtremeSettings, LearningRateZeroChangesNothing) {
  expectGroup("lr0");
  ExperimentConfig c = tinyGaussian();
  c.train.learningRate = 0.0;
  Trainer trainer(c);
  const Vector before = trainer.network().parameters();
  const RunSummary r = trainer.run();
  EXPECT_FALSE(r.diverged);
  EXPECT_EQ(r.steps, 4);
  EXPECT_TRUE(trainer.network().parameters() == before) << "lr 0 moved the weights";
}

TEST(ExtremeSettings, LearningRateHundredWithEveryOptimizer) { expectGroup("lr100"); }

TEST(ExtremeSettings, InfiniteNaNOrHugeSettingsAreRefused) {
  // The CLI refuses non-finite numbers, the JSON format cannot hold them; the UI or a library
  // caller still can pass them to the engine, whose schema limits refuse them by name.
  expectGroup("nonfinite");
}

TEST(ExtremeSettings, DropoutZeroAndNinetyNinePercent) { expectGroup("dropout"); }

TEST(ExtremeSettings, OneClass) {
  const std::vector<Result> r = expectGroup("classes");
  ASSERT_FALSE(r.empty());
  EXPECT_DOUBLE_EQ(r[0].summary.trainAccuracy, 1.0);  // one class: every prediction is right
}

TEST(ExtremeSettings, ConstantFeaturesWithStandardizeStayFinite) {
  DataSplits data;
  data.train.x = Matrix::Constant(4, 20, 3.5f);  // std 0 in every feature
  data.train.x.row(1).setConstant(-1e30f);        // a huge constant: std 0, mean -1e30
  for (int j = 0; j < 20; ++j) data.train.y.push_back(j % 2);
  data.train.classes = 2;
  ExperimentConfig c = tinyGaussian();
  c.data.preprocess = "standardize";
  Trainer trainer(c, data);
  EXPECT_TRUE(trainer.data().train.x.allFinite());
  EXPECT_TRUE(trainer.probeInputs().allFinite());
  const RunSummary r = trainer.run();
  EXPECT_FALSE(r.diverged) << r.divergence;
  EXPECT_TRUE(std::isfinite(r.finalLoss));
}

TEST(ExtremeSettings, OneSample) { expectGroup("samples"); }

TEST(ExtremeSettings, BatchNormWithBatchOfOne) {
  // Batch statistics of one sample: var 0, so (x - mean) / sqrt(0 + eps) = 0: finite.
  expectGroup("batchnorm");
}

// threads 0 is "auto": the physical cores (compute_threads.h); it trains like any count.
TEST(ExtremeSettings, AutoThreadsTrains) { expectGroup("threads"); }

TEST(ExtremeSettings, ZeroStepsAndTinyStatistics) {
  const std::vector<Result> r = expectGroup("zerosteps");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0].summary.steps, 0);
  EXPECT_FALSE(r[0].snapshots.empty());
}

TEST(ExtremeSettings, OutOfRangeValuesAreRefusedByName) { expectGroup("range"); }

}  // namespace
}  // namespace layerscope
