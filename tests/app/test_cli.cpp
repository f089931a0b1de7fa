// layerscope-cli driven as a user would: real runs that write files, and bad input that must
// give exit status 2 and one line naming the fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <vector>

#include "cli_harness.h"

namespace {

namespace fs = std::filesystem;

using layerscope::testing::CliResult;

class Cli : public layerscope::testing::CliHarness {
 protected:
  Cli() : CliHarness("layerscope-cli-test") {}
};

TEST_F(Cli, HelpListsTheContractFlags) {
  const CliResult r = run("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* flag : {"--dataset", "--preprocess", "--depth", "--width", "--activation", "--init",
                           "--init-std", "--init-bound", "--batch-norm", "--dropout", "--l2",
                           "--optimizer", "--lr", "--batch-size", "--epochs", "--steps", "--seed",
                           "--threads", "--stats-every", "--stats-csv", "--summary-json",
                           "--export-model", "--save-experiment", "--config", "--label-column",
                           "--validation-fraction"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
}

TEST_F(Cli, HelpHasAFlagForEveryKeyOfASavedExperiment) {
  const CliResult saved = run("train --steps 0 --samples 20 --features 3 --depth 1 --width 2 "
                              "--optimizer adam --beta1 0.8 --beta2 0.99 --epsilon 1e-6 "
                              "--probe-train-mode --quiet --save-experiment " + path("e.json"));
  ASSERT_EQ(saved.status, 0) << saved.err;
  const nlohmann::json e = nlohmann::json::parse(read(path("e.json")));
  EXPECT_EQ(e["train"]["beta1"], 0.8);
  EXPECT_EQ(e["train"]["beta2"], 0.99);
  EXPECT_EQ(e["train"]["epsilon"], 1e-6);
  EXPECT_EQ(e["stats"]["probe_training_mode"], true);  // the old flag name is an alias

  const CliResult help = run("--help");
  ASSERT_EQ(help.status, 0);
  std::vector<std::string> keys = {"name"};
  for (const auto& section : {"data", "model", "train", "stats"})
    for (const auto& item : e[section].items()) keys.push_back(item.key());
  EXPECT_GE(keys.size(), 38u);
  for (std::string key : keys) {
    for (char& c : key)
      if (c == '_') c = '-';
    const bool listed = help.out.find("  --" + key + " ") != std::string::npos ||
                        help.out.find("  --" + key + ",") != std::string::npos;  // --no-KEY
    EXPECT_TRUE(listed) << "--" << key;
  }
}

TEST_F(Cli, TheStatisticsTableStaysAlignedForAnyNumberWidth) {
  // N(0, 1) weights in a linear net: stds grow to ~1e7 and the gradients shrink to ~1e-12.
  const CliResult r = run("train --steps 0 --depth 6 --width 300 --features 300 --samples 64 "
                          "--activation linear --init normal --init-std 1 --validation-fraction 0");
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream in(r.out);
  std::vector<std::string> table;
  bool inTable = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("layer  kind", 0) == 0) inTable = true;
    else if (inTable && line.find(" steps in ") != std::string::npos) break;
    if (inTable) table.push_back(line);
  }
  ASSERT_EQ(table.size(), 9u) << r.out;  // header, input, 6 hidden, output
  // Right-aligned columns: every row ends each column where the header does.
  for (const std::string& line : table) EXPECT_EQ(line.size(), table.front().size()) << line;
  for (size_t column = 0; column < table.front().size(); ++column) {
    if (table.front()[column] == ' ' || (column + 1 < table.front().size() &&
                                         table.front()[column + 1] != ' '))
      continue;  // only the last character of each header word
    if (column < 12) continue;  // "layer" and the left-aligned "kind"
    if (column >= 3 && table.front().compare(column - 3, 4, "grad") == 0) continue;  // "grad std"
    for (const std::string& line : table) EXPECT_NE(line[column], ' ') << line << " @" << column;
  }
}

TEST_F(Cli, ArticleExperimentAtStepZero) {
  const CliResult r = run("train --steps 0 --samples 1000 --init normal --init-std 0.01 --validation-fraction 0 "
                          "--stats-csv " + path("stats.csv") + " --summary-json " + path("summary.json"));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string csv = read(path("stats.csv"));
  EXPECT_EQ(csv.rfind("step,epoch,layer,kind,units,mean,std", 0), 0u) << csv.substr(0, 200);
  // A header and one row per layer: input, 10 hidden, output.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 13);
  const std::string summary = read(path("summary.json"));
  for (const char* key : {"\"steps\"", "\"train_seconds\"", "\"steps_per_second\"", "\"final_loss\"",
                          "\"train_accuracy\"", "\"diverged\""})
    EXPECT_NE(summary.find(key), std::string::npos) << key;
  // The article's numbers in the printed table.
  EXPECT_NE(r.out.find("0.2136"), std::string::npos) << r.out;
}

