// The dashboard's plots and pickers by their names in files and flags: a lesson's "look_at"
// (engine/lab/lesson.h, docs/LESSONS.md) and layerscope-cli's --plot and --heatmap-statistic
// (app/cli_options.h) accept the same words, and the window maps each to its widget
// (ui/lessons/lesson_views.h).
#pragma once

#include <string>
#include <vector>

namespace layerscope {

// The "Overview" tab: depth_profile, histograms, std_over_time, gradients, loss,
// decision_regions.
const std::vector<std::string>& overviewPlotNames();
// The "Over time" tab: layer_heatmap (one statistic, layer x step), histogram_over_time and
// percentiles (one layer).
const std::vector<std::string>& overTimePlotNames();
bool isOverTimePlot(const std::string& name);
// What layer_heatmap colours, in the order of ui/plots/layer_time_heatmap_plot.h's Statistic:
// activation_std, saturated_fraction, dead_fraction, update_ratio, gradient_std,
// effective_rank, gradient_snr.
const std::vector<std::string>& heatmapStatisticNames();
// What a histogram (and the over-time plots of one layer) shows, in the order of
// ui/plots/over_time_plot.h's Quantity: post_activation, pre_activation, gradient (dL/da).
const std::vector<std::string>& histogramQuantityNames();

// A lesson's look_at entry: a plot name, and for the over-time plots optionally ":" and what
// the plot shows: "layer_heatmap:saturated_fraction" (a heatmap statistic),
// "histogram_over_time:gradient" (a histogram quantity). option is "" when none is given.
struct LookAtView {
  std::string plot;
  std::string option;
};
LookAtView splitLookAt(const std::string& entry);
// Why `entry` names no view ("unknown plot 'x' (expected one of: ...)"), or "" when it does.
std::string lookAtProblem(const std::string& entry);

}  // namespace layerscope
