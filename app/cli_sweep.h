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
// The plan's format and the cells' are in engine/lab/sweep_grid.h.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace layerscope {

// args: the words after "sweep". Returns the exit status; throws InputError for bad input.
int runSweepCommand(const std::vector<std::string>& args, std::ostream& out);

std::string sweepUsage();

}  // namespace layerscope
