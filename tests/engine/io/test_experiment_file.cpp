// The experiment file: every field survives a round trip, defaults fill what is missing, and
// every kind of bad input is refused with a message naming the file and the JSON path (or
// line:column). Saving is atomic: a failed write leaves the previous file as it was.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "io/atomic_file.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "test_helpers.h"

namespace layerscope {
namespace {

namespace fs = std::filesystem;

using testing::errorOf;
using testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every field set to something other than its default.
ExperimentConfig everyFieldChanged() {
  ExperimentConfig c;
  c.name = "tanh \"collapse\" demo\n(µ)";
  c.data.source = "csv:/data/iris.csv";
  c.data.samples = 1234;
  c.data.features = 17;
  c.data.classes = 4;
  c.data.noise = 0.37;
  c.data.labelColumn = "species";
  c.data.validationFraction = 0.15;
  c.data.testFraction = 0.05;
  c.data.preprocess = "center";
  c.model.depth = 3;
  c.model.width = 77;
  c.model.widths = {64, 32, 16};
  c.model.activation = "leaky_relu";
  c.model.init = "uniform";
  c.model.initStd = 0.123;
  c.model.initBound = 0.456;
  c.model.initConstant = -0.25;
  c.model.batchNorm = true;
  c.model.dropout = 0.3;
  c.model.leakySlope = 0.2;
  c.model.eluAlpha = 1.5;
  c.train.optimizer = "adam";
  c.train.learningRate = 3e-4;
  c.train.momentum = 0.95;
  c.train.beta1 = 0.85;
  c.train.beta2 = 0.995;
  c.train.epsilon = 1e-7;
  c.train.l2 = 1e-4;
  c.train.l1 = 2e-5;
  c.train.batchSize = 64;
  c.train.epochs = 7;
  c.train.steps = 5000000000L;  // beyond 32 bits
  c.train.seed = (std::uint64_t(1) << 63) + 5;  // beyond int64 and beyond a double's 53 bits
  c.train.threads = 2;
  c.stats.every = 25;
  c.stats.probeSize = 300;
  c.stats.histogramBins = 40;
  c.stats.probeTrainingMode = true;
  return c;
}

void expectSameConfig(const ExperimentConfig& a, const ExperimentConfig& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.data.source, b.data.source);
  EXPECT_EQ(a.data.samples, b.data.samples);
  EXPECT_EQ(a.data.features, b.data.features);
  EXPECT_EQ(a.data.classes, b.data.classes);
  EXPECT_EQ(a.data.noise, b.data.noise);
  EXPECT_EQ(a.data.labelColumn, b.data.labelColumn);
  EXPECT_EQ(a.data.validationFraction, b.data.validationFraction);
  EXPECT_EQ(a.data.testFraction, b.data.testFraction);
  EXPECT_EQ(a.data.preprocess, b.data.preprocess);
  EXPECT_EQ(a.model.depth, b.model.depth);
  EXPECT_EQ(a.model.width, b.model.width);
  EXPECT_EQ(a.model.widths, b.model.widths);
  EXPECT_EQ(a.model.activation, b.model.activation);
  EXPECT_EQ(a.model.init, b.model.init);
  EXPECT_EQ(a.model.initStd, b.model.initStd);
  EXPECT_EQ(a.model.initBound, b.model.initBound);
  EXPECT_EQ(a.model.initConstant, b.model.initConstant);
  EXPECT_EQ(a.model.batchNorm, b.model.batchNorm);
  EXPECT_EQ(a.model.dropout, b.model.dropout);
  EXPECT_EQ(a.model.leakySlope, b.model.leakySlope);
  EXPECT_EQ(a.model.eluAlpha, b.model.eluAlpha);
  EXPECT_EQ(a.train.optimizer, b.train.optimizer);
  EXPECT_EQ(a.train.learningRate, b.train.learningRate);
  EXPECT_EQ(a.train.momentum, b.train.momentum);
  EXPECT_EQ(a.train.beta1, b.train.beta1);
  EXPECT_EQ(a.train.beta2, b.train.beta2);
  EXPECT_EQ(a.train.epsilon, b.train.epsilon);
  EXPECT_EQ(a.train.l2, b.train.l2);
  EXPECT_EQ(a.train.l1, b.train.l1);
  EXPECT_EQ(a.train.batchSize, b.train.batchSize);
  EXPECT_EQ(a.train.epochs, b.train.epochs);
  EXPECT_EQ(a.train.steps, b.train.steps);
  EXPECT_EQ(a.train.seed, b.train.seed);
  EXPECT_EQ(a.train.threads, b.train.threads);
  EXPECT_EQ(a.stats.every, b.stats.every);
  EXPECT_EQ(a.stats.probeSize, b.stats.probeSize);
  EXPECT_EQ(a.stats.histogramBins, b.stats.histogramBins);
  EXPECT_EQ(a.stats.probeTrainingMode, b.stats.probeTrainingMode);
}

const char* kHeader = "{\"format\": \"layerscope-experiment\", \"version\": 1";

TEST(ExperimentFile, EveryFieldRoundTripsThroughAFile) {
  TempDir dir("layerscope-exp");
  const ExperimentConfig original = everyFieldChanged();
  writeExperimentFile(dir.file("exp.json"), original);
  expectSameConfig(readExperimentFile(dir.file("exp.json")), original);
}

TEST(ExperimentFile, SeedIsStoredAsAnExactUnsignedInteger) {
  ExperimentConfig c;
  c.train.seed = (std::uint64_t(1) << 63) + 5;
  const std::string text = experimentToJson(c);
  // As a double 2^63 + 5 would print as 9223372036854775808: the digits prove exactness.
  EXPECT_NE(text.find("\"seed\": 9223372036854775813"), std::string::npos) << text;
  EXPECT_EQ(experimentFromJson(text, "x.json").train.seed, c.train.seed);
  c.train.seed = ~std::uint64_t(0);
  EXPECT_EQ(experimentFromJson(experimentToJson(c), "x.json").train.seed, c.train.seed);
}

TEST(ExperimentFile, FormatUsesTheCliFlagNamesInSnakeCase) {
  const nlohmann::json j = nlohmann::json::parse(experimentToJson(everyFieldChanged()));
  EXPECT_EQ(j["format"], "layerscope-experiment");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["data"]["dataset"], "csv:/data/iris.csv");
  EXPECT_EQ(j["data"]["label_column"], "species");
  EXPECT_EQ(j["model"]["batch_norm"], true);
  EXPECT_EQ(j["model"]["widths"], nlohmann::json({64, 32, 16}));
  EXPECT_EQ(j["train"]["lr"], 3e-4);
  EXPECT_EQ(j["train"]["batch_size"], 64);
  EXPECT_EQ(j["stats"]["stats_every"], 25);
  EXPECT_EQ(j["stats"]["probe_training_mode"], true);
  // Pretty-printed with a 2-space indent.
  EXPECT_NE(experimentToJson(ExperimentConfig{}).find("\n  \"data\": {\n    \"dataset\""),
            std::string::npos);
  // widths is optional: absent when the config uses depth x width.
  EXPECT_FALSE(nlohmann::json::parse(experimentToJson(ExperimentConfig{}))["model"].contains(
      "widths"));
}

