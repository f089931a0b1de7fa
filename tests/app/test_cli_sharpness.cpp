// --sharpness-every K --sharpness-csv FILE (app/cli_sharpness.h): rows at step 0, every K steps
// and the last step, the optimizer's edge of stability beside them, and the flags refused
// before any training when they do not go together or the file cannot be written.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace {

class CliSharpness : public layerscope::testing::CliHarness {
 protected:
  CliSharpness() : CliHarness("layerscope-sharpness-", "") {}
};

std::vector<std::vector<std::string>> csvRows(const std::string& text, std::string* header) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, *header);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    std::string cell;
    while (std::getline(s, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

const std::string kSmallRun =
    "train --quiet --dataset spiral --samples 200 --depth 2 --width 16 --batch-size 1000 "
    "--steps 25 --stats-every 0 --lr 0.1 ";

TEST_F(CliSharpness, WritesStepZeroEveryKStepsAndTheLastWithTheThreshold) {
  const auto r = run(kSmallRun + "--optimizer sgd --sharpness-every 10 --sharpness-csv " +
                     path("s.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::string header;
  const auto rows = csvRows(read(path("s.csv")), &header);
  EXPECT_EQ(header, "step,sharpness,threshold,iterations,seconds,preconditioned_sharpness,"
                    "preconditioned_threshold");
  ASSERT_EQ(rows.size(), 4u);  // 0, 10, 20, 25
  const long expected[] = {0, 10, 20, 25};
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 7u);
    EXPECT_EQ(rows[i][5], "");  // adam only
    EXPECT_EQ(rows[i][6], "");
    EXPECT_EQ(std::stol(rows[i][0]), expected[i]);
    EXPECT_GT(std::stod(rows[i][1]), 0.0);
    EXPECT_DOUBLE_EQ(std::stod(rows[i][2]), 20.0);  // 2 / lr
    EXPECT_GE(std::stol(rows[i][3]), 2);
    EXPECT_LE(std::stol(rows[i][3]), 100);
    EXPECT_GE(std::stod(rows[i][4]), 0.0);
  }
}

TEST_F(CliSharpness, MomentumThresholdAndNoneForAdam) {
  auto r = run(kSmallRun + "--optimizer momentum --momentum 0.9 --sharpness-every 100 "
                           "--sharpness-csv " + path("m.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::string header;
  auto rows = csvRows(read(path("m.csv")), &header);
  ASSERT_EQ(rows.size(), 2u);  // step 0 and the last
  EXPECT_NEAR(std::stod(rows[0][2]), 38.0, 1e-9);  // (2 + 2 x 0.9) / 0.1
  r = run(kSmallRun + "--optimizer adam --lr 0.01 --sharpness-every 100 --sharpness-csv " +
          path("a.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  rows = csvRows(read(path("a.csv")), &header);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][2], "");
  // Adam's edge is of P^-1 H (Cohen et al. 2022): none at step 0 (no second moments yet), then
  // lambda_max(P^-1 H) against 38 / lr.
  ASSERT_EQ(rows[0].size(), 7u);
  EXPECT_EQ(rows[0][5], "");
  ASSERT_EQ(rows[1].size(), 7u);
  EXPECT_GT(std::stod(rows[1][5]), 0.0);
  EXPECT_NEAR(std::stod(rows[1][6]), 3800.0, 1e-6);
}

// The estimate restores the parameters, leaves batch norm's running averages and the dropout
// stream alone: a run's statistics and losses are the same bytes with or without it.
TEST_F(CliSharpness, MeasuringChangesNothingInTheRun) {
  const std::string args =
      "train --quiet --dataset spiral --samples 300 --depth 3 --width 32 --batch-size 32 "
      "--steps 120 --stats-every 40 --batch-norm --dropout 0.2 --optimizer momentum ";
  auto r = run(args + "--stats-csv " + path("a.csv") + " --loss-csv " + path("al.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  r = run(args + "--stats-csv " + path("b.csv") + " --loss-csv " + path("bl.csv") +
          " --sharpness-every 7 --sharpness-csv " + path("s.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read(path("a.csv")), read(path("b.csv")));
  EXPECT_EQ(read(path("al.csv")), read(path("bl.csv")));
  std::string header;
  EXPECT_EQ(csvRows(read(path("s.csv")), &header).size(), 19u);  // 0, 7, ..., 119, 120
}

TEST_F(CliSharpness, FlagsAreCheckedBeforeTraining) {
  auto r = run(kSmallRun + "--sharpness-every 10");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--sharpness-csv"), std::string::npos) << r.err;
  r = run(kSmallRun + "--sharpness-csv " + path("x.csv"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--sharpness-every"), std::string::npos) << r.err;
  r = run(kSmallRun + "--sharpness-every 0 --sharpness-csv " + path("x.csv"));
  EXPECT_EQ(r.status, 2);
  r = run(kSmallRun + "--sharpness-every 5 --sharpness-csv /nonexistent-dir/s.csv --save-experiment " +
          path("e.json"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--sharpness-csv"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path("e.json")));  // nothing written before the check
}

}  // namespace
