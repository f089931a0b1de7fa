// Two-setting sweeps (trainability maps) that run in this process or on a scheduler.
//
// A plan is a base experiment and one or two axes, each a sweepable setting (settings/schema.h)
// with its values; cell i trains the base experiment with x = values[i % nx] and
// y = values[i / nx] for the base's steps or epochs, and keeps its RunSummary. A cell depends only
// on the plan and its index, so cells can run anywhere, in any order, and give the same numbers:
// on this machine's cores (runSweepGrid), or as one command per cell that GNU parallel or a Slurm
// array runs (app/cli_sweep.h writes those), each writing its cell file, merged afterwards.
//
// Files (JSON, written atomically, read back with limits and errors that name the file):
//   plan:  {"format": "layerscope-sweep-plan", "version": 1, "experiment": {...experiment...},
//           "x": {"setting": "depth", "values": ["2", "4"]}, "y": {...} (optional)}
//   cell:  {"format": "layerscope-sweep-cell", "version": 1, "plan": "<plan digest>",
//           "index": 3, "x": "4", "y": "0.5", "summary": {...}}
// The merged result is a CSV: x,y (named after the settings), then the summary's columns.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config.h"
#include "training/run_summary.h"

namespace layerscope {

struct SweepAxis {
  std::string setting;              // a sweepable setting's file key ("depth", "init_std")
  std::vector<std::string> values;  // as text, applied with applySweepValue (lab/sweep.h)
};

struct SweepPlan {
  ExperimentConfig base;
  SweepAxis x;
  SweepAxis y;  // empty setting: a one-setting sweep (one row)
};

struct SweepCell {
  int index = 0;
  std::string x, y;  // the values of this cell ("" for y in a one-setting sweep)
  RunSummary summary;
};

// Validates every cell's experiment (InputError naming the setting and value) before returning.
void checkSweepPlan(const SweepPlan& plan);
int sweepCellCount(const SweepPlan& plan);
ExperimentConfig sweepCellExperiment(const SweepPlan& plan, int index);

std::string sweepPlanToJson(const SweepPlan& plan);
SweepPlan sweepPlanFromJson(const std::string& text, const std::string& source);
SweepPlan readSweepPlan(const std::string& path);
void writeSweepPlan(const std::string& path, const SweepPlan& plan);
// A digest of the plan's JSON (FNV-1a, hex): a cell file names the plan it belongs to.
std::string sweepPlanDigest(const SweepPlan& plan);

// Trains cell `index`; cancel() is polled between steps (a cancelled cell throws nothing and
// returns summary.steps < planned; callers do not keep it).
SweepCell runSweepCell(const SweepPlan& plan, int index, const std::function<bool()>& cancel = {});

std::string sweepCellToJson(const SweepCell& cell, const std::string& planDigest);
SweepCell sweepCellFromJson(const std::string& text, const std::string& source,
                            const std::string& planDigest);
// DIR/cell-INDEX.json
std::string sweepCellPath(const std::string& dir, int index);

// The cells of `plan` already in `dir` (a cell file of another plan is an InputError naming it).
std::vector<SweepCell> readSweepCells(const SweepPlan& plan, const std::string& dir);

// Runs every cell of `plan` that `dir` does not hold yet on `workers` threads (each cell's
// training on one thread), writing each cell file as it finishes: a stopped sweep resumes where
// it was. progress(cell, done, total) is called from the workers, one call at a time.
std::vector<SweepCell> runSweepGrid(const SweepPlan& plan, const std::string& dir, int workers,
                                    const std::function<void(const SweepCell&, int, int)>& progress = {},
                                    const std::function<bool()>& cancel = {});

// All cells of `plan` from `dir`, in index order; InputError naming the missing cells.
std::vector<SweepCell> mergeSweepCells(const SweepPlan& plan, const std::string& dir);
// One row per cell: <x setting>,<y setting>,steps,final_loss,train_accuracy,
// validation_accuracy,test_accuracy,diverged (numbers with 17 significant digits).
std::string sweepCellsToCsv(const SweepPlan& plan, const std::vector<SweepCell>& cells);

}  // namespace layerscope