TEST(ExperimentFile, MissingKeysKeepTheirDefaults) {
  const ExperimentConfig c = experimentFromJson(
      std::string(kHeader) + ", \"model\": {\"depth\": 4}, \"train\": {\"lr\": 0.5}}", "exp.json");
  ExperimentConfig expected;
  expected.model.depth = 4;
  expected.train.learningRate = 0.5;
  expectSameConfig(c, expected);
  // Only the format line: all defaults.
  expectSameConfig(experimentFromJson("{\"format\": \"layerscope-experiment\"}", "e.json"),
                   ExperimentConfig{});
}

TEST(ExperimentFile, UnknownKeyIsNamedWithItsPath) {
  const std::string message = errorOf([] {
    experimentFromJson(std::string(kHeader) + ", \"train\": {\"learning_rate\": 0.1}}",
                       "exp.json");
  });
  EXPECT_NE(message.find("exp.json: train.learning_rate: unknown key"), std::string::npos)
      << message;
  EXPECT_NE(message.find("lr"), std::string::npos) << "lists the valid keys: " << message;
  EXPECT_NE(errorOf([] { experimentFromJson(std::string(kHeader) + ", \"modle\": {}}", "e.json"); })
                .find("e.json: modle: unknown key"),
            std::string::npos);
}

