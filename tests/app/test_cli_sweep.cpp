// `layerscope-cli sweep` (app/cli_sweep.h): a two-setting sweep gives the same numbers whether
// its cells run in this process, on this machine's threads, or as jobs GNU parallel runs; a
// stopped sweep resumes; bad plans and missing cells are named.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "cli_harness.h"
#include "lab/sweep_grid.h"

namespace layerscope {

namespace fs = std::filesystem;
using testing::CliResult;

class CliSweep : public testing::CliHarness {
 protected:
  CliSweep() : CliHarness("layerscope-cli-sweep-") {}

  // A small plan: 2 depths x 2 init stds of a 30-step blob run.
  std::string writePlan() {
    const CliResult e = run("train --dataset blobs --samples 200 --features 4 --classes 3 "
                            "--width 12 --steps 30 --batch-size 32 --quiet --save-experiment " +
                            path("e.json"));
    EXPECT_EQ(e.status, 0) << e.err;
    const CliResult p = run("sweep --config " + path("e.json") +
                            " --x depth=1,3 --y init_std=0.05,1.5 --write-plan " + path("p.json"));
    EXPECT_EQ(p.status, 0) << p.err;
    return path("p.json");
  }
};

TEST_F(CliSweep, JobsRunByGnuParallelMergeToExactlyTheInProcessResult) {
  if (std::system("command -v parallel >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "GNU parallel not installed (scripts/install-deps installs it)";
  const std::string plan = writePlan();
  // In this process, cell by cell, through the engine.
  const SweepPlan p = readSweepPlan(plan);
  std::vector<SweepCell> cells;
  for (int i = 0; i < sweepCellCount(p); ++i) cells.push_back(runSweepCell(p, i));
  const std::string expected = sweepCellsToCsv(p, cells);
  ASSERT_EQ(sweepCellCount(p), 4);

  // As a job list that GNU parallel runs on 2 workers, then merged.
  const CliResult emit = run("sweep --plan " + plan + " --emit-jobs " + path("jobs"));
  ASSERT_EQ(emit.status, 0) << emit.err;
  EXPECT_TRUE(fs::exists(path("jobs/slurm.sh")));
  ASSERT_EQ(std::system(("parallel --will-cite -j 2 < " + path("jobs/jobs.txt") + " >/dev/null").c_str()), 0);
  const CliResult merge = run("sweep --merge " + path("jobs"));
  ASSERT_EQ(merge.status, 0) << merge.err;
  EXPECT_EQ(read(path("jobs/sweep.csv")), expected);

  // On this machine's threads.
  const CliResult local = run("sweep --plan " + plan + " --out " + path("local") + " --jobs 2 --quiet");
  ASSERT_EQ(local.status, 0) << local.err;
  EXPECT_EQ(read(path("local/sweep.csv")), expected);
}

TEST_F(CliSweep, AStoppedSweepResumesKeepingFinishedCells) {
  const std::string plan = writePlan();
  ASSERT_EQ(run("sweep --plan " + plan + " --cell 2 --out " + path("out")).status, 0);
  const auto before = fs::last_write_time(path("out/cell-2.json"));
  const CliResult merged = run("sweep --merge " + path("out"));
  EXPECT_EQ(merged.status, 2);  // no plan.json there yet, and 3 cells missing
  const CliResult all = run("sweep --plan " + plan + " --out " + path("out") + " --jobs 1");
  ASSERT_EQ(all.status, 0) << all.err;
  EXPECT_NE(all.out.find("cell 3/4"), std::string::npos) << all.out;  // cell 2 was not rerun
  EXPECT_EQ(all.out.find("cell 1/4"), std::string::npos) << all.out;
  EXPECT_EQ(fs::last_write_time(path("out/cell-2.json")), before);
}

TEST_F(CliSweep, BadInputIsNamed) {
  const std::string plan = writePlan();
  struct Case {
    std::string args, says;
  };
  const std::vector<Case> cases = {
      {"sweep --x depth", "--x: expected SETTING=V1,V2"},
      {"sweep --x colour=1,2 --write-plan " + path("q.json"), "colour"},
      {"sweep --x depth=2,abc --write-plan " + path("q.json"), "abc"},
      {"sweep --plan " + plan + " --cell 9 --out " + path("o"), "--cell: 9 is out of range [0, 3]"},
      {"sweep --plan " + path("none.json") + " --out " + path("o"), "none.json"},
      {"sweep --merge " + path("nowhere"), "plan.json"},
      {"sweep --plan " + plan + " --frobnicate 1", "--frobnicate"},
  };
  for (const Case& c : cases) {
    const CliResult r = run(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << "\n" << r.err;
  }
  // A cell file of another plan is refused by name, not merged.
  ASSERT_EQ(run("sweep --plan " + plan + " --cell 0 --out " + path("other")).status, 0);
  const CliResult p2 = run("sweep --config " + path("e.json") + " --x depth=1,2 --write-plan " +
                           path("other/plan.json"));
  ASSERT_EQ(p2.status, 0);
  const CliResult m = run("sweep --merge " + path("other"));
  EXPECT_EQ(m.status, 2);
  EXPECT_NE(m.err.find("cell-0.json"), std::string::npos) << m.err;
  EXPECT_NE(m.err.find("another plan"), std::string::npos) << m.err;
}

// --merge DIR --export-plot draws the trainability map the app draws (depth x init std: with
// the theory's curve); bad input is one message naming the flag, exit 2.
TEST_F(CliSweep, MergeExportsTheTrainabilityMap) {
  const std::string plan = writePlan();
  ASSERT_EQ(run("sweep --plan " + plan + " --out " + path("out") + " --quiet").status, 0);
  const CliResult png = run("sweep --merge " + path("out") + " --export-plot " + path("map.png"));
  ASSERT_EQ(png.status, 0) << png.err;
  EXPECT_NE(png.out.find("plot -> "), std::string::npos) << png.out;
  const std::string bytes = read(path("map.png"));
  ASSERT_GT(bytes.size(), 5000u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  const CliResult svg = run("sweep --merge " + path("out") + " --export-plot " + path("map.svg") +
                            " --metric final_loss");
  ASSERT_EQ(svg.status, 0) << svg.err;
  EXPECT_NE(read(path("map.svg")).find("<svg"), std::string::npos);

  struct Case {
    std::string args, says;
  };
  const std::vector<Case> cases = {
      {"sweep --plan " + plan + " --write-plan " + path("q.json") + " --export-plot " + path("m.png"),
       "--export-plot: draws a whole sweep"},
      {"sweep --merge " + path("out") + " --export-plot " + path("m.png") + " --metric colour", "--metric"},
      {"sweep --merge " + path("out") + " --metric final_loss", "--metric"},
      {"sweep --merge " + path("out") + " --export-plot " + path("out/plan.json/m.png"), "--export-plot"},
      {"sweep --merge " + path("out") + " --export-plot " + path("m.bmpx"), "--export-plot"},
  };
  for (const Case& c : cases) {
    const CliResult r = run(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace layerscope
