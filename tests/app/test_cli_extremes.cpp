// layerscope-cli at the edges: extreme settings either run (exit 0, finite numbers or a
// reported divergence) or are refused with exit status 2 and one line naming the flag; broken
// files and unwritable outputs give exit status 2 and one line naming the file. Never a crash.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_harness.h"

namespace {

namespace fs = std::filesystem;

using layerscope::testing::CliResult;

class CliExtremes : public layerscope::testing::CliHarness {
 protected:
  CliExtremes() : CliHarness("layerscope-cli-extremes-", "timeout -s KILL 120 ") {}
  void TearDown() override {
    if (!mounted_.empty()) ::umount2(mounted_.c_str(), MNT_DETACH);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // A small, fast problem; `args` come after it and override it.
  CliResult train(const std::string& args) {
    return run("train --dataset gaussian --samples 40 --features 5 --classes 3 --depth 2 "
               "--width 8 --steps 4 --stats-every 2 --probe-size 16 --quiet " + args);
  }

  // Exit 0, and the summary says the run either finished with finite numbers or diverged.
  void expectRuns(const CliResult& r, const std::string& what) {
    SCOPED_TRACE(what);
    ASSERT_EQ(r.status, 0) << "stderr: " << r.err << " (signal " << r.signal << ")";
    const std::string summary = read(path("summary.json"));
    ASSERT_FALSE(summary.empty());
    const bool diverged = summary.find("\"diverged\": true") != std::string::npos;
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

  std::string mounted_;
};

TEST_F(CliExtremes, DepthOneAndHundred) {
  expectRuns(train("--depth 1" + summaryFlag()), "depth 1");
  expectRuns(train("--depth 100 --width 3" + summaryFlag()), "depth 100");
}

TEST_F(CliExtremes, WidthOneAnd4096) {
  expectRuns(train("--depth 1 --width 1" + summaryFlag()), "width 1");
  expectRuns(train("--depth 1 --width 4096 --samples 12 --steps 2" + summaryFlag()), "width 4096");
}

TEST_F(CliExtremes, BatchLargerThanTheData) {
  const CliResult r = train("--batch-size 100000000 --epochs 2" + summaryFlag());
  expectRuns(r, "batch 1e8");
  EXPECT_NE(read(path("summary.json")).find("\"steps\": 2"), std::string::npos)
      << read(path("summary.json"));
}

TEST_F(CliExtremes, LearningRatesZeroAndHundred) {
  expectRuns(train("--lr 0" + summaryFlag()), "lr 0");
  expectRuns(train("--lr 100 --steps 30 --activation relu --init he_normal" + summaryFlag()),
             "lr 100");
  expectRuns(train("--lr 100 --optimizer adam --steps 30" + summaryFlag()), "lr 100 adam");
}

TEST_F(CliExtremes, DropoutZeroAndNinetyNinePercent) {
  expectRuns(train("--dropout 0" + summaryFlag()), "dropout 0");
  expectRuns(train("--dropout 0.99 --probe-train-mode" + summaryFlag()), "dropout 0.99");
  expectRefused(train("--dropout 1"), "--dropout");
}

TEST_F(CliExtremes, OneClassAndOneSample) {
  const CliResult one = train("--classes 1" + summaryFlag());
  if (one.status == 0) {
    expectRuns(one, "one class");
  } else {
    expectRefused(one, "class");
  }
  const CliResult single = train("--samples 1 --classes 1 --validation-fraction 0" + summaryFlag());
  if (single.status == 0) {
    expectRuns(single, "one sample");
  } else {
    expectRefused(single, "sample");
  }
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
  expectRefused(train("--lr nan"), "--lr");
  expectRefused(train("--lr inf"), "--lr");
  expectRefused(train("--lr 1e400"), "--lr");
  expectRefused(train("--lr -1"), "--lr");
  expectRefused(train("--noise -inf"), "--noise");
  expectRefused(train("--depth 1001"), "--depth");
  expectRefused(train("--depth -1"), "--depth");
  expectRefused(train("--width 0"), "--width");
  expectRefused(train("--width 99999999999999999999"), "--width");
  expectRefused(train("--widths ''"), "--widths");
  expectRefused(train("--widths 4,,4"), "--widths");
  expectRefused(train("--batch-size 0"), "--batch-size");
  expectRefused(train("--threads 0"), "--threads");
  expectRefused(train("--seed -1"), "--seed");
  expectRefused(train("--seed 18446744073709551616"), "--seed");
  expectRefused(train("--validation-fraction 1"), "validation-fraction");
  expectRefused(train("--histogram-bins 0"), "--histogram-bins");
  expectRefused(train("--depth 1000 --width 1048576"), "400 million");
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
