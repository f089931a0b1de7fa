// A fast run's statistics files have curves, not two points: the automatic cadence gives a
// 7,200-step spiral 2 x 32 run >= 200 probe steps in --stats-csv, and --loss-csv has the loss
// of every step.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "cli_harness.h"

namespace {

class CliCurves : public layerscope::testing::CliHarness {
 protected:
  CliCurves() : CliHarness("layerscope-curves-", "") {}
};

TEST_F(CliCurves, A7200StepSpiralRunWritesAtLeast200ProbeStepsAndEveryStepsLoss) {
  const layerscope::testing::CliResult r =
      run("train --dataset spiral --classes 3 --samples 600 --depth 2 --width 32 "
          "--activation relu --init he_normal --optimizer adam --lr 0.01 --batch-size 32 "
          "--steps 7200 --stats-csv " + path("stats.csv") + " --loss-csv " + path("loss.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream stats(read(path("stats.csv")));
  std::string line;
  std::getline(stats, line);
  ASSERT_EQ(line.rfind("step,", 0), 0u) << line;
  std::set<long> steps;
  while (std::getline(stats, line)) steps.insert(std::stol(line.substr(0, line.find(','))));
  EXPECT_GE(steps.size(), 200u);
  EXPECT_EQ(*steps.begin(), 0);
  EXPECT_EQ(*steps.rbegin(), 7200);

  std::istringstream loss(read(path("loss.csv")));
  std::getline(loss, line);
  EXPECT_EQ(line, "step,loss");
  long expected = 1;
  while (std::getline(loss, line)) {
    ASSERT_EQ(std::stol(line.substr(0, line.find(','))), expected) << line;
    EXPECT_GT(std::stod(line.substr(line.find(',') + 1)), 0.0);
    ++expected;
  }
  EXPECT_EQ(expected - 1, 7200);
  // Ten progress lines, not one per probe.
  long progress = 0;
  std::istringstream out(r.out);
  while (std::getline(out, line)) progress += line.rfind("step ", 0) == 0;
  EXPECT_EQ(progress, 10);
}

}  // namespace
