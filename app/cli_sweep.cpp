#include "cli_sweep.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "cli_values.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/experiment_file.h"
#include "lab/sweep.h"
#include "lab/sweep_grid.h"

namespace layerscope {

namespace fs = std::filesystem;

namespace {

// "SETTING=V1,V2,..." -> an axis; the setting must be sweepable (lab/sweep.h checks each value).
SweepAxis parseAxis(const std::string& flag, const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw InputError(flag + ": expected SETTING=V1,V2,... (e.g. " + flag + " depth=2,4,8), got '" +
                     spec + "'");
  SweepAxis axis;
  axis.setting = spec.substr(0, eq);
  std::size_t start = eq + 1;
  while (true) {
    const auto comma = spec.find(',', start);
    const std::string value = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (value.empty()) throw InputError(flag + ": an empty value in '" + spec + "'");
    axis.values.push_back(value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return axis;
}

std::string selfPath() {
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string("layerscope-cli") : exe.string();
}

// Single quotes for a POSIX shell: the job lines run through GNU parallel's shell.
std::string quoted(const std::string& word) {
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string sweepUsage() {
  return R"(usage:
  layerscope-cli sweep [--config E.json] --x SETTING=V1,V2,... [--y SETTING=V1,...]
                       (--write-plan P.json | --out DIR [--jobs N] [--csv FILE] [--quiet])
  layerscope-cli sweep --plan P.json --out DIR [--jobs N] [--csv FILE] [--quiet]
  layerscope-cli sweep --plan P.json --emit-jobs DIR
  layerscope-cli sweep --plan P.json --cell I --out DIR
  layerscope-cli sweep --merge DIR [--csv FILE]
                       [--export-plot FILE.png|svg|pdf [--metric train_accuracy|
                        validation_accuracy|final_loss]]
Each cell trains the experiment with one value of x (and of y) for its steps or epochs and keeps
the final loss and accuracies. --out runs the cells DIR lacks on N threads (default: all cores)
and writes DIR/sweep.csv; --emit-jobs writes DIR/jobs.txt (one command per cell, for
`parallel -j N < DIR/jobs.txt`) and DIR/slurm.sh (a Slurm array job); --merge collects their cell
files into DIR/sweep.csv. --export-plot (with --merge or --out) draws the trainability map: the
heat map of the metric (default train_accuracy) with the theory's trainable depth 6 xi_c over it
when the axes are depth and the initialization. Sweepable settings: )" +
         std::string(sweepParameterNames()) + "\n";
}

int runSweepCommand(const std::vector<std::string>& args, std::ostream& out,
                    const SweepPlotExporter& exportPlot) {
  std::map<std::string, std::string> f;
  static const std::vector<std::string> known = {"--config", "--x", "--y", "--write-plan",
                                                 "--plan", "--out", "--jobs", "--csv",
                                                 "--emit-jobs", "--cell", "--merge",
                                                 "--export-plot", "--metric"};
  bool quiet = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      out << sweepUsage();
      return 0;
    }
    if (flag == "--quiet") {
      quiet = true;
      continue;
    }
    if (std::find(known.begin(), known.end(), flag) == known.end())
      throw InputError("sweep: unknown flag '" + flag + "' (see layerscope-cli sweep --help)");
    if (i + 1 >= args.size()) throw InputError(flag + ": missing value");
    f[flag] = args[++i];
  }
  const auto has = [&](const char* k) { return f.count(k) > 0; };
  if (has("--metric") && !has("--export-plot"))
    throw InputError("--metric: colours the map of --export-plot FILE; give that too");
  if (has("--export-plot")) {
    if (!has("--merge") && !(has("--out") && !has("--cell")))
      throw InputError("--export-plot: draws a whole sweep: use it with --merge DIR or --out DIR");
    if (!exportPlot)
      throw InputError("--export-plot: this layerscope-cli was built without the UI's plots");
    const std::string metric = has("--metric") ? f["--metric"] : "train_accuracy";
    if (metric != "train_accuracy" && metric != "validation_accuracy" && metric != "final_loss")
      throw InputError("--metric: expected train_accuracy, validation_accuracy or final_loss, got '" +
                       metric + "'");
  }
  // The map of a finished sweep, when asked for.
  const auto plot = [&](const SweepPlan& plan, const std::vector<SweepCell>& cells) {
    if (!has("--export-plot")) return;
    SweepPlotJob job;
    job.plan = plan;
    job.cells = cells;
    job.path = f["--export-plot"];
    if (has("--metric")) job.metric = f["--metric"];
    exportPlot(job);
    out << "plot -> " << job.path << "\n";
  };

  if (has("--merge")) {
    const std::string dir = f["--merge"];
    const SweepPlan plan = readSweepPlan((fs::path(dir) / "plan.json").string());
    const std::vector<SweepCell> cells = mergeSweepCells(plan, dir);
    const std::string csv = has("--csv") ? f["--csv"] : (fs::path(dir) / "sweep.csv").string();
    writeFileAtomically(csv, sweepCellsToCsv(plan, cells));
    out << "merged " << cells.size() << " cells into " << csv << "\n";
    plot(plan, cells);
    return 0;
  }

  SweepPlan plan;
  if (has("--plan")) {
    if (has("--x") || has("--y") || has("--config"))
      throw InputError("--plan: the plan names the experiment and the axes; leave out --config, --x, --y");
    plan = readSweepPlan(f["--plan"]);
  } else {
    if (!has("--x")) throw InputError("sweep: give --plan FILE, or --x SETTING=V1,V2,... (see --help)");
    if (has("--config")) plan.base = readExperimentFile(f["--config"]);
    plan.x = parseAxis("--x", f["--x"]);
    if (has("--y")) plan.y = parseAxis("--y", f["--y"]);
    checkSweepPlan(plan);
  }

  if (has("--write-plan")) {
    writeSweepPlan(f["--write-plan"], plan);
    out << "wrote " << f["--write-plan"] << " (" << sweepCellCount(plan) << " cells)\n";
    if (!has("--out") && !has("--emit-jobs")) return 0;
  }

  if (has("--emit-jobs")) {
    const fs::path dir = fs::absolute(f["--emit-jobs"]);
    fs::create_directories(dir);
    writeSweepPlan((dir / "plan.json").string(), plan);
    std::string jobs;
    const std::string exe = quoted(selfPath()), planPath = quoted((dir / "plan.json").string());
    for (int i = 0; i < sweepCellCount(plan); ++i)
      jobs += exe + " sweep --plan " + planPath + " --cell " + std::to_string(i) + " --out " +
              quoted(dir.string()) + "\n";
    writeFileAtomically((dir / "jobs.txt").string(), jobs);
    writeFileAtomically((dir / "slurm.sh").string(),
                        "#!/bin/bash\n"
                        "# One Slurm array task per sweep cell: sbatch " + (dir / "slurm.sh").string() +
                        "\n#SBATCH --job-name=layerscope-sweep\n#SBATCH --cpus-per-task=1\n"
                        "#SBATCH --array=0-" + std::to_string(sweepCellCount(plan) - 1) + "\n"
                        "sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" " + quoted((dir / "jobs.txt").string()) +
                        " | bash\n");
    out << "wrote " << sweepCellCount(plan) << " jobs to " << (dir / "jobs.txt").string()
        << " (run: parallel -j N < " << (dir / "jobs.txt").string() << "; or sbatch "
        << (dir / "slurm.sh").string() << "), then: layerscope-cli sweep --merge " << dir.string()
        << "\n";
    return 0;
  }

  if (!has("--out")) throw InputError("sweep: --out DIR is where the cells go (or --emit-jobs DIR)");
  const std::string dir = f["--out"];
  if (has("--cell")) {
    const int index = int(parseInteger("--cell", f["--cell"], 0, sweepCellCount(plan) - 1));
    fs::create_directories(dir);
    const SweepCell cell = runSweepCell(plan, index);
    writeFileAtomically(sweepCellPath(dir, index), sweepCellToJson(cell, sweepPlanDigest(plan)));
    if (!quiet) out << "cell " << index << " done: " << sweepCellPath(dir, index) << "\n";
    return 0;
  }
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  const int jobs = has("--jobs") ? int(parseInteger("--jobs", f["--jobs"], 1, 1024)) : cores;
  fs::create_directories(dir);
  writeSweepPlan((fs::path(dir) / "plan.json").string(), plan);
  std::mutex printing;
  const std::vector<SweepCell> cells = runSweepGrid(
      plan, dir, jobs, [&](const SweepCell& c, int done, int total) {
        if (quiet) return;
        std::lock_guard<std::mutex> lock(printing);
        out << "cell " << done << "/" << total << ": " << plan.x.setting << "=" << c.x
            << (plan.y.setting.empty() ? "" : " " + plan.y.setting + "=" + c.y)
            << "  train acc " << c.summary.trainAccuracy
            << (c.summary.diverged ? "  (diverged)" : "") << "\n";
      });
  const std::string csv = has("--csv") ? f["--csv"] : (fs::path(dir) / "sweep.csv").string();
  writeFileAtomically(csv, sweepCellsToCsv(plan, cells));
  out << "wrote " << csv << " (" << cells.size() << " cells)\n";
  plot(plan, cells);
  return 0;
}

}  // namespace layerscope