TEST(ExperimentFile, WrongTypesNameTheFieldAndBothTypes) {
  const auto err = [](const std::string& body) {
    return errorOf([&] { experimentFromJson(std::string(kHeader) + ", " + body + "}", "exp.json"); });
  };
  EXPECT_EQ(err("\"model\": {\"depth\": \"ten\"}"),
            "exp.json: model.depth: expected an integer, found string");
  EXPECT_EQ(err("\"model\": {\"depth\": 2.5}"),
            "exp.json: model.depth: expected an integer, found a fractional number");
  EXPECT_EQ(err("\"model\": {\"batch_norm\": 1}"),
            "exp.json: model.batch_norm: expected true or false, found number");
  EXPECT_EQ(err("\"train\": {\"lr\": null}"), "exp.json: train.lr: expected a number, found null");
  EXPECT_EQ(err("\"train\": {\"seed\": -1}"),
            "exp.json: train.seed: expected a non-negative integer, found number");
  EXPECT_EQ(err("\"model\": {\"widths\": [8, \"x\"]}"),
            "exp.json: model.widths[1]: expected an integer, found string");
  EXPECT_EQ(err("\"data\": []"), "exp.json: data: expected an object, found array");
  EXPECT_EQ(err("\"data\": {\"samples\": 4294967296}"),
            "exp.json: data.samples: integer out of range");
  EXPECT_EQ(err("\"name\": 3"), "exp.json: name: expected a string, found number");
}

TEST(ExperimentFile, InvalidJsonReportsLineAndColumn) {
  // Line 3, column 11 is the 'o' of the bare word oops.
  const std::string text =
      "{\n  \"format\": \"layerscope-experiment\",\n  \"name\": oops\n}\n";
  const std::string message = errorOf([&] { experimentFromJson(text, "exp.json"); });
  EXPECT_EQ(message.rfind("exp.json:3:11: invalid JSON (", 0), 0u) << message;
  // A truncated file: the error is at the end.
  const std::string truncated = "{\n  \"format\": \"layerscope-experiment\",\n";
  const std::string m2 = errorOf([&] { experimentFromJson(truncated, "t.json"); });
  EXPECT_EQ(m2.rfind("t.json:3:", 0), 0u) << m2;
  EXPECT_EQ(errorOf([] { experimentFromJson("", "empty.json"); }).rfind("empty.json:1:", 0), 0u);
}

TEST(ExperimentFile, NumberBeyondDoubleRangeIsPlacedToo) {
  // nlohmann reports no position for a number overflow: the message still gives line:column.
  const std::string text = "{\"format\": \"layerscope-experiment\",\n \"train\": {\"lr\": 1e400}}";
  EXPECT_EQ(errorOf([&] { experimentFromJson(text, "exp.json"); }),
            "exp.json:2:18: invalid JSON (number overflow parsing '1e400')");
}

TEST(ExperimentFile, NestingDeeperThan64LevelsIsRefused) {
  // 64 levels in all (the top object + 63 arrays) are parsed, and then refused for their type.
  const std::string ok = std::string(kHeader) + ", \"name\": " + std::string(63, '[') +
                         std::string(63, ']') + "}";
  EXPECT_EQ(errorOf([&] { experimentFromJson(ok, "d.json"); }),
            "d.json: name: expected a string, found array");
  const std::string deep = std::string(kHeader) + ", \"name\": " + std::string(64, '[') +
                           std::string(64, ']') + "}";
  EXPECT_EQ(errorOf([&] { experimentFromJson(deep, "d.json"); }),
            "d.json: JSON nested deeper than 64 levels");
  // A hostile file: a million brackets fail fast, without recursion or a huge allocation.
  const std::string hostile(1000000, '[');
  EXPECT_EQ(errorOf([&] { experimentFromJson(hostile, "h.json"); }),
            "h.json: JSON nested deeper than 64 levels");
}

TEST(ExperimentFile, WrongFormatOrVersionIsRefused) {
  EXPECT_EQ(errorOf([] { experimentFromJson("{\"format\": \"layerscope-stats\"}", "e.json"); }),
            "e.json: format: expected \"layerscope-experiment\", found \"layerscope-stats\"");
  EXPECT_EQ(errorOf([] {
              experimentFromJson("{\"format\": \"layerscope-experiment\", \"version\": 2}", "e.json");
            }),
            "e.json: version: unsupported version 2 (this LayerScope reads 1)");
  EXPECT_NE(errorOf([] { experimentFromJson("{\"model\": {}}", "e.json"); })
                .find("e.json: not a LayerScope experiment"),
            std::string::npos);
  EXPECT_NE(errorOf([] { experimentFromJson("[1, 2]", "e.json"); })
                .find("e.json: not a LayerScope experiment"),
            std::string::npos);
}

