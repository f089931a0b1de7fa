// layerscope-cli train --save-run and open: a saved run replays without retraining, and its
// files are the bytes train wrote; a damaged or missing file is one line naming it (exit 2),
// and an unwritable --save-run fails before training.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "cli_harness.h"

namespace {

using layerscope::testing::CliResult;

class CliRunFile : public layerscope::testing::CliHarness {
 protected:
  CliRunFile() : CliHarness("layerscope-cli-run-file") {}
};

const char* const kRun =
    "train --dataset moons --samples 300 --depth 2 --width 12 --batch-norm --dropout 0.1 "
    "--optimizer adam --steps 120 --stats-every 10 --batch-size 32 --seed 5 ";

TEST_F(CliRunFile, OpenWritesTheFilesTrainWroteByteForByte) {
  const CliResult trained =
      run(std::string(kRun) + "--save-run " + path("run.lsrun") + " --keyframe-every 50" +
          " --stats-csv " + path("train-stats.csv") + " --histograms-csv " +
          path("train-hist.csv") + " --loss-csv " + path("train-loss.csv") + " --stats-json " +
          path("train-stats.json") + " --summary-json " + path("train-summary.json"));
  ASSERT_EQ(trained.status, 0) << trained.err;
  const CliResult opened =
      run("open " + path("run.lsrun") + " --stats-csv " + path("open-stats.csv") +
          " --histograms-csv " + path("open-hist.csv") + " --loss-csv " + path("open-loss.csv") +
          " --stats-json " + path("open-stats.json") + " --summary-json " +
          path("open-summary.json"));
  ASSERT_EQ(opened.status, 0) << opened.err;
  const std::string stats = read(path("train-stats.csv"));
  ASSERT_GT(stats.size(), 1000u);
  EXPECT_EQ(read(path("open-stats.csv")), stats);
  EXPECT_EQ(read(path("open-hist.csv")), read(path("train-hist.csv")));
  EXPECT_EQ(read(path("open-loss.csv")), read(path("train-loss.csv")));
  EXPECT_EQ(read(path("open-stats.json")), read(path("train-stats.json")));
  EXPECT_EQ(read(path("open-summary.json")), read(path("train-summary.json")));
  // The probes and the final table as train printed them; the keyframes at 50, 100 and the end.
  EXPECT_NE(opened.out.find("120 steps, 13 probes, 3 keyframes (the last at step 120)"),
            std::string::npos)
      << opened.out;
  const std::string table = trained.out.substr(trained.out.find("step 10 epoch"));
  const std::string replayed = opened.out.substr(opened.out.find("step 10 epoch"));
  EXPECT_EQ(replayed.substr(0, replayed.find("statistics at step")),
            table.substr(0, table.find("statistics at step")));
  const std::string trainedEnd = table.substr(table.find("layer  kind"));
  EXPECT_EQ(replayed.substr(replayed.find("layer  kind")),
            trainedEnd.substr(0, trainedEnd.find("run -> ")));
  EXPECT_NE(trained.out.find("run -> " + path("run.lsrun") + " ("), std::string::npos);
  EXPECT_NE(trained.out.find(" bytes: 13 probes, 120 steps' losses, 3 keyframes; written in "),
            std::string::npos)
      << trained.out;
}

TEST_F(CliRunFile, KeyframesAreOptional) {
  ASSERT_EQ(run(std::string(kRun) + "--quiet --save-run " + path("none.lsrun") +
                " --keyframe-every 0").status, 0);
  ASSERT_EQ(run(std::string(kRun) + "--quiet --save-run " + path("final.lsrun")).status, 0);
  EXPECT_NE(run("open " + path("none.lsrun")).out.find(", 0 keyframes"), std::string::npos);
  EXPECT_NE(run("open " + path("final.lsrun")).out.find("1 keyframe (the last at step 120)"),
            std::string::npos);
  const CliResult alone = run(std::string(kRun) + "--keyframe-every 10");
  EXPECT_EQ(alone.status, 2);
  EXPECT_NE(alone.err.find("--keyframe-every: keyframes go into --save-run"), std::string::npos)
      << alone.err;
}

TEST_F(CliRunFile, ADamagedOrMissingFileIsOneLineNamingIt) {
  ASSERT_EQ(run(std::string(kRun) + "--quiet --save-run " + path("run.lsrun")).status, 0);
  const std::string bytes = read(path("run.lsrun"));
  write("cut.lsrun", bytes.substr(0, bytes.size() / 2));
  const CliResult cut = run("open " + path("cut.lsrun") + " --stats-csv " + path("cut.csv"));
  EXPECT_EQ(cut.status, 2);
  EXPECT_EQ(cut.err.rfind("layerscope-cli: " + path("cut.lsrun") + ": ", 0), 0u) << cut.err;
  EXPECT_EQ(std::count(cut.err.begin(), cut.err.end(), '\n'), 1) << cut.err;
  EXPECT_FALSE(std::filesystem::exists(path("cut.csv")));  // nothing half-written

  write("text.lsrun", "step,loss\n1,2\n");
  const CliResult text = run("open " + path("text.lsrun"));
  EXPECT_EQ(text.status, 2);
  EXPECT_NE(text.err.find(path("text.lsrun") + ": not a LayerScope saved run"), std::string::npos)
      << text.err;
  const CliResult missing = run("open " + path("missing.lsrun"));
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find(path("missing.lsrun")), std::string::npos) << missing.err;

