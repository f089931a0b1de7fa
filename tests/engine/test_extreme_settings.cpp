// Settings at the edges of their ranges: each must either train (finite numbers, or a divergence
// that is reported with a reason) or be refused up front with an InputError saying why; never a
// crash, a NaN passed off as a result, or a hang. Small data and few steps: the whole file runs
// in a few seconds.
//
// Also the write faults of the savers: a full disk, a read-only directory, a missing directory,
// a device behind the target name. The old file must stay intact, no temporary file may remain,
// and the message must name the path.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "io/atomic_file.h"
#include "config.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "io/stats_io.h"
#include "training/trainer.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

namespace fs = std::filesystem;

// A tiny Gaussian problem: 48 samples, 6 features, 3 classes, 4 steps.
ExperimentConfig tiny() {
  ExperimentConfig c;
  c.data.source = "gaussian";
  c.data.samples = 48;
  c.data.features = 6;
  c.data.classes = 3;
  c.data.validationFraction = 0.25;
  c.model.depth = 2;
  c.model.width = 8;
  c.train.batchSize = 16;
  c.train.steps = 4;
  c.stats.every = 2;
  c.stats.probeSize = 32;
  return c;
}

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

// The contract for a run that was not refused: finite numbers, or a reported divergence.
void expectTrainedOrDivergedAndReported(const Result& r) {
  ASSERT_FALSE(r.refused) << r.reason;
  if (r.summary.diverged) {
    EXPECT_NE(r.summary.divergence.find("diverged"), std::string::npos) << r.summary.divergence;
    return;
  }
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

void expectTrainsFinite(const Result& r) {
  expectTrainedOrDivergedAndReported(r);
  EXPECT_FALSE(r.summary.diverged) << r.summary.divergence;
}

void expectRefusedFor(const ExperimentConfig& config, const std::string& field) {
  const Result r = trainOrRefuse(config);
  ASSERT_TRUE(r.refused) << "expected a refusal naming " << field;
  EXPECT_NE(r.reason.find(field), std::string::npos) << r.reason;
}

TEST(ExtremeSettings, DepthOneAndDepthHundred) {
  ExperimentConfig c = tiny();
  c.model.depth = 1;
  expectTrainsFinite(trainOrRefuse(c));
  c.model.depth = 100;
  c.model.width = 4;
  const Result deep = trainOrRefuse(c);
  expectTrainsFinite(deep);
  ASSERT_FALSE(deep.snapshots.empty());
  EXPECT_EQ(deep.snapshots.back().layers.size(), 102u);  // input, 100 hidden, output
}

TEST(ExtremeSettings, DepthZeroIsLogisticRegression) {
  ExperimentConfig c = tiny();
  c.model.depth = 0;
  expectTrainsFinite(trainOrRefuse(c));
}

TEST(ExtremeSettings, WidthOneAndWidth4096) {
  ExperimentConfig c = tiny();
  c.model.depth = 1;
  c.model.width = 1;
  expectTrainsFinite(trainOrRefuse(c));
  c.model.width = 4096;
  c.data.samples = 16;
  c.train.steps = 2;
  expectTrainsFinite(trainOrRefuse(c));
}

TEST(ExtremeSettings, WidthAndDepthBeyondTheParameterBoundAreRefused) {
  ExperimentConfig c = tiny();
  c.model.depth = 1000;
  c.model.width = 1 << 20;
  expectRefusedFor(c, "400 million");
  c = tiny();
  c.model.depth = 1001;
  expectRefusedFor(c, "depth");
  c = tiny();
  c.model.width = 0;
  expectRefusedFor(c, "width");
}

TEST(ExtremeSettings, ManyLayersThroughWidthsAreBoundedLikeDepth) {
  // depth is capped at 1000 hidden layers; a widths list is the same thing spelled out and
  // must be capped too (an experiment file may hold a list of 100 000 ones).
  ExperimentConfig c = tiny();
  c.model.widths.assign(5000, 1);
  bool refused = false;
  std::string reason;
  try {
    validate(c);
  } catch (const InputError& error) {
    refused = true;
    reason = error.what();
  }
  EXPECT_TRUE(refused) << "validate() accepts 5000 hidden layers given as widths";
  if (refused) {
    EXPECT_NE(reason.find("widths"), std::string::npos) << reason;
  }
}

TEST(ExtremeSettings, BatchLargerThanTheData) {
  ExperimentConfig c = tiny();
  c.train.batchSize = 100000000;
  c.train.steps = -1;
  c.train.epochs = 3;
  const Result r = trainOrRefuse(c);
  expectTrainsFinite(r);
  EXPECT_EQ(r.summary.steps, 3);  // one (whole-set) batch per epoch
}

TEST(ExtremeSettings, LearningRateZeroChangesNothing) {
  ExperimentConfig c = tiny();
  c.train.learningRate = 0.0;
  Trainer trainer(c);
  const Vector before = trainer.network().parameters();
  const RunSummary r = trainer.run();
  EXPECT_FALSE(r.diverged);
  EXPECT_EQ(r.steps, 4);
  EXPECT_TRUE(trainer.network().parameters() == before) << "lr 0 moved the weights";
}

TEST(ExtremeSettings, LearningRateHundredDivergesOrStaysFinite) {
  for (const char* optimizer : {"sgd", "momentum", "nesterov", "adam"}) {
    SCOPED_TRACE(optimizer);
    ExperimentConfig c = tiny();
    c.train.optimizer = optimizer;
    c.train.learningRate = 100.0;
    c.model.activation = "relu";
    c.model.init = "he_normal";
    c.train.steps = 30;
    expectTrainedOrDivergedAndReported(trainOrRefuse(c));
  }
}

TEST(ExtremeSettings, InfiniteNaNOrHugeSettingsAreRefused) {
  // The CLI refuses non-finite numbers, the JSON format cannot hold them; the UI or a library
  // caller still can pass them to the engine, whose schema limits refuse them by name.
  ExperimentConfig c = tiny();
  c.train.learningRate = std::nan("");
  expectRefusedFor(c, "lr");
  c = tiny();
  c.model.dropout = std::nan("");
  expectRefusedFor(c, "dropout");
  c = tiny();
  c.train.learningRate = HUGE_VAL;
  expectRefusedFor(c, "lr");
  c = tiny();
  c.model.init = "normal";
  c.model.initStd = 1e30;
  expectRefusedFor(c, "init-std");
  c.model.initStd = 1e6;  // the largest the schema allows: trains or diverges, and says so
  expectTrainedOrDivergedAndReported(trainOrRefuse(c));
}

TEST(ExtremeSettings, DropoutZeroAndNinetyNinePercent) {
  ExperimentConfig c = tiny();
  c.model.dropout = 0.0;
  expectTrainsFinite(trainOrRefuse(c));
  c.model.dropout = 0.99;
  c.stats.probeTrainingMode = true;  // probes see the dropped units too
  expectTrainsFinite(trainOrRefuse(c));
  c.model.dropout = 1.0;
  expectRefusedFor(c, "dropout");
}

TEST(ExtremeSettings, OneClass) {
  ExperimentConfig c = tiny();
  c.data.classes = 1;
  const Result r = trainOrRefuse(c);
  if (r.refused) {
    EXPECT_NE(r.reason.find("class"), std::string::npos) << r.reason;
    return;
  }
  expectTrainsFinite(r);
  EXPECT_DOUBLE_EQ(r.summary.trainAccuracy, 1.0);  // one class: every prediction is right
}

TEST(ExtremeSettings, ConstantFeaturesWithStandardizeStayFinite) {
  DataSplits data;
  data.train.x = Matrix::Constant(4, 20, 3.5f);  // std 0 in every feature
  data.train.x.row(1).setConstant(-1e30f);        // a huge constant: std 0, mean -1e30
  for (int j = 0; j < 20; ++j) data.train.y.push_back(j % 2);
  data.train.classes = 2;
  ExperimentConfig c = tiny();
  c.data.preprocess = "standardize";
  Trainer trainer(c, data);
  EXPECT_TRUE(trainer.data().train.x.allFinite());
  EXPECT_TRUE(trainer.probeInputs().allFinite());
  const RunSummary r = trainer.run();
  EXPECT_FALSE(r.diverged) << r.divergence;
  EXPECT_TRUE(std::isfinite(r.finalLoss));
}

TEST(ExtremeSettings, OneSample) {
  ExperimentConfig c = tiny();
  c.data.samples = 1;
  c.data.classes = 1;
  c.data.validationFraction = 0.0;
  const Result r = trainOrRefuse(c);
  if (r.refused) {
    EXPECT_FALSE(r.reason.empty());
    return;
  }
  expectTrainsFinite(r);
  // With a validation split asked for, one sample cannot be split: refused or trained on 1.
  c.data.validationFraction = 0.5;
  const Result split = trainOrRefuse(c);
  if (!split.refused) expectTrainsFinite(split);
}

TEST(ExtremeSettings, BatchNormWithBatchOfOne) {
  // Batch statistics of one sample: var 0, so (x - mean) / sqrt(0 + eps) = 0: finite.
  ExperimentConfig c = tiny();
  c.model.batchNorm = true;
  c.train.batchSize = 1;
  expectTrainsFinite(trainOrRefuse(c));
}

TEST(ExtremeSettings, ZeroStepsAndTinyStatistics) {
  ExperimentConfig c = tiny();
  c.train.steps = 0;
  c.stats.probeSize = 1;
  c.stats.histogramBins = 1;
  const Result r = trainOrRefuse(c);
  expectTrainsFinite(r);
  EXPECT_EQ(r.summary.steps, 0);
  EXPECT_FALSE(r.snapshots.empty());
}

// ---------------------------------------------------------------- write faults

class WriteFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("layerscope-faults-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Mounts (only root can, and only where the container allows it); false = skip the test.
  bool mount(const std::string& source, const fs::path& target, const char* type,
             unsigned long flags, const char* options, std::string& why) {
    if (::mount(source.c_str(), target.c_str(), type, flags, options) != 0) {
      why = "mount " + target.string() + ": " + std::strerror(errno);
      return false;
    }
    mounts_.push_back(target.string());
    return true;
  }

  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Names in `dir` other than the expected ones: a temporary file left behind shows up here.
  static std::vector<std::string> extraFiles(const fs::path& dir,
                                             const std::vector<std::string>& expected) {
    std::vector<std::string> extra;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (std::find(expected.begin(), expected.end(), name) == expected.end())
        extra.push_back(name);
    }
    return extra;
  }

  // Runs a save; returns its InputError message ("" = it succeeded).
  static std::string failureOf(const std::function<void()>& save) {
    try {
      save();
    } catch (const InputError& error) {
      return error.what();
    }
    return "";
  }

  fs::path dir_;
  std::vector<std::string> mounts_;
};

