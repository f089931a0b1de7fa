// The `phase` command of layerscope-cli: the phase diagram of signal propagation over a grid of
// initializations (sigma_w^2, sigma_b^2), from analysis/mean_field.h, with finite-width random
// networks measured at a few grid points beside the theory (analysis/random_network_correlation.h).
// The formulas are in docs/THEORY.md.
//
//   layerscope-cli phase --activation NAME [--dropout P] [--sigma-w2 LO:HI:N] [--sigma-b2 LO:HI:N]
//                        [--depth L] [--csv FILE] [--export-plot FILE.png|svg|pdf] ...
//
// The CSV's first six columns are sigma_w2,sigma_b2,q_star,chi1,xi_q,xi_c (one row per grid point,
// sigma_w2 outer); then c_star,chi_c, and at the measured points c_depth_theory,c_depth_measured
// (the correlation of two inputs after --depth layers; empty elsewhere).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "analysis/mean_field.h"
#include "analysis/random_network_correlation.h"

namespace layerscope {

struct PhaseOptions {
  bool help = false;
  std::string activation;                // --activation (required)
  double dropout = 0.0;                  // --dropout P: keep probability 1 - P
  GridAxis sigmaW2{0.5, 4.0, 50};        // --sigma-w2 LO:HI:N
  GridAxis sigmaB2{0.0, 0.5, 50};        // --sigma-b2 LO:HI:N
  int depth = 20;                        // --depth: layers of the measured overlay
  double inputCorrelation = 0.5;         // --input-correlation: c of the two inputs in layer 1
  int width = 500;                       // --width: units of the measured networks
  int measured = 5;                      // --measure K: grid points measured (0: none)
  std::uint64_t seed = 1;                // --seed
  std::string csv;                       // --csv FILE
  std::vector<std::string> exportPlots;  // --export-plot FILE (repeatable, or a comma list)
  int plotWidth = 0, plotHeight = 0;     // --plot-size WxH
  double plotDpi = 96.0;                 // --plot-dpi
  bool quiet = false;                    // --quiet: no table on stdout
};

// The arguments after "phase". Throws InputError naming the flag at fault.
PhaseOptions parsePhaseOptions(const std::vector<std::string>& args);

std::string phaseUsage();

// What the plot draws (app/cli_plot_export.h renders it with ui/plots/phase_diagram_plot.h).
struct PhasePlotJob {
  std::string path;
  int width = 0, height = 0;
  double dpi = 96.0;
  std::string activation;
  double dropout = 0.0;
  GridAxis sigmaW2, sigmaB2;
  std::vector<PhasePoint> points;  // phaseDiagram order
  std::vector<PhaseMeasurement> measurements;
  int depth = 0;
  std::string caption;
};
// Throws InputError("--export-plot: FILE: reason") when the file cannot be written.
using PhasePlotExporter = std::function<void(const PhasePlotJob&)>;

// The caption under the plot and the note on stdout: what the colours and the line are, what
// dropout and batch norm do to the diagram, and (when some point's length grows without bound)
// why xi_c is infinite there.
std::string phaseCaption(const PhaseOptions& options, bool unboundedLength = false);

// Returns the exit status (0). Throws InputError for bad input or a file that cannot be written.
int runPhaseCommand(const PhaseOptions& options, std::ostream& out,
                    const PhasePlotExporter& exportPlot = {});

}  // namespace layerscope