  const CliResult flag = run("open " + path("run.lsrun") + " --depth 3");
  EXPECT_EQ(flag.status, 2);
  EXPECT_NE(flag.err.find("open: --depth does not apply to a saved run"), std::string::npos)
      << flag.err;
}

// A 120-step run continued for 80 steps from its final keyframe writes the files a 200-step run
// writes, byte for byte: every random stream and accumulator went on where it stopped.
TEST_F(CliRunFile, ContinuingASavedRunEqualsTrainingItInOneGo) {
  ASSERT_EQ(run(std::string(kRun) + "--quiet --save-run " + path("120.lsrun")).status, 0);
  const std::string run200 = std::string(kRun) + "--steps 200 --quiet ";
  ASSERT_EQ(run(run200 + "--stats-csv " + path("200.csv") + " --loss-csv " + path("200-loss.csv") +
                " --histograms-csv " + path("200-hist.csv")).status, 0);
  const CliResult continued =
      run("open " + path("120.lsrun") + " --continue --steps 80 --stats-csv " + path("c.csv") +
          " --loss-csv " + path("c-loss.csv") + " --histograms-csv " + path("c-hist.csv") +
          " --save-run " + path("c.lsrun") + " --keyframe-every 50");
  ASSERT_EQ(continued.status, 0) << continued.err;
  EXPECT_NE(continued.out.find("continuing from the keyframe at step 120 to step 200"),
            std::string::npos)
      << continued.out;
  EXPECT_EQ(read(path("c.csv")), read(path("200.csv")));
  EXPECT_EQ(read(path("c-loss.csv")), read(path("200-loss.csv")));
  EXPECT_EQ(read(path("c-hist.csv")), read(path("200-hist.csv")));
  EXPECT_NE(run("open " + path("c.lsrun")).out.find("200 steps, 21 probes, 3 keyframes (the last "
                                                     "at step 200)"),
            std::string::npos);

  ASSERT_EQ(run(std::string(kRun) + "--quiet --keyframe-every 0 --save-run " + path("no.lsrun")).status, 0);
  const CliResult none = run("open " + path("no.lsrun") + " --continue --steps 5");
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.err.find("has no keyframe to continue from"), std::string::npos) << none.err;
  const CliResult stepsAlone = run("open " + path("120.lsrun") + " --steps 5");
  EXPECT_EQ(stepsAlone.status, 2);
  EXPECT_NE(stepsAlone.err.find("go with --continue"), std::string::npos) << stepsAlone.err;
}

TEST_F(CliRunFile, AnUnwritableSaveRunFailsBeforeTraining) {
  const CliResult r = run(std::string(kRun) + "--steps 100000000 --save-run " +
                          path("no/such/folder/run.lsrun"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--save-run: " + path("no/such/folder/run.lsrun") + ": cannot write"),
            std::string::npos)
      << r.err;
}

}  // namespace
