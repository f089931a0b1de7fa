// `layerscope-cli sweep`: two-setting sweeps (trainability maps) here, or on a scheduler.
//
//   sweep [--config E.json] --x SETTING=V1,V2,... [--y SETTING=V1,...] [--write-plan P.json]
//   sweep --plan P.json --out DIR [--jobs N] [--csv FILE] [--quiet]
//       runs every cell DIR does not hold yet on N threads (default: every core), writes
//       DIR/cell-I.json as each finishes (a stopped sweep resumes), then the merged CSV
//       (DIR/sweep.csv unless --csv)
//   sweep --plan P.json --emit-jobs DIR
//       DIR/plan.json, DIR/jobs.txt (one command per cell: `parallel -j N < DIR/jobs.txt`) and
//       DIR/slurm.sh (a Slurm array job, one task per cell)
//   sweep --plan P.json --cell I --out DIR      one cell (what each job runs)
//   sweep --merge DIR [--csv FILE]              DIR/plan.json + every cell -> DIR/sweep.csv
//   --export-plot FILE.png|svg|pdf [--metric train_accuracy|validation_accuracy|final_loss]
//       with --merge or --out: the trainability map (the app's heat map, the theory's trainable
//       depth 6 xi_c over depth x init; ui/plots/sweep_heatmap_plot.h)
// The plan's format and the cells' are in engine/lab/sweep_grid.h.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "lab/sweep_grid.h"

namespace layerscope {

// What --export-plot draws (app/cli_plot_export.h renders it with the app's heat map).
struct SweepPlotJob {
  SweepPlan plan;
  std::vector<SweepCell> cells;
  std::string path;
  std::string metric = "train_accuracy";
};
// Throws InputError("--export-plot: FILE: reason") when the file cannot be written.
using SweepPlotExporter = std::function<void(const SweepPlotJob&)>;

// args: the words after "sweep". Returns the exit status; throws InputError for bad input.
// Without `exportPlot` (a CLI built without the UI) --export-plot is an InputError.
int runSweepCommand(const std::vector<std::string>& args, std::ostream& out,
                    const SweepPlotExporter& exportPlot = {});

std::string sweepUsage();

}  // namespace layerscope
