// Command-line parsing for layerscope-cli: flags mirror the experiment file's keys
// (docs/ARCHITECTURE.md, "The headless CLI contract") and override --config FILE wherever they
// stand.
#pragma once

#include <string>
#include <vector>

#include "config.h"

namespace layerscope {

struct CliOptions {
  std::string command;          // "train", "open", "lesson", "phase", "help", "version"
  std::string runFile;          // open: the saved run (app/cli_open.h)
  std::string lesson;           // lesson: the lesson's id or file (app/cli_lesson.h)
  std::vector<std::string> phaseArgs;  // phase: its own flags (app/cli_phase.h)
  ExperimentConfig config;
  std::string configPath;       // --config
  std::string statsCsv;         // --stats-csv
  std::string statsJson;        // --stats-json
  std::string lossCsv;          // --loss-csv: step,loss for every step
  std::string histogramsCsv;    // --histograms-csv
  std::string summaryJson;      // --summary-json
  std::string exportModel;      // --export-model
  std::string saveExperiment;   // --save-experiment
  std::string saveWithWeights;  // --save-experiment-with-weights FILE.json (+ FILE.onnx)
  std::string weightsPath;      // "weights" of the --config file, resolved: start from them
  std::string saveRun;          // --save-run FILE.lsrun: the whole run (io/run_file.h)
  // --keyframe-every N: a keyframe every N steps and one of the final state; 0: none; -1 (the
  // flag left out): only the final state's, so the saved run can be continued.
  long keyframeEvery = -1;
  // --jacobian-every K --jacobian-csv FILE: Jacobian singular values at step 0, every K steps
  // and the last step (app/cli_jacobian.h); 0: none.
  long jacobianEvery = 0;
  std::string jacobianCsv;
  bool continueRun = false;     // open --continue: train on from the saved run's last keyframe
  std::vector<std::string> exportPlotFiles;  // --export-plot (repeatable, or a comma list)
  std::vector<std::string> plotNames;        // --plot (repeatable, or a comma list)
  int plotWidth = 0, plotHeight = 0;         // --plot-size WxH (0: the plot's default)
  double plotDpi = 96.0;                     // --plot-dpi (PNG)
  // --heatmap-statistic NAME: what layer_heatmap colours (heatmapStatisticsAccepted()).
  std::string heatmapStatistic = "activation_std";
  // --export-animation FILE.gif|FILE.mp4: the --plot (default dashboard) over the run's steps
  // (ui/export/animation_export.h), frames = fps x duration, or one every --steps-per-frame.
  std::string exportAnimation;
  int animationFps = 10;                 // --fps, 1..60 (GIF: 1..50)
  double animationSeconds = 10.0;        // --duration S
  long animationStepsPerFrame = 0;       // --steps-per-frame N (0: from --duration)
  long animationFrom = 0, animationTo = -1;  // --animation-steps FROM:TO (-1: the last step)
  bool quiet = false;           // --quiet: no progress lines
  // --sharpness-every K, --sharpness-csv FILE, --sharpness-iterations N: the top Hessian
  // eigenvalue of the training loss (analysis/sharpness.h) at step 0, every K steps and the last
  // step, as step,sharpness,threshold,iterations,seconds,preconditioned_sharpness,
  // preconditioned_threshold (app/cli_sharpness.h).
  long sharpnessEvery = 0;
  std::string sharpnessCsv;
  int sharpnessIterations = 100;
};

// One plot to render after the run: depth_profile, histograms, std_over_time, gradients, loss,
// decision_regions, layer_heatmap, histogram_over_time, percentiles or dashboard, into a .png,
// .svg or .pdf file.
struct PlotExportRequest {
  std::string name;
  std::string path;
};

// The plot --export-animation draws: the --plot name (the first of several when --export-plot
// takes them too), else the dashboard.
std::string animationPlotName(const CliOptions& options);

// The names --plot accepts.
const std::vector<std::string>& plotNamesAccepted();
// The names --heatmap-statistic accepts, in the order of ui/plots/layer_time_heatmap_plot.h's
// Statistic (which maps each back): activation_std, saturated_fraction, dead_fraction,
// update_ratio, gradient_std, effective_rank, gradient_snr.
const std::vector<std::string>& heatmapStatisticsAccepted();

// Pairs --export-plot files with --plot names: one name per file in order; a single file with
// several names writes FILE-NAME.EXT for each; a single name with several files writes that plot
// to each file; no --plot means the dashboard. Throws InputError
// for a mismatch, an unknown name or an unknown file type.
std::vector<PlotExportRequest> plotExportRequests(const CliOptions& options);

// Throws InputError naming the flag at fault ("--depth: 'abc' is not an integer").
CliOptions parseCliOptions(const std::vector<std::string>& args);

std::string cliUsage();

// Engine messages name settings by their field ("depth: must be ..."); on the command line the
// user typed "--depth": say that.
std::string asFlagMessage(const std::string& message);

}  // namespace layerscope
