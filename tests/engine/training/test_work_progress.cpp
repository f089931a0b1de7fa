// Long work reports its progress and can be cancelled (engine/progress.h): loading IDX and CSV
// files, standardizing, drawing the weights and the final evaluation. Each phase's fraction
// never goes back and ends at 1; a cancel stops the work at its next chunk and leaves nothing
// half-made (no Trainer, no partly filled data set).
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "test_helpers.h"
#include "data/csv_loader.h"
#include "data/idx_loader.h"
#include "lab/run.h"
#include "progress.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

struct Report {
  std::string phase;
  double fraction;
};

// Records every report; cancels once `cancelWhen` matches a report's phase.
struct Recorder {
  std::vector<Report> reports;
  std::string cancelWhen;  // a phase prefix; empty: never
  bool cancelling = false;
  std::chrono::steady_clock::time_point cancelledAt{};
  Progress progress() {
    Progress p;
    p.report = [this](const std::string& phase, double fraction) {
      reports.push_back({phase, fraction});
      if (!cancelling && !cancelWhen.empty() && phase.rfind(cancelWhen, 0) == 0) {
        cancelling = true;
        cancelledAt = std::chrono::steady_clock::now();
      }
    };
    p.cancelled = [this] { return cancelling; };
    return p;
  }
  // The reports of phases starting with `prefix`, in order.
  std::vector<double> fractionsOf(const std::string& prefix) const {
    std::vector<double> out;
    for (const Report& r : reports)
      if (r.phase.rfind(prefix, 0) == 0) out.push_back(r.fraction);
    return out;
  }
};

void expectMonotoneToOne(const std::vector<double>& fractions, const std::string& what) {
  ASSERT_FALSE(fractions.empty()) << what << ": no report";
  for (size_t i = 1; i < fractions.size(); ++i)
    EXPECT_GE(fractions[i], fractions[i - 1]) << what << " went back at report " << i;
  EXPECT_GE(fractions.front(), 0.0) << what;
  EXPECT_DOUBLE_EQ(fractions.back(), 1.0) << what << " did not reach 100%";
}

void appendBigEndian(std::string& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(char((value >> shift) & 0xff));
}

// An MNIST-layout folder of `count` 28 x 28 images (gzip), labels 0-9 in turn: 12 000 images are
// 9.4 MB of pixels, three of the loader's 4 MiB blocks.
void writeIdxFolder(const testing::TempDir& dir, std::uint32_t count) {
  std::string images, labels;
  appendBigEndian(images, 0x00000803);
  appendBigEndian(images, count);
  appendBigEndian(images, 28);
  appendBigEndian(images, 28);
  appendBigEndian(labels, 0x00000801);
  appendBigEndian(labels, count);
  for (std::uint32_t i = 0; i < count; ++i) {
    for (int p = 0; p < 784; ++p) images.push_back(char((i * 31 + p * 7) % 256));
    labels.push_back(char(i % 10));
  }
  const auto gzip = [&](const std::string& name, const std::string& bytes) {
    gzFile file = gzopen(dir.file(name).c_str(), "wb1");
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(gzwrite(file, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    ASSERT_EQ(gzclose(file), Z_OK);
  };
  gzip("train-images-idx3-ubyte.gz", images);
  gzip("train-labels-idx1-ubyte.gz", labels);
}

ExperimentConfig idxExperiment(const testing::TempDir& dir) {
  ExperimentConfig config;
  config.data.source = "idx:" + dir.path.string();
  config.data.preprocess = "standardize";
  config.model.depth = 3;
  config.model.width = 64;
  config.train.steps = 2;
  config.stats.probeSize = 64;
  return config;
}

TEST(WorkProgress, LoadingIdxReportsEachBlockUpTo100Percent) {
  testing::TempDir dir("layerscope-fashion");  // the folder's name says "fashion"
  writeIdxFolder(dir, 12000);
  Recorder recorder;
  const Progress progress = recorder.progress();
  Dataset train, test;
  loadIdx(dir.path.string(), train, test, &progress);
  EXPECT_EQ(train.samples(), 12000);
  const std::vector<double> loading = recorder.fractionsOf("Loading Fashion-MNIST train images");
  expectMonotoneToOne(loading, "loading");
  EXPECT_GE(loading.size(), 3u);  // 0, then one per 4 MiB block
}

TEST(WorkProgress, CancellingALoadLeavesNoData) {
  testing::TempDir dir("layerscope-idx");
  writeIdxFolder(dir, 12000);
  Recorder recorder;
  recorder.cancelWhen = "Loading";
  const Progress progress = recorder.progress();
  Dataset train, test;
  train.x = Matrix::Ones(2, 2);  // what was there before is not kept half-replaced either
  EXPECT_THROW(loadIdx(dir.path.string(), train, test, &progress), Cancelled);
  EXPECT_EQ(train.samples(), 0);
  EXPECT_TRUE(train.y.empty());
  EXPECT_EQ(recorder.reports.size(), 1u);  // stopped at the first report, read nothing more
}

TEST(WorkProgress, LoadingCsvReportsChunksOfRows) {
  testing::TempDir dir("layerscope-csv");
  std::string csv = "a,b,label\n";
  for (int i = 0; i < 20000; ++i)
    csv += std::to_string(i % 7) + "," + std::to_string(i % 5) + "," + std::to_string(i % 3) + "\n";
  const std::string path = dir.write("rows.csv", csv);
  Recorder recorder;
  const Progress progress = recorder.progress();
  const Dataset data = loadCsv(path, "", nullptr, &progress);
  EXPECT_EQ(data.samples(), 20000);
  const std::vector<double> fractions = recorder.fractionsOf("Loading rows.csv");
  EXPECT_GE(fractions.size(), 5u);  // 0, then every 4096 rows
  for (size_t i = 1; i < fractions.size(); ++i) EXPECT_GE(fractions[i], fractions[i - 1]);
  EXPECT_GT(fractions.back(), 0.8);

  Recorder cancelling;
  cancelling.cancelWhen = "Loading";
  const Progress cancel = cancelling.progress();
  EXPECT_THROW(loadCsv(path, "", nullptr, &cancel), Cancelled);
}

TEST(WorkProgress, BuildingReportsLoadingStandardizingAndEachLayersWeights) {
  testing::TempDir dir("layerscope-idx");
  writeIdxFolder(dir, 6000);
  Recorder recorder;
  const Progress progress = recorder.progress();
  const std::unique_ptr<Trainer> trainer = startRun(idxExperiment(dir), nullptr, &progress);
  expectMonotoneToOne(recorder.fractionsOf("Loading"), "loading");
  expectMonotoneToOne(recorder.fractionsOf("Standardizing"), "standardizing");
  expectMonotoneToOne(recorder.fractionsOf("Drawing weights"), "drawing weights");
  // One phase per dense layer, in order: 3 hidden layers and the output layer.
  std::vector<std::string> layers;
  for (const Report& r : recorder.reports)
    if (r.phase.rfind("Drawing weights", 0) == 0 && (layers.empty() || layers.back() != r.phase))
      layers.push_back(r.phase);
  EXPECT_EQ(layers, (std::vector<std::string>{"Drawing weights, layer 1/4", "Drawing weights, layer 2/4",
                                              "Drawing weights, layer 3/4", "Drawing weights, layer 4/4"}));
  // The phases come in the order the work does them.
  std::vector<std::string> order;
  for (const Report& r : recorder.reports) {
    const std::string word = r.phase.substr(0, r.phase.find(' '));
    if (order.empty() || order.back() != word) order.push_back(word);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"Loading", "Standardizing", "Allocating", "Drawing"}));
  expectMonotoneToOne(recorder.fractionsOf("Allocating"), "allocating");
}

