// The saved-run file (io/run_file.h): a real short run (histograms, a 2-D decision grid, every
// step's loss, keyframes) reads back equal field by field, and its keyframes continue the run
// bit for bit; a file cut short, flipped, of another format or version, or with a huge count is
// one InputError naming the file and the field, never a crash or a huge allocation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "io/atomic_file.h"
#include "io/experiment_file.h"
#include "io/run_file.h"
#include "io/stats_io.h"
#include "test_helpers.h"
#include "training/trainer.h"

namespace layerscope {
namespace {

using testing::errorOf;
using testing::TempDir;

ExperimentConfig spiral() {
  ExperimentConfig c;
  c.data.source = "spiral";
  c.data.samples = 300;
  c.model.depth = 2;
  c.model.width = 8;
  c.model.dropout = 0.1;
  c.model.batchNorm = true;
  c.train.optimizer = "adam";
  c.train.learningRate = 0.01;
  c.train.batchSize = 32;
  c.train.steps = 60;
  c.stats.every = 10;
  return c;
}

// Trains `config` to the end as the CLI saves it: every probe, every step's loss, the 2-D
// points, a keyframe every `keyframeEvery` steps.
SavedRun recordRun(const ExperimentConfig& config, long keyframeEvery) {
  Trainer t(config);
  SavedRun run;
  run.config = config;
  run.summary = t.run([&](const StatsSnapshot& s) { run.snapshots.push_back(s); }, {},
                      [&](const StepResult& r) {
                        run.losses.push_back({r.step, r.loss});
                        if (r.step % keyframeEvery == 0) run.keyframes.push_back(t.keyframe());
                      });
  run.hasSummary = true;
  const Dataset& train = t.data().train;
  run.points.classes = train.classes;
  for (int i = 0; i < train.samples(); ++i) {
    run.points.x.push_back(train.x(0, i));
    run.points.y.push_back(train.x(1, i));
    run.points.label.push_back(train.y[size_t(i)]);
  }
  return run;
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool sameBits(const Vector& a, const Vector& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(Scalar)) == 0;
}

void expectSameKeyframe(const Keyframe& a, const Keyframe& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.epoch, b.epoch);
  EXPECT_EQ(a.architecture, b.architecture);
  EXPECT_TRUE(sameBits(a.parameters, b.parameters));
  ASSERT_EQ(a.runningMeans.size(), b.runningMeans.size());
  for (size_t i = 0; i < a.runningMeans.size(); ++i) {
    EXPECT_TRUE(sameBits(a.runningMeans[i], b.runningMeans[i]));
    EXPECT_TRUE(sameBits(a.runningVars[i], b.runningVars[i]));
  }
  EXPECT_EQ(a.optimizer.kind, b.optimizer.kind);
  EXPECT_EQ(a.optimizer.steps, b.optimizer.steps);
  ASSERT_EQ(a.optimizer.buffers.size(), b.optimizer.buffers.size());
  for (size_t i = 0; i < a.optimizer.buffers.size(); ++i)
    EXPECT_TRUE(sameBits(a.optimizer.buffers[i], b.optimizer.buffers[i]));
  EXPECT_EQ(a.shuffleRng, b.shuffleRng);
  EXPECT_EQ(a.dropoutRngs, b.dropoutRngs);
  EXPECT_EQ(a.probeDropoutRngs, b.probeDropoutRngs);
  EXPECT_EQ(a.order, b.order);
  EXPECT_EQ(a.position, b.position);
  EXPECT_TRUE(sameBits(a.lossSum, b.lossSum));
  EXPECT_EQ(a.lossCount, b.lossCount);
  ASSERT_EQ(a.updateRatios.size(), b.updateRatios.size());
  for (size_t i = 0; i < a.updateRatios.size(); ++i)
    EXPECT_TRUE(sameBits(a.updateRatios[i], b.updateRatios[i]));
  ASSERT_EQ(a.histogramGrids.layers.size(), b.histogramGrids.layers.size());
  for (size_t l = 0; l < a.histogramGrids.layers.size(); ++l)
    for (int q = 0; q < kHistogramQuantities; ++q) {
      const HistogramGrid &x = a.histogramGrids.layers[l][size_t(q)],
                          &y = b.histogramGrids.layers[l][size_t(q)];
      EXPECT_TRUE(sameBits(x.origin, y.origin) && sameBits(x.width, y.width));
      EXPECT_EQ(x.first, y.first);
      EXPECT_EQ(x.last, y.last);
    }
  EXPECT_TRUE(sameBits(a.firstLoss, b.firstLoss));
  EXPECT_EQ(a.diverged, b.diverged);
  EXPECT_EQ(a.divergence, b.divergence);
  EXPECT_TRUE(sameBits(a.trainSeconds, b.trainSeconds));
}

void expectSameRun(const SavedRun& a, const SavedRun& b) {
  EXPECT_EQ(experimentToJson(a.config), experimentToJson(b.config));
  // Every snapshot field through an independent writer: the statistics JSON holds every number
  // and histogram (its numbers at 9 significant digits: bit-exact for floats), the CSVs too.
  ASSERT_EQ(a.snapshots.size(), b.snapshots.size());
  EXPECT_EQ(statsJson(a.snapshots, a.config), statsJson(b.snapshots, b.config));
  EXPECT_EQ(statsCsv(a.snapshots), statsCsv(b.snapshots));
  EXPECT_EQ(statsHistogramsCsv(a.snapshots), statsHistogramsCsv(b.snapshots));
  for (size_t i = 0; i < a.snapshots.size(); ++i) {
    const StatsSnapshot &x = a.snapshots[i], &y = b.snapshots[i];
    EXPECT_TRUE(sameBits(x.elapsedSeconds, y.elapsedSeconds));
    EXPECT_TRUE(sameBits(x.trainLoss, y.trainLoss));
    EXPECT_TRUE(sameBits(x.validationLoss, y.validationLoss));
    for (size_t l = 0; l < x.layers.size(); ++l) {
      EXPECT_TRUE(sameBits(x.layers[l].activation.std, y.layers[l].activation.std));
      EXPECT_TRUE(sameBits(x.layers[l].updateRatio, y.layers[l].updateRatio));
      EXPECT_TRUE(sameBits(x.layers[l].effectiveRank, y.layers[l].effectiveRank));
      EXPECT_TRUE(sameBits(x.layers[l].effectiveRankNormalized, y.layers[l].effectiveRankNormalized));
      EXPECT_TRUE(sameBits(x.layers[l].gradientSnr, y.layers[l].gradientSnr));
      EXPECT_EQ(x.layers[l].gradientHistogram.counts, y.layers[l].gradientHistogram.counts);
      EXPECT_TRUE(sameBits(x.layers[l].gradientHistogram.robustHi,
                           y.layers[l].gradientHistogram.robustHi));
    }
    EXPECT_EQ(x.decision.resolution, y.decision.resolution);
    EXPECT_TRUE(sameBits(x.decision.xMin, y.decision.xMin) && sameBits(x.decision.yMax, y.decision.yMax));
    EXPECT_EQ(x.decision.classIndex, y.decision.classIndex);
    EXPECT_EQ(x.decision.confidence, y.decision.confidence);
  }
  ASSERT_EQ(a.losses.size(), b.losses.size());
  for (size_t i = 0; i < a.losses.size(); ++i) {
    EXPECT_EQ(a.losses[i].step, b.losses[i].step);
    EXPECT_TRUE(sameBits(a.losses[i].loss, b.losses[i].loss));
  }
  EXPECT_EQ(a.points.x, b.points.x);
  EXPECT_EQ(a.points.y, b.points.y);
  EXPECT_EQ(a.points.label, b.points.label);
  EXPECT_EQ(a.points.classes, b.points.classes);
  ASSERT_EQ(a.keyframes.size(), b.keyframes.size());
  for (size_t i = 0; i < a.keyframes.size(); ++i) expectSameKeyframe(a.keyframes[i], b.keyframes[i]);
  EXPECT_EQ(a.hasSummary, b.hasSummary);
  EXPECT_EQ(summaryJson(a.summary, a.config), summaryJson(b.summary, b.config));
}

class RunFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { run_ = new SavedRun(recordRun(spiral(), 20)); }
  static void TearDownTestSuite() { delete run_; }
  static const SavedRun& run() { return *run_; }
  static SavedRun* run_;
  TempDir dir_{"layerscope-run-file"};
};
SavedRun* RunFile::run_ = nullptr;

