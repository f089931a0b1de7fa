// Compare > Trainability map (ui/sweep/sweep_map_dialog.h): cells train in the background and
// fill the map in; Cancel keeps the finished cells in the folder and Run trains only the rest;
// Open sweep shows a folder with cells missing and names them.
#include <gtest/gtest.h>

#include <QDir>
#include <filesystem>
#include <fstream>

#include "common/temp_dir.h"
#include "lab/sweep_grid.h"
#include "plots/sweep_heatmap_plot.h"
#include "sweep/sweep_map_dialog.h"
#include "sweep/trainable_depth.h"
#include "test_helpers.h"

namespace layerscope {

using testing::waitFor;
namespace fs = std::filesystem;

namespace {

int cellFiles(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("cell-", 0) == 0) ++n;
  return n;
}

}  // namespace

TEST(SweepMapDialog, TheDefaultIsTheExampleMapWithTheTheoryCurve) {
  SweepMapDialog dialog;
  const SweepPlan plan = dialog.plan();
  EXPECT_EQ(plan.x.setting, "init_std");
  EXPECT_EQ(plan.y.setting, "depth");
  EXPECT_EQ(sweepPlanDigest(plan), sweepPlanDigest(SweepMapDialog::examplePlan()));
  EXPECT_FALSE(trainableDepthCurve(plan).points.empty());
  EXPECT_EQ(dialog.plot()->finishedCells(), 0);
}

TEST(SweepMapDialog, CancelKeepsFinishedCellsAndRunTrainsOnlyTheRest) {
  testing::TempDir dir("layerscope-sweep-map");
  SweepMapDialog dialog;
  dialog.setWorkers(1);  // one cell at a time: the cancel lands between cells
  dialog.setAxis(false, QStringLiteral("init_std"), {"0.1", "0.2", "0.3"});
  dialog.setAxis(true, QStringLiteral("depth"), {"8", "16", "32", "48"});
  dialog.setFolder(QString::fromStdString(dir.path.string()));
  const int total = 12;
  dialog.start();
  ASSERT_TRUE(dialog.running()) << dialog.statusText().toStdString();
  ASSERT_TRUE(waitFor([&] { return dialog.plot()->finishedCells() >= 2; }, 60000));
  dialog.cancel();
  ASSERT_TRUE(waitFor([&] { return !dialog.running(); }, 60000));
  const int kept = cellFiles(dir.path);
  ASSERT_GE(kept, 2);
  ASSERT_LT(kept, total) << "the sweep finished before the cancel: make its cells slower";
  EXPECT_TRUE(dialog.statusText().contains("Cancelled")) << dialog.statusText().toStdString();
  const auto firstCell = fs::last_write_time(dir.path / "cell-0.json");

  dialog.start();  // the same plan and folder: resumes
  ASSERT_TRUE(waitFor([&] { return !dialog.running(); }, 60000));
  EXPECT_EQ(dialog.runner().trainedCells(), total - kept);
  EXPECT_EQ(dialog.plot()->finishedCells(), total);
  EXPECT_EQ(cellFiles(dir.path), total);
  EXPECT_EQ(fs::last_write_time(dir.path / "cell-0.json"), firstCell);
  EXPECT_EQ(dialog.progressText(), QStringLiteral("12 / 12 cells"));
  EXPECT_TRUE(fs::exists(dir.path / "plan.json"));
}

TEST(SweepMapDialog, OpenSweepShowsTheCellsAndNamesTheMissingOnes) {
  testing::TempDir dir("layerscope-sweep-open");
  SweepPlan plan = SweepMapDialog::examplePlan();
  plan.base.train.steps = 5;
  plan.x.values = {"0.1", "0.3"};
  plan.y.values = {"2", "4"};
  writeSweepPlan((dir.path / "plan.json").string(), plan);
  const std::string digest = sweepPlanDigest(readSweepPlan((dir.path / "plan.json").string()));
  for (int i : {0, 1, 3}) {
    const SweepCell c = runSweepCell(plan, i);
    std::ofstream(sweepCellPath(dir.path.string(), i)) << sweepCellToJson(c, digest);
  }
  SweepMapDialog dialog;
  EXPECT_EQ(dialog.openFolder(QString::fromStdString(dir.path.string())), QString());
  EXPECT_EQ(dialog.plot()->finishedCells(), 3);
  const QString status = dialog.statusText();
  EXPECT_TRUE(status.contains("1 of 4 cells missing")) << status.toStdString();
  EXPECT_TRUE(status.contains("init_std = 0.1, depth = 4")) << status.toStdString();
  // The map as the other plots export: PDF (and PNG) with content.
  for (const char* name : {"map.pdf", "map.png"}) {
    const fs::path file = dir.path / name;
    EXPECT_EQ(dialog.exportPlot(QString::fromStdString(file.string())), QString());
    EXPECT_GT(fs::file_size(file), 2000u) << name;
  }
  // A folder without a plan: the message names the file.
  testing::TempDir empty("layerscope-sweep-empty");
  const QString error = dialog.openFolder(QString::fromStdString(empty.path.string()));
  EXPECT_TRUE(error.contains("plan.json")) << error.toStdString();
}

}  // namespace layerscope
