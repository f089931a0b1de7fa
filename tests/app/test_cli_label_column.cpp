// A CSV whose last column is a measurement (121 distinct prices) is refused with exit 2 and a
// line naming the column and --label-column, instead of training 121 classes; naming the column
// explicitly runs it.
#include <string>

#include "cli_harness.h"

namespace {

using layerscope::testing::CliResult;

class CliLabelColumn : public layerscope::testing::CliHarness {
 protected:
  CliLabelColumn() : CliHarness("layerscope-cli-label-column", "timeout -s KILL 120 ") {}
  std::string writePrices() {
    std::string text = "size,rooms,kind,price\n";
    for (int i = 0; i < 121; ++i)
      text += std::to_string(50 + i) + "," + std::to_string(i % 5) + "," + std::to_string(i % 3) +
              "," + std::to_string(100 + i * 1.5) + "\n";
    write("houses.csv", text);
    return path("houses.csv");
  }
};

TEST_F(CliLabelColumn, AContinuousLastColumnIsAnErrorNamingIt) {
  const CliResult r = run("--dataset csv:" + writePrices() + " --steps 1 --quiet");
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("'price'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--label-column"), std::string::npos) << r.err;
}

TEST_F(CliLabelColumn, AnExplicitColumnIsTrusted) {
  const std::string csv = writePrices();
  EXPECT_EQ(run("--dataset csv:" + csv + " --label-column kind --steps 1 --quiet").status, 0);
  // Chosen by name, even the continuous one: the user said so.
  const CliResult r = run("--dataset csv:" + csv + " --label-column price --steps 1 --quiet");
  EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
