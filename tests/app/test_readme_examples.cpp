// The README's example sessions are what layerscope-cli prints today: each "$ build/app/
// layerscope-cli ..." block is run and its output compared line by line. A README line "..."
// stands for any number of lines; in a line that reports timing ("steps in 0.03 s (27290.1
// steps/s, ...)") the measured numbers may differ.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace {

struct Example {
  std::string command;                // the arguments after build/app/layerscope-cli
  std::vector<std::string> expected;  // the lines the README shows after the command
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<Example> readmeExamples() {
  std::ifstream in(LAYERSCOPE_README);
  std::stringstream s;
  s << in.rdbuf();
  const std::vector<std::string> all = lines(s.str());
  std::vector<Example> examples;
  const std::string prompt = "$ build/app/layerscope-cli ";
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].rfind(prompt, 0) != 0) continue;
    Example e;
    std::string command = all[i].substr(prompt.size());
    while (!command.empty() && command.back() == '\\' && i + 1 < all.size())
      command = command.substr(0, command.size() - 1) + all[++i];
    e.command = command;
    for (++i; i < all.size() && all[i].rfind("```", 0) != 0; ++i) e.expected.push_back(all[i]);
    examples.push_back(e);
  }
  return examples;
}

// Timing numbers vary from run to run: "0.03 s", "27290.1 steps/s".
std::string maskTimes(const std::string& line) {
  static const std::regex seconds(R"([0-9]+(\.[0-9]+)? (s\b|steps/s))");
  return std::regex_replace(line, seconds, "# $2");
}

bool sameLine(const std::string& readme, const std::string& actual) {
  if (readme == actual) return true;
  return readme.find("steps/s") != std::string::npos && maskTimes(readme) == maskTimes(actual);
}

// README lines in order, "..." skipping any number of output lines.
std::string mismatch(const std::vector<std::string>& readme, const std::vector<std::string>& out) {
  size_t o = 0;
  for (size_t r = 0; r < readme.size(); ++r) {
    if (readme[r] == "...") {
      if (r + 1 == readme.size()) return "";
      while (o < out.size() && !sameLine(readme[r + 1], out[o])) ++o;
      continue;
    }
    if (o >= out.size()) return "the output ends before README line '" + readme[r] + "'";
    if (!sameLine(readme[r], out[o]))
      return "README: '" + readme[r] + "'\n  prints: '" + out[o] + "'";
    ++o;
  }
  return o == out.size() ? "" : "the output goes on after the README's last line: '" + out[o] + "'";
}

class ReadmeExamples : public layerscope::testing::CliHarness {
 protected:
  ReadmeExamples() : CliHarness("layerscope-readme", "") {}
};

TEST_F(ReadmeExamples, EveryCliSessionPrintsWhatTheReadmeShows) {
  const std::vector<Example> examples = readmeExamples();
  ASSERT_GE(examples.size(), 2u) << "the README lost its example sessions";
  for (const Example& e : examples) {
    // Outputs the example names (stats.csv, ...) land in the test's own folder. The sessions
    // are recorded with Eigen's products (engine/gemm.h): their rounding depends only on the
    // build, while OpenBLAS's depends on the core it detects and on OPENBLAS_CORETYPE, which
    // some machines set.
    const std::string command = "cd " + dir_.string() + " && LAYERSCOPE_GEMM=eigen " + LAYERSCOPE_CLI + " " +
                                e.command + " >stdout 2>stderr";
    const int status = std::system(command.c_str());
    ASSERT_EQ(status, 0) << e.command << "\n" << read(path("stderr"));
    const std::string problem = mismatch(e.expected, lines(read(path("stdout"))));
    EXPECT_TRUE(problem.empty()) << "layerscope-cli " << e.command << "\n" << problem;
  }
}

}  // namespace
