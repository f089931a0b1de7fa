#include "cli_open.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <string>

#include "errors.h"
#include "io/run_file.h"

namespace layerscope {
namespace {

// The saved 2-D points as the data set the decision plot draws (cli_plot_export.cpp samples it
// as the app does); an empty set when the run has none.
Dataset pointsAsDataset(const RunPoints& points) {
  Dataset d;
  d.classes = points.classes;
  if (points.empty()) return d;
  const int n = static_cast<int>(points.x.size());
  d.x.resize(2, n);
  for (int i = 0; i < n; ++i) {
    d.x(0, i) = points.x[size_t(i)];
    d.x(1, i) = points.y[size_t(i)];
  }
  d.y = points.label;
  return d;
}

}  // namespace

int runOpenCommand(const CliOptions& options, std::ostream& out, const PlotExporter& exportPlots) {
  checkRunOutputs(options, exportPlots);
  const auto start = std::chrono::steady_clock::now();
  const SavedRun run = readRunFile(options.runFile);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Dataset points = pointsAsDataset(run.points);
  for (const PlotExportRequest& p : plotExportRequests(options))
    if (p.name == "decision_regions" && run.points.empty())
      throw InputError("--plot: decision_regions: only for 2-D data (" + options.runFile +
                       " has no 2-D training points)");
  const RunSummary* summary = run.hasSummary ? &run.summary : nullptr;

  if (!options.quiet) {
    const long steps = run.losses.empty() ? (run.snapshots.empty() ? 0 : run.snapshots.back().step)
                                          : run.losses.back().step;
    char read[80];
    std::snprintf(read, sizeof read, " (%.0f bytes, read in %.2f s)",
                  double(std::filesystem::file_size(options.runFile)), seconds);
    out << "LayerScope: saved run " << options.runFile << read << ": " << steps << " steps, "
        << run.snapshots.size() << " probes, " << run.keyframes.size()
        << (run.keyframes.size() == 1 ? " keyframe" : " keyframes")
        << (run.keyframes.empty() ? ""
                                  : " (the last at step " +
                                        std::to_string(run.keyframes.back().step) + ")")
        << "\n";
    // The progress lines as train printed them, against the plan it ran to.
    ProgressPrinter progress(run.config, summary ? summary->steps : steps, out);
    for (const StatsSnapshot& s : run.snapshots) progress.print(s);
    printRunEnd(run.snapshots.empty() ? nullptr : &run.snapshots.back(), "", summary, out);
  }
  if (summary && summary->diverged) out << "DIVERGED: " << summary->divergence << "\n";

  RunRecord record;
  record.experiment = &run.config;
  record.snapshots = &run.snapshots;
  record.losses = &run.losses;
  record.summary = summary;
  record.train = &points;
  // --summary-json of a run without a summary fails before any file is written.
  if (!options.summaryJson.empty() && !summary)
    throw InputError("--summary-json: " + options.runFile + " has no summary (it was saved "
                     "before the run ended)");
  writeRunOutputs(options, record, exportPlots, out);
  return 0;
}

}  // namespace layerscope
