#include "cli_run.h"

#include "cli_jacobian.h"
#include "cli_progress.h"
#include "cli_sharpness.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <unistd.h>
#include <cstdio>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "io/atomic_file.h"
#include "data/source.h"
#include "errors.h"
#include "io/experiment_file.h"
#include "model/initializer.h"
#include "io/onnx_import.h"
#include "io/run_file.h"
#include "io/stats_io.h"
#include "training/trainer.h"
#include "lab/run.h"
#include "settings/schema.h"

namespace layerscope {
namespace {

std::string format(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a);
  return buf;
}

std::string describe(const ExperimentConfig& c, const Trainer& t) {
  const ModelConfig& m = c.model;
  std::string init = m.init;
  if (m.init == "normal") init += "(std " + format("%g", m.initStd) + ")";
  if (m.init == "uniform") init += "(bound " + format("%g", m.initBound) + ")";
  std::string net = m.widths.empty() ? std::to_string(m.depth) + " x " + std::to_string(m.width)
                                     : std::to_string(m.widths.size()) + " layers";
  const DataSplits& d = t.data();
  return net + " " + m.activation + (m.batchNorm ? " + batch norm" : "") +
         (m.dropout > 0 ? " + dropout " + format("%g", m.dropout) : "") + ", init " + init +
         "; data " + c.data.source + ": " + std::to_string(d.train.samples()) + " train / " +
         std::to_string(d.validation.samples()) + " validation / " + std::to_string(d.test.samples()) +
         " test samples, " + std::to_string(d.train.features()) + " features, " +
         std::to_string(t.network().classes()) + " classes, preprocess " + c.data.preprocess;
}

// Each column as wide as its widest cell (header included), right-aligned, so the table stays
// aligned whatever the numbers look like (1e-300, -inf, 65536 units).
void printLayerTable(const StatsSnapshot& s, std::ostream& out) {
  const std::vector<std::string> header = {"layer", "kind",      "units", "mean",
                                           "std",   "saturated", "dead",  "grad std"};
  std::vector<std::vector<std::string>> rows;
  for (const LayerStats& l : s.layers)
    rows.push_back({std::to_string(l.layer), l.kind, std::to_string(l.units),
                    format("%.6f", l.activation.mean), format("%.6g", l.activation.std),
                    format("%.4f", l.saturatedFraction), format("%.4f", l.deadFraction),
                    format("%.3g", l.gradientStd)});
  // The widths of the first version's table, so a typical table reads as it always did.
  std::vector<size_t> width = {5, 6, 7, 10, 10, 9, 6, 9};
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  const auto printRow = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - std::min(width[c], row[c].size()), ' ');
      line += c == 0 ? "" : c == 2 ? " " : "  ";
      line += c == 1 ? row[c] + pad : pad + row[c];  // the kind reads left-aligned
    }
    out << line << "\n";
  };
  printRow(header);
  for (const auto& row : rows) printRow(row);
}

void printProgress(const StatsSnapshot& s, std::ostream& out) {
  char line[200];
  std::snprintf(line, sizeof line,
                "step %ld epoch %d: train loss %.4f, probe loss %.4f acc %.3f, validation loss "
                "%.4f acc %.3f\n",
                s.step, s.epoch, s.trainLoss, s.probeLoss, s.probeAccuracy, s.validationLoss,
                s.validationAccuracy);
  out << line;
}


}  // namespace

