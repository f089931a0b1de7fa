// layerscope-cli at the edges: the extreme settings of tests/common/extreme_settings.h given as
// flags, each with the row's outcome (exit 0 with finite numbers or a reported divergence, or
// exit status 2 and one line naming the flag); broken files and unwritable outputs give exit
// status 2 and one line naming the file. Never a crash. The engine and UI levels of the same
// rows: tests/engine/training/test_extreme_settings.cpp, tests/ui/test_config_panel_extremes.cpp.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_harness.h"
#include "common/extreme_settings.h"

namespace {

namespace fs = std::filesystem;

using layerscope::testing::CliResult;
using layerscope::testing::ExtremeRow;
using layerscope::testing::Outcome;

class CliExtremes : public layerscope::testing::CliHarness {
 protected:
  CliExtremes() : CliHarness("layerscope-cli-extremes", "timeout -s KILL 120 ") {}
  void TearDown() override {
    if (!mounted_.empty()) ::umount2(mounted_.c_str(), MNT_DETACH);
    CliHarness::TearDown();
  }

  // The table's tiny problem (tinyGaussian() as flags); `args` come after it and override it.
  CliResult train(const std::string& args) {
    return run("train" + layerscope::testing::tinyGaussianFlags() + " --quiet " + args);
  }

  // Exit 0, and the summary says the run finished with finite numbers (or, `diverges`, that it
  // diverged, which stdout reports).
  void expectRuns(const CliResult& r, const std::string& what, bool diverges = false) {
    SCOPED_TRACE(what);
    ASSERT_EQ(r.status, 0) << "stderr: " << r.err << " (signal " << r.signal << ")";
    const std::string summary = read(path("summary.json"));
    ASSERT_FALSE(summary.empty());
    const bool diverged = summary.find("\"diverged\": true") != std::string::npos;
    EXPECT_EQ(diverged, diverges) << summary;
    if (diverged) {
      EXPECT_NE(r.out.find("DIVERGED"), std::string::npos) << r.out;
    } else {
      EXPECT_EQ(summary.find("NaN"), std::string::npos) << summary;
      EXPECT_EQ(summary.find("nan"), std::string::npos) << summary;
      EXPECT_EQ(summary.find("inf"), std::string::npos) << summary;
    }
  }
  // Exit 2 and exactly one line on stderr containing `named`.
  static void expectRefused(const CliResult& r, const std::string& named) {
    SCOPED_TRACE(named);
    EXPECT_EQ(r.status, 2) << "stdout: " << r.out << "\nstderr: " << r.err << " (signal "
                           << r.signal << ")";
    EXPECT_NE(r.err.find(named), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  std::string summaryFlag() const { return " --summary-json " + path("summary.json"); }

  // Runs a row of the table as flags and checks its outcome.
  void expectOutcome(const ExtremeRow& row) {
    const std::string what = layerscope::testing::describe(row);
    const CliResult r = train(layerscope::testing::flagsOf(row) + summaryFlag());
    switch (row.outcome) {
      case Outcome::Trains: expectRuns(r, what); break;
      case Outcome::Diverges: expectRuns(r, what, true); break;
      case Outcome::Refused:
        SCOPED_TRACE(what);
        expectRefused(r, layerscope::testing::refusalNames(row));
        break;
    }
  }
  // Every row of `group` that runs at the CLI level; at least one.
  void expectGroup(const std::string& group) {
    const auto rows = layerscope::testing::extremeRows(group, layerscope::testing::Cli);
    EXPECT_FALSE(rows.empty()) << group;
    for (const ExtremeRow& row : rows) expectOutcome(row);
  }

  std::string mounted_;
};

TEST_F(CliExtremes, DepthOneAndHundred) {
  expectGroup("depth");
  expectGroup("depth0");
}

TEST_F(CliExtremes, WidthOneAnd4096) { expectGroup("width"); }

TEST_F(CliExtremes, BatchLargerThanTheData) {
  expectGroup("batch");
  expectRuns(train("--batch-size 100000000 --epochs 3" + summaryFlag()), "batch 1e8");
  EXPECT_NE(read(path("summary.json")).find("\"steps\": 3"), std::string::npos)
      << read(path("summary.json"));
}

TEST_F(CliExtremes, LearningRatesZeroAndHundred) {
  expectGroup("lr0");
  expectGroup("lr100");
}

TEST_F(CliExtremes, DropoutZeroAndNinetyNinePercent) { expectGroup("dropout"); }

TEST_F(CliExtremes, OneClassAndOneSample) {
  expectGroup("classes");
  expectGroup("samples");
}

TEST_F(CliExtremes, BatchNormOfOneAndZeroSteps) {
  expectGroup("batchnorm");
  expectGroup("zerosteps");
}

TEST_F(CliExtremes, ConstantFeaturesWithStandardize) {
  std::string csv = "a,b,c,label\n";
  for (int i = 0; i < 30; ++i) csv += "7,7,-1e30," + std::to_string(i % 2) + "\n";
  write("constant.csv", csv);
  expectRuns(train("--dataset csv:" + path("constant.csv") + " --preprocess standardize" +
                   summaryFlag()),
             "constant features");
}

TEST_F(CliExtremes, NonFiniteAndOutOfRangeFlagsAreRefused) {
  for (const char* group : {"nonfinite", "range", "parameters", "widths"}) expectGroup(group);
  // Not settings: a flag without its value, a value glued to a switch, an unknown flag.
  expectRefused(run("train --steps"), "--steps");
  expectRefused(run("train --quiet=1"), "--quiet");
  expectRefused(run("train --no-such-flag"), "--no-such-flag");
}

TEST_F(CliExtremes, BrokenConfigNamesTheFile) {
  write("deep.json", std::string(10000, '[') + std::string(10000, ']'));
  expectRefused(train("--config " + path("deep.json")), path("deep.json"));
  write("latin1.json", "{\"format\": \"layerscope-experiment\", \"name\": \"caf\xe9\"}");
  expectRefused(train("--config " + path("latin1.json")), path("latin1.json"));
  expectRefused(train("--config " + path("missing.json")), path("missing.json"));
  expectRefused(train("--config " + dir_.string()), dir_.string());
}

TEST_F(CliExtremes, ConfigWithOverflowingNumberNamesTheFile) {
  // nlohmann reports 1e400 as out_of_range, not parse_error: it must still become "FILE: ...".
  write("huge.json", "{\"format\": \"layerscope-experiment\", \"train\": {\"lr\": 1e400}}");
  expectRefused(train("--config " + path("huge.json")), path("huge.json"));
}

TEST_F(CliExtremes, BrokenDataFilesNameTheFile) {
  const std::string broken = std::string(LAYERSCOPE_TEST_DATA_DIR) + "/broken/";
  expectRefused(train("--dataset csv:" + broken + "csv/nan_value.L3.csv"),
                broken + "csv/nan_value.L3.csv:3:");
  expectRefused(train("--dataset csv:" + broken + "csv/one_column.L1.csv"),
                broken + "csv/one_column.L1.csv:1:");
  expectRefused(train("--dataset idx:" + dir_.string()), dir_.string());
  expectRefused(train("--dataset idx:" + broken + "idx/claims_2e31_images-images," + broken +
                      "idx/zero_count-labels"),
                "claims_2e31_images-images");
  // A file name that is not UTF-8.
  const std::string odd = path("caf\xe9.csv");
  std::ofstream(odd) << "a,b,label\n1,x,0\n";
  expectRefused(train("--dataset 'csv:" + odd + "'"), odd + ":2:");
}

TEST_F(CliExtremes, UnwritableOutputsNameThePathAndKeepOldFiles) {
  // A missing directory: refused before training, no file anywhere.
  const std::string missing = path("no/such/dir/summary.json");
  expectRefused(train("--summary-json " + missing), missing);
  expectRefused(train("--save-experiment " + path("nodir/e.json")), path("nodir/e.json"));
  // A full file system: the run's outputs cannot be written; the old file stays.
  const fs::path tiny = dir_ / "tiny";
  fs::create_directories(tiny);
  if (::mount("tmpfs", tiny.c_str(), "tmpfs", 0, "size=64k") != 0)
    GTEST_SKIP() << "mount tmpfs: " << std::strerror(errno);
  mounted_ = tiny.string();
  const std::string stats = (tiny / "stats.csv").string();
  std::ofstream(stats) << "old\n";
  {
    std::ofstream filler(tiny / "filler", std::ios::binary);
    const std::string block(4096, 'f');
    for (int i = 0; i < 64 && filler; ++i) filler.write(block.data(), block.size());
  }
  const CliResult r = train("--stats-csv " + stats + " --stats-every 1");
  expectRefused(r, stats);
  EXPECT_EQ(read(stats), "old\n");
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(tiny)) entries += e.path().filename() != "lost+found";
  EXPECT_EQ(entries, 2u) << "a temporary file was left behind";
}

}  // namespace