ExperimentConfig bigExperiment() {
  ExperimentConfig c;
  c.name = std::string(8000, 'n');  // two pages: a full 64 KiB tmpfs cannot hold it
  return c;
}

std::string statsText() {
  StatsSnapshot s;
  s.step = 1;
  LayerStats l;
  l.layer = 1;
  s.layers.assign(200, l);
  return statsCsv({s});
}

TEST_F(WriteFaults, MissingDirectoryNamesThePathAndLeavesNothing) {
  const std::string path = (dir_ / "no" / "such" / "dir" / "experiment.json").string();
  const std::string message = failureOf([&] { writeExperimentFile(path, ExperimentConfig()); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  EXPECT_TRUE(extraFiles(dir_, {}).empty());
  const std::string stats = (dir_ / "missing" / "stats.csv").string();
  const std::string statsMessage = failureOf([&] { writeFileAtomically(stats, statsText()); });
  EXPECT_NE(statsMessage.find(stats), std::string::npos) << statsMessage;
}

TEST_F(WriteFaults, FullFileSystemKeepsTheOldFile) {
  const fs::path mnt = dir_ / "tiny";
  fs::create_directories(mnt);
  std::string why;
  if (!mount("tmpfs", mnt, "tmpfs", 0, "size=64k", why)) GTEST_SKIP() << why;
  const fs::path target = mnt / "experiment.json";
  const fs::path stats = mnt / "stats.csv";
  writeExperimentFile(target.string(), ExperimentConfig());
  writeFileAtomically(stats.string(), "step,layer,mean,std\n");
  const std::string oldExperiment = slurp(target), oldStats = slurp(stats);
  {  // fill every remaining block
    std::ofstream filler(mnt / "filler", std::ios::binary);
    const std::string block(4096, 'f');
    for (int i = 0; i < 64 && filler; ++i) filler.write(block.data(), block.size());
  }
  const std::string message =
      failureOf([&] { writeExperimentFile(target.string(), bigExperiment()); });
  EXPECT_NE(message.find(target.string()), std::string::npos) << message;
  EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
  EXPECT_EQ(slurp(target), oldExperiment);
  const std::string statsMessage =
      failureOf([&] { writeFileAtomically(stats.string(), statsText()); });
  EXPECT_NE(statsMessage.find(stats.string()), std::string::npos) << statsMessage;
  EXPECT_EQ(slurp(stats), oldStats);
  EXPECT_EQ(extraFiles(mnt, {"experiment.json", "stats.csv", "filler"}),
            std::vector<std::string>{});
  // The old experiment still reads back.
  EXPECT_NO_THROW(readExperimentFile(target.string()));
}

TEST_F(WriteFaults, ReadOnlyDirectoryKeepsTheOldFile) {
  const fs::path ro = dir_ / "ro";
  fs::create_directories(ro);
  const fs::path target = ro / "experiment.json";
  writeExperimentFile(target.string(), ExperimentConfig());
  const std::string old = slurp(target);
  // Root ignores permission bits: a read-only bind mount is what stops it.
  std::string why;
  if (!mount(ro.string(), ro, nullptr, MS_BIND, nullptr, why)) GTEST_SKIP() << why;
  if (!mount("none", ro, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr, why))
    GTEST_SKIP() << why;
  const std::string message =
      failureOf([&] { writeExperimentFile(target.string(), bigExperiment()); });
  EXPECT_NE(message.find(target.string()), std::string::npos) << message;
  EXPECT_NE(message.find("Read-only file system"), std::string::npos) << message;
  EXPECT_EQ(slurp(target), old);
  EXPECT_EQ(extraFiles(ro, {"experiment.json"}), std::vector<std::string>{});
}

TEST_F(WriteFaults, DevFullBindMountedOverTheTargetFailsCleanly) {
  // The target name is /dev/full (bind-mounted over a file here, so /dev is never touched):
  // every write fails with ENOSPC, and a rename over a mount point fails with EBUSY. Either
  // way the saver must report the path and leave no temporary file.
  const fs::path target = dir_ / "experiment.json";
  { std::ofstream(target) << "old"; }
  std::string why;
  if (!mount("/dev/full", target, nullptr, MS_BIND, nullptr, why)) GTEST_SKIP() << why;
  const std::string message =
      failureOf([&] { writeExperimentFile(target.string(), ExperimentConfig()); });
  EXPECT_NE(message.find(target.string()), std::string::npos) << message;
  EXPECT_EQ(extraFiles(dir_, {"experiment.json"}), std::vector<std::string>{});
}

TEST_F(WriteFaults, SymlinkToDevFullIsWrittenThroughNotReplaced) {
  // "--stats-csv out.csv" where out.csv -> /dev/full (or /dev/stdout, a FIFO): the bytes must
  // go to the device (here: ENOSPC, reported), not replace the link with a regular file. The
  // atomic rename is for regular files; it must not silently swap out a device or a pipe.
  const fs::path link = dir_ / "stats.csv";
  fs::create_symlink("/dev/full", link);
  const std::string message = failureOf([&] { writeFileAtomically(link.string(), statsText()); });
  EXPECT_TRUE(fs::is_symlink(link)) << "the symlink to /dev/full was replaced by a regular file";
  EXPECT_NE(message.find(link.string()), std::string::npos)
      << "writing to /dev/full must fail with ENOSPC naming the path; got: '" << message << "'";
  EXPECT_EQ(extraFiles(dir_, {"stats.csv"}), std::vector<std::string>{});
}

}  // namespace
}  // namespace layerscope
