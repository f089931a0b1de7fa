#include "lab/plot_names.h"

#include "lab/accepted_names.h"

namespace layerscope {

const std::vector<std::string>& overviewPlotNames() {
  static const std::vector<std::string> names = {"depth_profile", "histograms", "std_over_time",
                                                 "gradients",     "loss",       "decision_regions"};
  return names;
}

const std::vector<std::string>& overTimePlotNames() {
  static const std::vector<std::string> names = {"layer_heatmap", "histogram_over_time",
                                                 "percentiles"};
  return names;
}

bool isOverTimePlot(const std::string& name) { return isAccepted(overTimePlotNames(), name); }

const std::vector<std::string>& heatmapStatisticNames() {
  static const std::vector<std::string> names = {
      "activation_std", "saturated_fraction", "dead_fraction", "update_ratio",
      "gradient_std",   "effective_rank",     "gradient_snr"};
  return names;
}

const std::vector<std::string>& histogramQuantityNames() {
  static const std::vector<std::string> names = {"post_activation", "pre_activation", "gradient"};
  return names;
}

LookAtView splitLookAt(const std::string& entry) {
  const std::size_t colon = entry.find(':');
  if (colon == std::string::npos) return {entry, ""};
  return {entry.substr(0, colon), entry.substr(colon + 1)};
}

std::string lookAtProblem(const std::string& entry) {
  const LookAtView view = splitLookAt(entry);
  std::vector<std::string> plots = overviewPlotNames();
  for (const std::string& p : overTimePlotNames()) plots.push_back(p);
  if (!isAccepted(plots, view.plot))
    return "unknown plot '" + view.plot + "' (expected one of: " + acceptedList(plots) + ")";
  if (entry.find(':') == std::string::npos) return "";
  if (view.plot == "layer_heatmap") {
    if (!isAccepted(heatmapStatisticNames(), view.option))
      return "unknown statistic '" + view.option + "' for layer_heatmap (expected one of: " +
             acceptedList(heatmapStatisticNames()) + ")";
  } else if (view.plot == "histogram_over_time" || view.plot == "percentiles") {
    if (!isAccepted(histogramQuantityNames(), view.option))
      return "unknown quantity '" + view.option + "' for " + view.plot + " (expected one of: " +
             acceptedList(histogramQuantityNames()) + ")";
  } else {
    return "'" + view.plot + "' takes no ':' option (only layer_heatmap, histogram_over_time "
           "and percentiles do)";
  }
  return "";
}

}  // namespace layerscope
