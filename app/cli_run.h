// The `train` command of layerscope-cli: runs an experiment to the end, prints progress and the
// per-layer table, writes the requested files.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli_options.h"
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
  const Trainer* trainer = nullptr;                       // the data (2-D points), the config
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
// Throws InputError naming the file or plot when one cannot be written.
using PlotExporter = std::function<void(const PlotExportJob&)>;

// Returns the process exit status. Throws InputError for bad input (the caller prints it).
int runTrainCommand(const CliOptions& options, std::ostream& out,
                    const PlotExporter& exportPlots = {});

}  // namespace layerscope
