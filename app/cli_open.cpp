#include "cli_open.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "errors.h"
#include "io/run_file.h"
#include "lab/run.h"
#include "settings/schema.h"
#include "training/trainer.h"

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

// open --continue --steps M: M more steps from the saved run's last keyframe, on its data loaded
// again from its experiment. The run goes on exactly as it would have (the keyframe holds every
// random stream and accumulator); the saved probes and losses before the keyframe are kept, so
// the files hold the whole run, as a run trained to the end in one go would have written them
// (with the same probe cadence).
int continueRun(const CliOptions& options, SavedRun run, std::ostream& out,
                const PlotExporter& exportPlots) {
  if (run.keyframes.empty())
    throw InputError("--continue: " + options.runFile + " has no keyframe to continue from (it "
                     "was saved with --keyframe-every 0)");
  const long more = options.config.train.steps;
  if (more < 1) throw InputError("--continue: give the steps to train on with --steps M (M >= 1)");
  const Keyframe keyframe = run.keyframes.back();
  ExperimentConfig config = run.config;
  config.train.steps = keyframe.step + more;
  checkWritable("--save-run", options.saveRun);
  std::unique_ptr<Trainer> trained;
  try {
    trained = startRun(config);
    trained->restore(keyframe);
  } catch (const InputError& e) {
    throw InputError(options.runFile + ": " + e.what());
  }
  Trainer& trainer = *trained;
  checkDecisionPlot(options, trainer.data().train.features(), "this data set");
  if (!options.quiet)
    out << "continuing from the keyframe at step " << keyframe.step << " to step "
        << config.train.steps << "\n";

  // What came before the keyframe stays; the trainer makes the rest (a keyframe is taken
  // before its step's probe, so the probe at the keyframe's step is made again, the same).
  const auto keepWhile = [](auto& list, auto keep) {
    list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& x) { return !keep(x); }),
               list.end());
  };
  keepWhile(run.snapshots, [&](const StatsSnapshot& s) { return s.step < keyframe.step; });
  keepWhile(run.losses, [&](const LossPoint& p) { return p.step <= keyframe.step; });
  keepWhile(run.keyframes, [&](const Keyframe& k) { return k.step < keyframe.step; });
  if (options.keyframeEvery != 0 && !options.saveRun.empty()) run.keyframes.push_back(keyframe);
  ProgressPrinter progress(config, trainer.plannedSteps(), out);
  StatsSnapshot last;
  bool haveSnapshot = false;
  run.summary = trainer.run(
      [&](const StatsSnapshot& s) {
        run.snapshots.push_back(s);
        if (!options.quiet) progress.print(s);
        last = s;
        haveSnapshot = true;
      },
      {},
      [&](const StepResult& r) {
        run.losses.push_back({r.step, r.loss});
        if (keyframeDue(options, trainer, r.step)) run.keyframes.push_back(trainer.keyframe());
      });
  run.hasSummary = true;
  run.config = config;
  if (!options.quiet)
    printRunEnd(haveSnapshot ? &last : nullptr,
                " (probe batch of " + std::to_string(trainer.probeInputs().cols()) +
                    " training samples)",
                &run.summary, out);
  if (run.summary.diverged) out << "DIVERGED: " << run.summary.divergence << "\n";

  RunRecord record;
  record.experiment = &run.config;
  record.snapshots = &run.snapshots;
  record.losses = &run.losses;
  record.summary = &run.summary;
  record.train = &trainer.data().train;
  writeRunOutputs(options, record, exportPlots, out);
  if (!options.saveRun.empty()) writeSavedRun(options, run, out);
  return 0;
}

}  // namespace

int runOpenCommand(const CliOptions& options, std::ostream& out, const PlotExporter& exportPlots) {
  checkRunOutputs(options, exportPlots);
  if (!options.continueRun && (options.config.train.steps >= 0 || !options.saveRun.empty() ||
                               options.keyframeEvery >= 0))
    throw InputError("open: --steps, --save-run and --keyframe-every go with --continue");
  const auto start = std::chrono::steady_clock::now();
  SavedRun run = readRunFile(options.runFile);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
  }
  if (options.continueRun) return continueRun(options, std::move(run), out, exportPlots);

  const Dataset points = pointsAsDataset(run.points);
  for (const PlotExportRequest& p : plotExportRequests(options))
    if (p.name == "decision_regions" && run.points.empty())
      throw InputError("--plot: decision_regions: only for 2-D data (" + options.runFile +
                       " has no 2-D training points)");
  const RunSummary* summary = run.hasSummary ? &run.summary : nullptr;
  if (!options.quiet) {
    // The progress lines as train printed them, against the plan it ran to.
    const long steps = run.losses.empty() ? (run.snapshots.empty() ? 0 : run.snapshots.back().step)
                                          : run.losses.back().step;
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
