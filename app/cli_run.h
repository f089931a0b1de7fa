// The `train` command of layerscope-cli: runs an experiment to the end, prints progress and the
// per-layer table, writes the requested files.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli_options.h"
#include "data/dataset.h"
#include "io/run_file.h"
#include "training/run_summary.h"
#include "training/stats.h"

namespace layerscope {

class Trainer;

// The plots asked for by --export-plot, rendered after the run from its snapshots. The
// rendering needs Qt (app/cli_plot_export.h); this library stays Qt-free and receives it as a
// function, so a build without the UI still has a working CLI.
struct PlotExportJob {
  std::vector<PlotExportRequest> requests;
  int width = 0, height = 0;  // 0: each plot's default size
  double dpi = 96.0;
  const std::vector<StatsSnapshot>* snapshots = nullptr;  // every probe of the run, in order
  const Dataset* train = nullptr;              // its training data (the 2-D points), or empty
  const ExperimentConfig* experiment = nullptr;  // the run's (the depth profile's theory)
  std::string experimentJson;                             // embedded in every file
  // A lesson's figure (app/cli_lesson.h): its earlier runs, overlaid as the window overlays
  // pinned runs, and what the histograms show ("" = post_activation).
  struct EarlierRun {
    std::string label;
    std::vector<StatsSnapshot> snapshots;  // in order; the last one is pinned
    const Trainer* trainer = nullptr;      // its training points (2-D data)
  };
  std::vector<EarlierRun> earlierRuns;
  std::string histogramMode;
  std::string heatmapStatistic = "activation_std";  // --heatmap-statistic: what layer_heatmap colours
  // --export-animation: `plot` over the run's steps as a GIF or MP4 (path empty: none).
  struct Animation {
    std::string path, plot = "dashboard";
    int fps = 10;
    double seconds = 10.0;
    long stepsPerFrame = 0;
    long from = 0, to = -1;  // -1: the last step
  };
  Animation animation;
};

// The job for `run`'s figures as --export-plot, --plot, --plot-size, --plot-dpi and
// --export-animation (with --fps, --duration, --steps-per-frame, --animation-steps) ask.
PlotExportJob plotExportJob(const CliOptions& options, const std::vector<StatsSnapshot>& snapshots,
                            const Trainer& run, const ExperimentConfig& experiment);
// The same for a run known by its record alone (a saved run): `train` holds its 2-D points.
PlotExportJob plotExportJob(const CliOptions& options, const std::vector<StatsSnapshot>& snapshots,
                            const Dataset& train, const ExperimentConfig& experiment);
// Throws InputError naming the file or plot when one cannot be written.
using PlotExporter = std::function<void(const PlotExportJob&)>;

// What a run leaves behind, trained now (train) or read back from a saved run (open): the files
// both commands write come from it alone, so the two write the same bytes.
struct RunRecord {
  const ExperimentConfig* experiment = nullptr;           // as it ran
  const std::vector<StatsSnapshot>* snapshots = nullptr;  // every probe, in order
  const std::vector<LossPoint>* losses = nullptr;         // every step's batch loss
  const RunSummary* summary = nullptr;                    // null: the run has none
  const Dataset* train = nullptr;  // its training data: the 2-D points the decision plot draws
};

// Fails before a long run rather than after it when an output of writeRunOutputs cannot be
// written (its folder is not writable), or --export-plot cannot be drawn by this build.
void checkRunOutputs(const CliOptions& options, const PlotExporter& exportPlots);
// Writes --stats-csv, --loss-csv, --histograms-csv, --stats-json, --summary-json and
// --export-plot from the record (atomically, io/atomic_file.h); names each plot on `out`
// unless --quiet.
void writeRunOutputs(const CliOptions& options, const RunRecord& run,
                     const PlotExporter& exportPlots, std::ostream& out);

// The progress lines as train prints them while it runs (and open replays them): every probe
// with an explicit --stats-every, else the probes that cross each tenth of the run.
class ProgressPrinter {
 public:
  ProgressPrinter(const ExperimentConfig& config, long plannedSteps, std::ostream& out);
  void print(const StatsSnapshot& s);

 private:
  bool everyLine_;
  long planned_, printedTenth_ = 0;
  std::ostream& out_;
};
// The end of a run's report: the last probe's per-layer table ("statistics at step N" and
// `probeWords`, e.g. " (probe batch of 200 training samples)"), the summary line, and the
// divergence. Either may be null.
void printRunEnd(const StatsSnapshot* last, const std::string& probeWords,
                 const RunSummary* summary, std::ostream& out);

// Fails before a long run rather than after it when `path` (given by `flag`; empty: none)
// cannot be written: its folder is not writable.
void checkWritable(const std::string& flag, const std::string& path);
// Whether --save-run and --keyframe-every ask for a keyframe after this step: every N steps and
// after the run's last step. Taken after the step, before its probe: a restored run probes first
// when due (Trainer::run), so a continued run makes the probes the saved one made.
bool keyframeDue(const CliOptions& options, const Trainer& trainer, long step);
// Writes --save-run (atomically) and, unless --quiet, says how big it is and how long it took.
void writeSavedRun(const CliOptions& options, const SavedRun& run, std::ostream& out);
// The 2-D points a saved run keeps for its decision plot: the training split as the network
// sees it (preprocessed); none for data of other dimensions.
RunPoints savedPoints(const Dataset& train);

// Refuses --plot decision_regions for data that is not 2-D (`whose`: "this data set").
void checkDecisionPlot(const CliOptions& options, int features, const std::string& whose);

// Returns the process exit status. Throws InputError for bad input (the caller prints it).
int runTrainCommand(const CliOptions& options, std::ostream& out,
                    const PlotExporter& exportPlots = {});

}  // namespace layerscope