TEST(ExperimentFile, MissingAndOversizedFilesAreRefused) {
  TempDir dir("layerscope-exp");
  const std::string missing = dir.file("missing.json");
  EXPECT_EQ(errorOf([&] { readExperimentFile(missing); }),
            missing + ": cannot open: No such file or directory");
  // Over 16 MiB: refused from its size, before reading.
  const std::string big = dir.file("big.json");
  {
    std::ofstream out(big);
    out << kHeader << "}";
  }
  fs::resize_file(big, (std::uintmax_t(16) << 20) + 1);
  EXPECT_NE(errorOf([&] { readExperimentFile(big); }).find(big + ": file is larger than"),
            std::string::npos);
}

TEST(ExperimentFileAtomicWrite, ReplacesTheTargetAndLeavesNoTemporaryFile) {
  TempDir dir("layerscope-exp");
  const std::string path = dir.file("exp.json");
  writeFileAtomically(path, "old");
  writeFileAtomically(path, "new contents");
  EXPECT_EQ(slurp(path), "new contents");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"exp.json"});
  // Readable like any file the user creates (mkstemp alone would leave it 0600).
  EXPECT_NE(fs::status(path).permissions() & fs::perms::owner_read, fs::perms::none);
}

TEST(ExperimentFileAtomicWrite, SymlinkIsFollowedAndStaysALink) {
  // A user's experiments/current.json -> runs/42.json: the save updates 42.json.
  TempDir dir("layerscope-exp");
  writeFileAtomically(dir.file("real.json"), "old");
  fs::create_symlink("real.json", dir.path / "link.json");
  writeFileAtomically(dir.file("link.json"), "new");
  EXPECT_TRUE(fs::is_symlink(dir.path / "link.json"));
  EXPECT_EQ(slurp(dir.file("real.json")), "new");
}

TEST(ExperimentFileAtomicWrite, DeviceIsWrittenThroughNotReplaced) {
  // /dev/full refuses every write with ENOSPC: reported, and /dev/full is still a device.
  EXPECT_EQ(errorOf([] { writeFileAtomically("/dev/full", "x"); }),
            "/dev/full: cannot write: No space left on device");
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
  EXPECT_NO_THROW(writeFileAtomically("/dev/null", "discarded"));
}

TEST(ExperimentFileAtomicWrite, MissingDirectoryIsAnInputError) {
  TempDir dir("layerscope-exp");
  const std::string path = dir.file("no/such/dir/exp.json");
  EXPECT_EQ(errorOf([&] { writeExperimentFile(path, ExperimentConfig{}); }),
            path + ": cannot write: No such file or directory");
}

TEST(ExperimentFileAtomicWrite, FailedWriteLeavesTheOldFileIntact) {
  // A write that fails half way (here: the file-size limit, EFBIG -- it applies to root too,
  // unlike permissions) must leave the previous file byte for byte, and no temporary file.
  TempDir dir("layerscope-exp");
  const std::string path = dir.file("exp.json");
  const std::string old = experimentToJson(ExperimentConfig{});
  writeFileAtomically(path, old);

  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit small = saved;
  small.rlim_cur = 64;
  const auto previousHandler = ::signal(SIGXFSZ, SIG_IGN);  // else the write kills the process
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string message =
      errorOf([&] { writeExperimentFile(path, everyFieldChanged()); });
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, previousHandler);

  EXPECT_EQ(message, path + ": cannot write: File too large");
  EXPECT_EQ(slurp(path), old);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"exp.json"});
}

TEST(ExperimentFileAtomicWrite, ReadOnlyDirectoryLeavesTheOldFileIntact) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir("layerscope-exp");
  const std::string path = dir.file("exp.json");
  writeFileAtomically(path, "old");
  fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_EQ(errorOf([&] { writeFileAtomically(path, "new"); }),
            path + ": cannot write: Permission denied");
  fs::permissions(dir.path, fs::perms::owner_all);
  EXPECT_EQ(slurp(path), "old");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"exp.json"});
}

TEST(ExperimentFileAtomicWrite, TargetThatIsADirectoryIsRefusedAndKept) {
  // rename(2) cannot replace a directory with a file: the error comes at the last step, after
  // the temporary file was written, which must then be removed.
  TempDir dir("layerscope-exp");
  fs::create_directory(dir.path / "exp.json");
  const std::string path = dir.file("exp.json");
  EXPECT_EQ(errorOf([&] { writeFileAtomically(path, "data"); }),
            path + ": cannot write: Is a directory");
  EXPECT_TRUE(fs::is_directory(path));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"exp.json"});
}

}  // namespace
}  // namespace layerscope