TEST_F(RunFile, ARealRunReadsBackFieldByField) {
  const SavedRun& saved = run();
  ASSERT_EQ(saved.snapshots.size(), 7u);  // steps 0, 10, ..., 60
  ASSERT_EQ(saved.losses.size(), 60u);
  ASSERT_EQ(saved.keyframes.size(), 3u);
  ASSERT_GT(saved.snapshots.back().decision.resolution, 0);
  ASSERT_FALSE(saved.snapshots.back().layers[1].activationHistogram.counts.empty());
  const std::string path = dir_.file("run.lsrun");
  writeRunFile(path, saved);
  const std::string bytes = readFileBytes(path);
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(std::uint8_t(bytes[0]), 0x1f);  // gzip
  EXPECT_EQ(std::uint8_t(bytes[1]), 0x8b);
  expectSameRun(saved, readRunFile(path));
}

TEST_F(RunFile, AnEmptyRunReadsBack) {
  SavedRun empty;
  empty.config = spiral();
  const std::string path = dir_.file("empty.lsrun");
  writeRunFile(path, empty);
  const SavedRun back = readRunFile(path);
  expectSameRun(empty, back);
  EXPECT_FALSE(back.hasSummary);
  EXPECT_TRUE(back.points.empty());
}

TEST_F(RunFile, AKeyframeReadBackContinuesTheRunBitForBit) {
  const std::string path = dir_.file("run.lsrun");
  writeRunFile(path, run());
  const SavedRun back = readRunFile(path);
  ASSERT_EQ(back.keyframes[1].step, 40);
  Trainer t(back.config);
  t.restore(back.keyframes[1]);
  std::vector<StatsSnapshot> probes;
  std::vector<double> losses;
  t.run([&](const StatsSnapshot& s) { probes.push_back(s); }, {},
        [&](const StepResult& r) { losses.push_back(r.loss); });
  ASSERT_EQ(losses.size(), 20u);
  for (size_t i = 0; i < losses.size(); ++i)
    EXPECT_TRUE(sameBits(losses[i], run().losses[40 + i].loss)) << "step " << 41 + i;
  EXPECT_TRUE(sameBits(t.network().parameters(), run().keyframes[2].parameters));
  // The probes from step 40 on: the saved run's last three, number for number.
  const std::vector<StatsSnapshot> saved(run().snapshots.end() - 3, run().snapshots.end());
  ASSERT_EQ(probes.size(), 3u);
  EXPECT_EQ(statsHistogramsCsv(probes), statsHistogramsCsv(saved));
  EXPECT_EQ(statsCsv(probes), statsCsv(saved));
}

