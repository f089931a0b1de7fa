// layerscope-cli phase (app/cli_phase.h): the CSV's exact header and one row per grid point,
// the critical line it reports, the measured overlay, the plot files, and bad input naming
// the flag at fault with exit status 2.
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace layerscope {
namespace {

using testing::CliResult;

class CliPhase : public testing::CliHarness {
 protected:
  CliPhase() : CliHarness("layerscope-cli-phase-") {}
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

TEST_F(CliPhase, WritesTheHeaderAndOneRowPerGridPoint) {
  const CliResult r = run("phase --activation tanh --sigma-w2 0.5:2:4 --sigma-b2 0:0.1:3 --measure 2 "
                          "--depth 5 --width 200 --csv " + path("phase.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<std::string> rows = lines(read(path("phase.csv")));
  ASSERT_EQ(rows.size(), 1u + 4 * 3);
  EXPECT_EQ(rows[0].rfind("sigma_w2,sigma_b2,q_star,chi1,xi_q,xi_c,", 0), 0u) << rows[0];
  EXPECT_EQ(rows[0], "sigma_w2,sigma_b2,q_star,chi1,xi_q,xi_c,c_star,chi_c,c_depth_theory,"
                     "c_depth_measured");
  // sigma_w2 outer, sigma_b2 inner.
  EXPECT_EQ(cells(rows[1])[0], "0.5");
  EXPECT_EQ(cells(rows[1])[1], "0");
  EXPECT_EQ(cells(rows[3])[1], "0.1");
  EXPECT_EQ(cells(rows[4])[0], "1");
  // tanh without bias at sigma_w2 = 1: critical, q* = 0, xi_c infinite.
  const std::vector<std::string> critical = cells(rows[4]);
  ASSERT_EQ(critical.size(), 10u) << rows[4];
  EXPECT_EQ(critical[2], "0");
  EXPECT_DOUBLE_EQ(std::stod(critical[3]), 1.0);
  EXPECT_EQ(critical[5], "inf");
  // Two measured points (middle sigma_b2 row, first and last sigma_w2) carry the overlay.
  int measured = 0;
  for (size_t i = 1; i < rows.size(); ++i) measured += !cells(rows[i])[9].empty();
  EXPECT_EQ(measured, 2);
  EXPECT_NE(r.out.find("critical line chi1 = 1 at: sigma_b2 0: sigma_w2 1,"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Batch norm"), std::string::npos);
}

TEST_F(CliPhase, ReluIsCriticalAtTwo) {
  const CliResult r = run("phase --activation relu --sigma-w2 1:3:5 --sigma-b2 0:0:1 --measure 0 "
                          "--csv " + path("relu.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<std::string> rows = lines(read(path("relu.csv")));
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(cells(rows[3])[0], "2");
  EXPECT_DOUBLE_EQ(std::stod(cells(rows[3])[3]), 1.0);
  EXPECT_NE(r.out.find("sigma_b2 0: sigma_w2 2"), std::string::npos) << r.out;
}

TEST_F(CliPhase, DrawsThePlot) {
  const CliResult r = run("phase --activation tanh --dropout 0.1 --sigma-w2 0.5:3:8 --sigma-b2 "
                          "0:0.2:6 --measure 2 --depth 4 --width 100 --plot-size 500x400 "
                          "--export-plot " + path("phase.png") + "," + path("phase.svg") + " --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string png = read(path("phase.png"));
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  const std::string svg = read(path("phase.svg"));
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("not critical with dropout"), std::string::npos);
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(CliPhase, BadInputNamesTheFlag) {
  const struct {
    std::string args, expected;
  } cases[] = {
      {"--activation tanh --sigma-w2 1:2", "--sigma-w2: '1:2' is not LO:HI:N"},
      {"--activation tanh --sigma-b2 0:x:3", "--sigma-b2: 'x' is not a number"},
      {"--activation tanh --sigma-w2 2:1:5", "--sigma-w2: '2:1:5': HI is below LO"},
      {"--activation tanh --sigma-w2 1:2:0", "--sigma-w2: 0 is out of range"},
      {"--activation tanh --sigma-w2 -1:2:3", "--sigma-w2: -1 is out of range"},
      {"--activation swish", "--activation: unknown activation 'swish'"},
      {"--sigma-w2 1:2:3", "--activation: missing"},
      {"--activation tanh --dropout 1", "--dropout: 1 is out of range"},
      {"--activation tanh --depth", "--depth: missing value"},
      {"--activation tanh --csv", "--csv: missing value"},
      {"--activation tanh --export-plot x.gif", "--export-plot: x.gif: unknown image type"},
      {"--activation tanh --lr 0.1", "phase: unknown flag --lr"},
  };
  for (const auto& c : cases) {
    const CliResult r = run("phase " + c.args);
    EXPECT_EQ(r.status, 2) << c.args;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.args << ": " << r.err;
    EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  }
}

TEST_F(CliPhase, HelpListsTheFlags) {
  const CliResult r = run("phase --help");
  EXPECT_EQ(r.status, 0);
  for (const char* flag : {"--activation", "--dropout", "--sigma-w2 LO:HI:N", "--sigma-b2 LO:HI:N",
                           "--depth L", "--csv FILE", "--export-plot FILE"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  const CliResult main = run("--help");
  EXPECT_NE(main.out.find("layerscope-cli phase --activation NAME"), std::string::npos);
}

}  // namespace
}  // namespace layerscope