void checkWritable(const std::string& flag, const std::string& path) {
  if (path.empty()) return;
  std::string dir = path.substr(0, path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/'));
  if (dir.empty()) dir = path.find('/') == 0 ? "/" : ".";
  if (::access(dir.c_str(), W_OK) != 0)
    throw InputError(flag + ": " + path + ": cannot write: " + std::strerror(errno));
}

PlotExportJob plotExportJob(const CliOptions& options, const std::vector<StatsSnapshot>& snapshots,
                            const Trainer& run, const ExperimentConfig& experiment) {
  PlotExportJob job = plotExportJob(options, snapshots, run.data().train, experiment);
  job.experiment = &run.config();
  return job;
}

PlotExportJob plotExportJob(const CliOptions& options, const std::vector<StatsSnapshot>& snapshots,
                            const Dataset& train, const ExperimentConfig& experiment) {
  PlotExportJob job;
  job.requests = plotExportRequests(options);
  job.width = options.plotWidth;
  job.height = options.plotHeight;
  job.dpi = options.plotDpi;
  job.heatmapStatistic = options.heatmapStatistic;
  job.snapshots = &snapshots;
  job.train = &train;
  job.experiment = &experiment;
  job.experimentJson = experimentToJson(experiment);
  if (!options.exportAnimation.empty()) {
    job.animation.path = options.exportAnimation;
    job.animation.plot = animationPlotName(options);
    job.animation.fps = options.animationFps;
    job.animation.seconds = options.animationSeconds;
    job.animation.stepsPerFrame = options.animationStepsPerFrame;
    job.animation.from = options.animationFrom;
    job.animation.to = options.animationTo;
  }
  return job;
}

void checkRunOutputs(const CliOptions& options, const PlotExporter& exportPlots) {
  const std::vector<PlotExportRequest> plots = plotExportRequests(options);
  if (!plots.empty() && !exportPlots)
    throw InputError("--export-plot: this layerscope-cli was built without the Qt UI (no plots)");
  for (const PlotExportRequest& p : plots) checkWritable("--export-plot", p.path);
  if (!options.exportAnimation.empty() && !exportPlots)
    throw InputError("--export-animation: this layerscope-cli was built without the Qt UI (no plots)");
  checkWritable("--export-animation", options.exportAnimation);
  checkWritable("--stats-csv", options.statsCsv);
  checkWritable("--loss-csv", options.lossCsv);
  checkWritable("--histograms-csv", options.histogramsCsv);
  checkWritable("--stats-json", options.statsJson);
  checkWritable("--summary-json", options.summaryJson);
  checkWritable("--jacobian-csv", options.jacobianCsv);
}

void checkDecisionPlot(const CliOptions& options, int features, const std::string& whose) {
  for (const PlotExportRequest& p : plotExportRequests(options))
    if (p.name == "decision_regions" && features != 2)
      throw InputError("--plot: decision_regions: only for 2-D data (" + whose + " has " +
                       std::to_string(features) + " features)");
  if (!options.exportAnimation.empty() && animationPlotName(options) == "decision_regions" &&
      features != 2)
    throw InputError("--plot: decision_regions: only for 2-D data (" + whose + " has " +
                     std::to_string(features) + " features)");
}

void writeRunOutputs(const CliOptions& options, const RunRecord& run,
                     const PlotExporter& exportPlots, std::ostream& out) {
  const std::vector<StatsSnapshot>& snapshots = *run.snapshots;
  if (!options.statsCsv.empty()) writeFileAtomically(options.statsCsv, statsCsv(snapshots));
  if (!options.lossCsv.empty()) {
    std::string csv = "step,loss\n";
    csv.reserve(csv.size() + run.losses->size() * 16);
    char row[48];
    for (const LossPoint& p : *run.losses) {
      std::snprintf(row, sizeof row, "%ld,%.9g\n", p.step, p.loss);
      csv += row;
    }
    writeFileAtomically(options.lossCsv, csv);
  }
  if (!options.histogramsCsv.empty())
    writeFileAtomically(options.histogramsCsv, statsHistogramsCsv(snapshots));
  if (!options.statsJson.empty())
    writeFileAtomically(options.statsJson, statsJson(snapshots, *run.experiment));
  if (!options.summaryJson.empty()) {
    if (!run.summary)
      throw InputError("--summary-json: the run has no summary (it was saved before it ended)");
    writeFileAtomically(options.summaryJson, summaryJson(*run.summary, *run.experiment));
  }
  const std::vector<PlotExportRequest> plots = plotExportRequests(options);
  const bool animate = !options.exportAnimation.empty();
  if (!plots.empty() || animate) {
    exportPlots(plotExportJob(options, snapshots, *run.train, *run.experiment));
    if (!options.quiet) {
      for (const PlotExportRequest& p : plots) out << "plot " << p.name << " -> " << p.path << "\n";
      if (animate)
        out << "animation " << animationPlotName(options) << " -> " << options.exportAnimation
            << "\n";
    }
  }
}

ProgressPrinter::ProgressPrinter(const ExperimentConfig& config, long plannedSteps, std::ostream& out)
    : everyLine_(config.stats.every >= 0), planned_(std::max(1L, plannedSteps)), out_(out) {}

// The automatic cadence probes >= kMinProbes times; printing each would bury the table, so it
// prints the probes that cross each tenth of the run (and the last). An explicit --stats-every
// prints every probe it asked for.
void ProgressPrinter::print(const StatsSnapshot& s) {
  if (s.step <= 0) return;
  const long tenth = s.step * 10 / planned_;
  if (everyLine_ || tenth > printedTenth_ || s.step >= planned_ || s.diverged) {
    printProgress(s, out_);
    printedTenth_ = tenth;
  }
}

void printRunEnd(const StatsSnapshot* last, const std::string& probeWords,
                 const RunSummary* summary, std::ostream& out) {
  if (last) {
    out << "statistics at step " << last->step << probeWords << ":\n";
    printLayerTable(*last, out);
  }
  if (!summary) return;
  char line[240];
  std::snprintf(line, sizeof line,
                "%ld steps in %.2f s (%.1f steps/s, statistics %.2f s); final loss %.4f, train "
                "accuracy %.4f, validation accuracy %.4f, test accuracy %.4f\n",
                summary->steps, summary->trainSeconds, summary->stepsPerSecond,
                summary->statsSeconds, summary->finalLoss, summary->trainAccuracy,
                summary->validationAccuracy, summary->testAccuracy);
  out << line;
}

RunPoints savedPoints(const Dataset& train) {
  RunPoints points;
  if (train.features() != 2) return points;
  points.classes = train.classes;
  points.x.reserve(size_t(train.samples()));
  points.y.reserve(size_t(train.samples()));
  for (int i = 0; i < train.samples(); ++i) {
    points.x.push_back(train.x(0, i));
    points.y.push_back(train.x(1, i));
  }
  points.label = train.y;
  return points;
}

bool keyframeDue(const CliOptions& options, const Trainer& trainer, long step) {
  if (options.saveRun.empty() || options.keyframeEvery == 0) return false;
  return (options.keyframeEvery > 0 && step % options.keyframeEvery == 0) || trainer.finished();
}

void writeSavedRun(const CliOptions& options, const SavedRun& run, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  writeRunFile(options.saveRun, run);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.quiet) return;
  char line[400];
  std::snprintf(line, sizeof line,
                "run -> %s (%.0f bytes: %zu probes, %zu steps' losses, %zu keyframes; written in "
                "%.2f s)\n",
                options.saveRun.c_str(), double(std::filesystem::file_size(options.saveRun)),
                run.snapshots.size(), run.losses.size(), run.keyframes.size(), seconds);
  out << line;
}

