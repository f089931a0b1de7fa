// layerscope-cli --export-plot: renders the run's plots with the desktop app's plot classes on
// Qt's offscreen platform (no display needed). Only this file of the CLI uses Qt; it is the
// layerscope_plot_render library, linked into layerscope-cli when the UI is built.
#pragma once

#include "cli_phase.h"
#include "cli_run.h"
#include "cli_sweep.h"

namespace layerscope {

// Creates a QApplication on the offscreen platform for the duration of the call. Throws
// InputError("--export-plot: FILE: reason") for the first file that cannot be written.
void exportPlotsOffscreen(const PlotExportJob& job);

// `layerscope-cli phase --export-plot`: the phase diagram (ui/plots/phase_diagram_plot.h), the
// same way. Throws InputError("--export-plot: FILE: reason") when it cannot be written.
void exportPhasePlotOffscreen(const PhasePlotJob& job);

// `layerscope-cli sweep --export-plot`: the trainability map (ui/plots/sweep_heatmap_plot.h)
// with the theory's trainable depth (ui/sweep/trainable_depth.h), as the app draws it.
void exportSweepPlotOffscreen(const SweepPlotJob& job);

}  // namespace layerscope
