// layerscope-cli train --jacobian-every K --jacobian-csv FILE (app/cli_jacobian.h): rows
// step,sample,index,singular_value at step 0, every K steps and the last step, on 16 probe
// samples, descending per sample; a deep linear orthogonal network's are all 1; the flags are
// checked before training.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace {

class CliJacobian : public layerscope::testing::CliHarness {
 protected:
  CliJacobian() : CliHarness("layerscope-jacobian-", "") {}

  struct Row {
    long step;
    int sample, index;
    double value;
  };
  std::vector<Row> rows(const std::string& file) {
    std::istringstream in(read(path(file)));
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "step,sample,index,singular_value");
    std::vector<Row> out;
    while (std::getline(in, line)) {
      Row r{};
      char comma;
      std::istringstream fields(line);
      fields >> r.step >> comma >> r.sample >> comma >> r.index >> comma >> r.value;
      EXPECT_TRUE(fields) << line;
      out.push_back(r);
    }
    return out;
  }
};

TEST_F(CliJacobian, WritesStepZeroEveryKStepsAndTheLastStep) {
  const layerscope::testing::CliResult r =
      run("train --dataset spiral --classes 3 --samples 300 --depth 3 --width 8 --steps 25 "
          "--jacobian-every 10 --jacobian-csv " + path("j.csv") + " --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<Row> all = rows("j.csv");
  std::set<long> steps;
  std::map<std::pair<long, int>, std::vector<double>> spectra;
  for (const Row& row : all) {
    steps.insert(row.step);
    spectra[{row.step, row.sample}].push_back(row.value);
  }
  EXPECT_EQ(steps, (std::set<long>{0, 10, 20, 25}));
  // 16 samples per step, 2 singular values each (2-D inputs into width 8), largest first.
  EXPECT_EQ(all.size(), 4u * 16u * 2u);
  for (const auto& [key, values] : spectra) {
    ASSERT_EQ(values.size(), 2u);
    EXPECT_GE(values[0], values[1]);
    EXPECT_GT(values[1], 0.0);
  }
}

TEST_F(CliJacobian, DeepLinearOrthogonalNetworkHasEverySingularValueOne) {
  const layerscope::testing::CliResult r =
      run("train --dataset moons --classes 2 --samples 200 --depth 8 --width 2 "
          "--activation linear --init orthogonal --steps 0 --jacobian-csv " + path("j.csv") +
          " --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<Row> all = rows("j.csv");
  ASSERT_EQ(all.size(), 16u * 2u);
  for (const Row& row : all) {
    EXPECT_EQ(row.step, 0);
    EXPECT_NEAR(row.value, 1.0, 1e-5);
  }
}

TEST_F(CliJacobian, FlagsAreCheckedBeforeTraining) {
  layerscope::testing::CliResult r = run("train --dataset spiral --steps 5 --jacobian-every 2");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--jacobian-every"), std::string::npos) << r.err;
  r = run("train --dataset spiral --steps 5 --jacobian-every 0 --jacobian-csv " + path("j.csv"));
  EXPECT_EQ(r.status, 2);
  r = run("train --dataset spiral --steps 5 --stats-csv " + path("stats.csv") +
          " --jacobian-csv " + path("missing/j.csv"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--jacobian-csv"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path("stats.csv")));
  EXPECT_NE(run("--help").out.find("--jacobian-csv FILE"), std::string::npos);
}

}  // namespace