// The message of the InputError reading `content` throws; "" when it reads. Any other
// exception fails the test.
std::string readError(const std::string& content) {
  try {
    runFromContent(content, "run.lsrun");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST_F(RunFile, ContentCutShortAnywhereIsAnErrorNamingTheFile) {
  const std::string content = runContent(run());
  ASSERT_GT(content.size(), 10000u);
  std::vector<size_t> cuts;
  for (size_t n = 0; n < 600; ++n) cuts.push_back(n);
  for (size_t n = 600; n < content.size(); n += content.size() / 400 + 1) cuts.push_back(n);
  cuts.push_back(content.size() - 1);
  for (size_t n : cuts) {
    const std::string message = readError(content.substr(0, n));
    EXPECT_EQ(message.rfind("run.lsrun: ", 0), 0u) << "cut at " << n << ": '" << message << "'";
  }
  EXPECT_EQ(readError(content), "");
  EXPECT_NE(readError(content + "x").find("run.lsrun: "), std::string::npos);
}

TEST_F(RunFile, ACompressedFileCutShortOrFlippedIsAnErrorNamingTheFile) {
  SavedRun small = run();
  small.keyframes.clear();
  const std::string path = dir_.file("run.lsrun");
  writeRunFile(path, small);
  const std::string bytes = readFileBytes(path);
  const std::string broken = dir_.file("broken.lsrun");
  for (size_t n = 0; n < bytes.size(); n += bytes.size() / 60 + 1) {
    writeFileAtomically(broken, bytes.substr(0, n));
    const std::string message = errorOf([&] { readRunFile(broken); });
    EXPECT_EQ(message.rfind(broken + ": ", 0), 0u) << "cut at " << n << ": '" << message << "'";
  }
  // Past the gzip header's unchecked fields (time, flags, OS: bytes 4..9), any flipped byte
  // breaks the deflate stream or its CRC-32.
  for (size_t at = 10; at < bytes.size(); at += bytes.size() / 60 + 1) {
    std::string flipped = bytes;
    flipped[at] = char(flipped[at] ^ 0x5a);
    writeFileAtomically(broken, flipped);
    const std::string message = errorOf([&] { readRunFile(broken); });
    EXPECT_EQ(message.rfind(broken + ": ", 0), 0u) << "flip at " << at << ": '" << message << "'";
  }
}

TEST_F(RunFile, FlippedBytesInTheContentNeverCrash) {
  // A flipped byte in a number is a file with another number: it may read. Anything else must
  // be an InputError naming the file, and none may crash or allocate without bound.
  const std::string content = runContent(run());
  int refused = 0;
  // Every byte of the head (the experiment, the first snapshot's structure), then a spread.
  for (size_t at = 0; at < content.size(); at += at < 3000 ? 1 : content.size() / 500 + 1) {
    for (unsigned char mask : {0x01, 0x80, 0xff}) {
      std::string flipped = content;
      flipped[at] = char(flipped[at] ^ mask);
      const std::string message = readError(flipped);
      if (!message.empty()) {
        ++refused;
        EXPECT_EQ(message.rfind("run.lsrun: ", 0), 0u) << message;
      }
    }
  }
  EXPECT_GT(refused, 50);
}

TEST_F(RunFile, HugeCountsAreRefusedBeforeAllocating) {
  SavedRun one;
  one.config = spiral();
  StatsSnapshot s;
  s.layers.resize(1);
  s.layers[0].activationHistogram.counts = {0xDEADBEEF, 0xFEEDFACE, 0xC0FFEE11};
  one.snapshots.push_back(s);
  const std::string content = runContent(one);
  const std::string pattern("\xEF\xBE\xAD\xDE\xCE\xFA\xED\xFE", 8);
  const size_t at = content.find(pattern);
  ASSERT_NE(at, std::string::npos);
  std::string huge = content;
  const std::uint32_t bins = 4000000000u;
  std::memcpy(&huge[at - 4], &bins, 4);
  EXPECT_EQ(readError(huge),
            "run.lsrun: snapshot 0, layer 0, activation histogram: 4000000000 bins, more than the "
            "10000 allowed");
  // Within the limit but more than the bytes left.
  const std::uint32_t many = 9000;
  std::memcpy(&huge[at - 4], &many, 4);
  EXPECT_NE(readError(huge).find("activation histogram: 9000 bins cannot fit"), std::string::npos)
      << readError(huge);
  // The snapshot count, right after the section header.
  const size_t snap = content.find("SNAP");
  ASSERT_NE(snap, std::string::npos);
  huge = content;
  const std::uint32_t snapshots = 0xFFFFFFFFu;
  std::memcpy(&huge[snap + 12], &snapshots, 4);
  EXPECT_NE(readError(huge).find("snapshots: 4294967295 snapshots, more than the"),
            std::string::npos)
      << readError(huge);
}

TEST_F(RunFile, AVersion1FileReadsWithTheLayerHealthFieldsNaN) {
  // Version 1 is version 2 without the three f64 after each layer's update ratio. Made here
  // from a version-2 encoding of one layer: the three values cut out, the section length and
  // the version lowered.
  SavedRun one;
  one.config = spiral();
  StatsSnapshot s;
  s.layers.resize(1);
  s.layers[0].updateRatio = 12345.678;
  s.layers[0].effectiveRank = 3.0;
  s.layers[0].effectiveRankNormalized = 0.5;
  s.layers[0].gradientSnr = 0.25;
  one.snapshots.push_back(s);
  std::string content = runContent(one);
  EXPECT_EQ(readError(content), "");
  const double ratio = 12345.678;
  const size_t at = content.find(std::string(reinterpret_cast<const char*>(&ratio), 8));
  ASSERT_NE(at, std::string::npos);
  content.erase(at + 8, 3 * 8);
  const size_t snap = content.find("SNAP");
  ASSERT_NE(snap, std::string::npos);
  std::uint64_t length;
  std::memcpy(&length, &content[snap + 4], 8);
  length -= 3 * 8;
  std::memcpy(&content[snap + 4], &length, 8);
  content[8] = 1;
  ASSERT_EQ(readError(content), "");
  const LayerStats back = runFromContent(content, "run.lsrun").snapshots.at(0).layers.at(0);
  EXPECT_EQ(back.updateRatio, 12345.678);
  EXPECT_TRUE(std::isnan(back.effectiveRank));
  EXPECT_TRUE(std::isnan(back.effectiveRankNormalized));
  EXPECT_TRUE(std::isnan(back.gradientSnr));
}

TEST_F(RunFile, AnotherFormatOrVersionIsRefused) {
  std::string content = runContent(run());
  std::string other = content;
  other[0] = 'X';
  EXPECT_NE(readError(other).find("run.lsrun: not a LayerScope saved run"), std::string::npos);
  other = content;
  other[8] = 3;  // the version's low byte
  EXPECT_EQ(readError(other).rfind("run.lsrun: format version: version 3, this LayerScope reads "
                                   "versions 1 to 2", 0),
            0u)
      << readError(other);
  EXPECT_NE(readError("").find("run.lsrun: "), std::string::npos);
  // An experiment that does not validate names the file and the setting.
  SavedRun bad;
  bad.config = spiral();
  bad.config.model.dropout = 2.0;
  EXPECT_NE(readError(runContent(bad)).find("run.lsrun: experiment: "), std::string::npos)
      << readError(runContent(bad));
  // A plain text file.
  const std::string path = dir_.write("text.lsrun", "step,loss\n1,2\n");
  EXPECT_NE(errorOf([&] { readRunFile(path); }).find(path + ": not a LayerScope saved run"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { readRunFile(dir_.file("missing.lsrun")); }).find("missing.lsrun"),
            std::string::npos);
}

}  // namespace
}  // namespace layerscope