int runTrainCommand(const CliOptions& options, std::ostream& out, const PlotExporter& exportPlots) {
  const ExperimentConfig& config = options.config;
  validate(config);
  checkRunOutputs(options, exportPlots);
  checkWritable("--save-experiment-with-weights", options.saveWithWeights);
  checkWritable("--export-model", options.exportModel);
  checkWritable("--save-experiment", options.saveExperiment);
  checkWritable("--save-run", options.saveRun);
  // --sharpness-every / --sharpness-csv (app/cli_sharpness.h), checked before training.
  checkWritable("--sharpness-csv", options.sharpnessCsv);
  SharpnessRecorder sharpnessRecorder(options);
  if (options.continueRun)
    throw InputError("--continue: continues a saved run: layerscope-cli open FILE.lsrun --continue");
  if (options.keyframeEvery >= 0 && options.saveRun.empty())
    throw InputError("--keyframe-every: keyframes go into --save-run FILE.lsrun: give it too");
  if (options.jacobianEvery > 0 && options.jacobianCsv.empty())
    throw InputError("--jacobian-every: the spectra go into --jacobian-csv FILE: give it too");
  // A continuous last column would silently train as hundreds of classes: refuse it (exit 2)
  // unless --label-column (or the file's label_column) chose it.
  checkLabelColumn(config.data);
  // Loading, building and the final evaluation on one stderr line when it is a terminal;
  // Ctrl-C cancels (Cancelled, exit 130) before any output file is written.
  TerminalProgress terminal(!options.quiet && stderrIsTerminal());
  std::unique_ptr<Trainer> trained;
  if (options.weightsPath.empty()) {
    trained = startRun(config, nullptr, terminal.progress());
  } else {
    // The experiment names trained weights: continue from them (their architecture and
    // preprocessing), on the experiment's data with its training settings.
    const ModelState model = importOnnx(options.weightsPath);
    try {
      trained = startRun(config, &model, terminal.progress());
    } catch (const InputError& e) {
      throw InputError(options.configPath + ": weights " + options.weightsPath + ": " + e.what());
    }
  }
  terminal.clear();
  Trainer& trainer = *trained;
  // Every requested output is checked before the first file is written: a plot that cannot be
  // drawn for this data must not leave the other files behind.
  checkDecisionPlot(options, trainer.data().train.features(), "this data set");
  if (!options.saveExperiment.empty()) writeExperimentFile(options.saveExperiment, config);
  // With weights, the model's architecture and preprocessing replace the file's.
  const ExperimentConfig& effective = options.weightsPath.empty() ? config : trainer.config();
  if (!options.quiet) {
    out << "LayerScope: " << describe(effective, trainer) << "\n";
    if (!options.weightsPath.empty())
      out << "starting from the trained weights in " << options.weightsPath << "\n";
  }

  const bool saveRun = !options.saveRun.empty();
  std::vector<StatsSnapshot> history;
  const bool keepHistory = !options.statsCsv.empty() || !options.statsJson.empty() ||
                           !options.histogramsCsv.empty() || !plotExportRequests(options).empty() ||
                           !options.exportAnimation.empty() || saveRun;
  StatsSnapshot last;
  bool haveSnapshot = false;
  ProgressPrinter progress(config, trainer.plannedSteps(), out);
  // Every step's batch loss, for --loss-csv and --save-run: 16 bytes a step (a million steps:
  // 16 MB).
  const bool keepLosses = !options.lossCsv.empty() || saveRun;
  std::vector<LossPoint> losses;
  if (keepLosses) losses.reserve(size_t(std::min(std::max(1L, trainer.plannedSteps()), 1000000L)));
  std::vector<Keyframe> keyframes;
  // Between steps the network is the one the next step trains; the spectrum only reads it.
  JacobianRecorder jacobian(!options.jacobianCsv.empty(), options.jacobianEvery);
  if (jacobian.due(trainer.stepsDone()))
    jacobian.record(trainer.stepsDone(), trainer.network(), trainer.probeInputs());
  sharpnessRecorder.afterStep(trainer, trainer.stepsDone());  // step 0 (or the weights' start)
  const auto onStep = [&](const StepResult& r) {
    if (keepLosses) losses.push_back({r.step, r.loss});
    if (keyframeDue(options, trainer, r.step)) keyframes.push_back(trainer.keyframe());
    if (jacobian.due(r.step)) jacobian.record(r.step, trainer.network(), trainer.probeInputs());
    sharpnessRecorder.afterStep(trainer, r.step);
  };
  const RunSummary summary = trainer.run(
      [&](const StatsSnapshot& s) {
        if (keepHistory) history.push_back(s);
        if (!options.quiet) progress.print(s);
        last = s;
        haveSnapshot = true;
      },
      TerminalProgress::interrupted, onStep, terminal.progress());
  terminal.clear();

  if (!options.quiet)
    printRunEnd(haveSnapshot ? &last : nullptr,
                " (probe batch of " + std::to_string(trainer.probeInputs().cols()) +
                    " training samples)",
                &summary, out);
  if (summary.diverged) out << "DIVERGED: " << summary.divergence << "\n";
  if (jacobian.enabled()) {
    jacobian.finish(trainer.stepsDone(), trainer.network(), trainer.probeInputs());
    writeFileAtomically(options.jacobianCsv, jacobian.csv());
  }

  RunRecord record;
  record.experiment = &effective;
  record.snapshots = &history;
  record.losses = &losses;
  record.summary = &summary;
  record.train = &trainer.data().train;
  writeRunOutputs(options, record, exportPlots, out);
  sharpnessRecorder.write();
  if (saveRun) {
    SavedRun run;
    run.config = effective;
    run.snapshots = std::move(history);
    run.losses = std::move(losses);
    run.points = savedPoints(trainer.data().train);
    // The final state when no step took it (a run of 0 steps), unless keyframes are off.
    if (options.keyframeEvery != 0 &&
        (keyframes.empty() || keyframes.back().step != trainer.stepsDone()))
      keyframes.push_back(trainer.keyframe());
    run.keyframes = std::move(keyframes);
    run.hasSummary = true;
    run.summary = summary;
    writeSavedRun(options, run, out);
  }
  if (!options.exportModel.empty()) exportModel(options.exportModel, trainer);
  if (!options.saveWithWeights.empty())
    saveExperimentWithWeights(options.saveWithWeights, trainer, effective);
  return 0;
}

}  // namespace layerscope