TEST_F(Cli, TrainsSpiralAndWritesEveryOutput) {
  const CliResult r = run("train --dataset spiral --classes 3 --samples 300 --depth 2 --width 32 "
                          "--activation relu --init he_normal --optimizer adam --lr 0.01 --epochs 20 "
                          "--batch-size 32 --test-fraction 0.2 --stats-every 50 --stats-csv " +
                          path("s.csv") + " --summary-json " + path("sum.json") +
                          " --save-experiment " + path("exp.json") + " --export-model " + path("m.onnx"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(read(path("sum.json")).find("\"test_accuracy\""), std::string::npos);
  EXPECT_GT(fs::file_size(path("m.onnx")), 1000u);
  // The saved experiment reproduces the run: same summary numbers with the same seed.
  const CliResult again = run("train --config " + path("exp.json") + " --summary-json " + path("sum2.json"));
  ASSERT_EQ(again.status, 0) << again.err;
  const auto withoutTimes = [](std::string s) {
    std::string kept;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
      if (line.find("seconds") == std::string::npos && line.find("per_second") == std::string::npos)
        kept += line + "\n";
    return kept;
  };
  EXPECT_EQ(withoutTimes(read(path("sum.json"))), withoutTimes(read(path("sum2.json"))));
}

TEST_F(Cli, CsvDataWithHeaderAndNamedLabels) {
  write("iris.csv",
        "sepal,petal,species\n1.0,0.2,setosa\n1.1,0.25,setosa\n3.0,1.9,virginica\n3.2,2.0,virginica\n"
        "0.9,0.1,setosa\n3.1,2.1,virginica\n1.2,0.3,setosa\n2.9,1.8,virginica\n");
  const CliResult r = run("train --dataset csv:" + path("iris.csv") +
                          " --depth 1 --width 8 --epochs 5 --batch-size 4 --validation-fraction 0.25");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("2 features, 2 classes"), std::string::npos) << r.out;
}

struct BadInput {
  const char* args;
  const char* expected;  // a fragment of the one-line message
};

TEST_F(Cli, BadInputGivesExitTwoAndOneLineNamingTheFault) {
  write("ragged.csv", "a,b,label\n1,2,0\n3,4\n");
  write("words.csv", "1,2,0\n3,x,1\n");
  write("broken.json", "{\"model\": {\"depth\": }}");
  write("wrongtype.json",
        "{\"format\": \"layerscope-experiment\", \"version\": 1, \"model\": {\"depth\": \"ten\"}}");
  const std::vector<BadInput> cases = {
      {"train --depth abc", "--depth"},
      {"train --width -3", "--width"},
      {"train --lr", "--lr: missing value"},
      {"train --frobnicate 3", "unknown flag --frobnicate"},
      {"train --activation swish", "swish"},
      {"train --init glorot", "glorot"},
      {"train --optimizer rmsprop", "rmsprop"},
      {"train --preprocess whiten", "whiten"},
      {"train --dropout 1.5", "dropout"},
      {"train --dataset nowhere", "nowhere"},
      {"train --dataset csv:/nonexistent/file.csv", "/nonexistent/file.csv"},
      {"train --dataset csv:@/ragged.csv", "ragged.csv:3"},
      {"train --dataset csv:@/words.csv", "words.csv:2"},
      {"train --dataset idx:/nonexistent", "/nonexistent"},
      {"train --config @/broken.json", "broken.json:1"},
      {"train --config @/wrongtype.json", "model.depth"},
      {"train --config /nonexistent.json", "/nonexistent.json"},
      {"train --steps 0 --summary-json /nonexistent-dir/x.json", "/nonexistent-dir/x.json"},
      {"bogus", "unknown command"},
  };
  for (const BadInput& c : cases) {
    std::string args = c.args;
    const size_t at = args.find("@/");
    if (at != std::string::npos) args.replace(at, 1, dir_.string());
    const CliResult r = run(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << args << "\nstderr: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\nstderr: " << r.err;
  }
}

TEST_F(Cli, DivergingRunIsReportedNotCrashed) {
  const CliResult r = run("train --dataset moons --samples 200 --depth 6 --width 32 "
                          "--activation linear --init normal --init-std 3 --lr 50 --epochs 20 "
                          "--summary-json " + path("s.json"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("DIVERGED"), std::string::npos) << r.out;
  EXPECT_NE(read(path("s.json")).find("\"diverged\": true"), std::string::npos) << read(path("s.json"));
}

}  // namespace