TEST(WorkProgress, CancellingWhileDrawingWeightsStopsWithinALayer) {
  testing::TempDir dir("layerscope-idx");
  writeIdxFolder(dir, 1000);
  ExperimentConfig config = idxExperiment(dir);
  config.model.depth = 8;
  config.model.width = 1024;  // 1 M weights a layer
  Recorder recorder;
  recorder.cancelWhen = "Drawing weights, layer 3/";
  const Progress progress = recorder.progress();
  std::unique_ptr<Trainer> trainer;
  EXPECT_THROW(trainer = startRun(config, nullptr, &progress), Cancelled);
  EXPECT_EQ(trainer, nullptr);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - recorder.cancelledAt).count();
  EXPECT_LT(seconds, 1.0);
  EXPECT_EQ(recorder.reports.back().phase, "Drawing weights, layer 3/9");  // no layer after it
  // The next build, not cancelled, is complete.
  Recorder again;
  const Progress fresh = again.progress();
  config.model.width = 32;
  EXPECT_NO_THROW(trainer = startRun(config, nullptr, &fresh));
  ASSERT_NE(trainer, nullptr);
  EXPECT_TRUE(std::isfinite(trainer->trainStep().loss));
}

TEST(WorkProgress, FinalEvaluationReportsEveryBatchAndCanBeCancelled) {
  testing::TempDir dir("layerscope-idx");
  writeIdxFolder(dir, 6000);
  const std::unique_ptr<Trainer> trainer = startRun(idxExperiment(dir));
  Recorder recorder;
  const Progress progress = recorder.progress();
  const RunSummary summary = trainer->summary(&progress);
  EXPECT_TRUE(std::isfinite(summary.trainAccuracy));
  const std::vector<double> fractions = recorder.fractionsOf(kFinalEvaluationPhase);
  expectMonotoneToOne(fractions, "final evaluation");
  EXPECT_GE(fractions.size(), 6u);  // 6000 samples in batches of 1024

  // The numbers do not depend on being watched.
  const RunSummary unwatched = trainer->summary();
  EXPECT_EQ(unwatched.trainAccuracy, summary.trainAccuracy);
  EXPECT_EQ(unwatched.validationAccuracy, summary.validationAccuracy);

  Recorder cancelling;
  cancelling.cancelWhen = kFinalEvaluationPhase;
  const Progress cancel = cancelling.progress();
  EXPECT_THROW(trainer->summary(&cancel), Cancelled);
  EXPECT_EQ(cancelling.reports.size(), 1u);
}

TEST(WorkProgress, WatchedAndUnwatchedBuildsAreTheSameRun) {
  testing::TempDir dir("layerscope-idx");
  writeIdxFolder(dir, 1000);
  Recorder recorder;
  const Progress progress = recorder.progress();
  const std::unique_ptr<Trainer> watched = startRun(idxExperiment(dir), nullptr, &progress);
  const std::unique_ptr<Trainer> plain = startRun(idxExperiment(dir));
  EXPECT_EQ(watched->network().parameters(), plain->network().parameters());
  EXPECT_EQ(watched->data().train.x, plain->data().train.x);
}

}  // namespace
}  // namespace layerscope
