// Parameter sweeps: the same experiment run once per value of one setting, keeping the probe of
// each freshly initialized network and each run's final summary, for plots such as "last-layer
// std against init std" or "train and validation accuracy against L2".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config.h"
#include "training/run_summary.h"
#include "training/stats.h"

namespace layerscope {

struct SweepPoint {
  double value = 0.0;     // the numeric value (NaN for names such as an initializer)
  std::string label;      // "init_std = 0.01"
  StatsSnapshot initial;  // probe of the freshly initialized network
  RunSummary final;       // after the base experiment's training (steps or epochs)
};

// The names runSweep accepts: every sweepable setting of the schema (settings/schema.h),
// "preprocess|depth|width|activation|init|init_std|...".
const char* sweepParameterNames();

// Sets one parameter of `config` from its text value. init_std also sets init to "normal" (the
// only initializer it affects); depth and width clear an explicit `widths` list. Throws
// InputError for an unknown parameter or a value that is not a number of the right kind.
void applySweepValue(ExperimentConfig& config, const std::string& parameter,
                     const std::string& value);

// Runs `base` once per value, in order. cancel() is polled between steps and between points; a
// cancelled sweep returns the points that finished. Throws InputError (naming the parameter and
// value) before running anything when a value is invalid.
std::vector<SweepPoint> runSweep(const ExperimentConfig& base, const std::string& parameter,
                                 const std::vector<std::string>& values,
                                 const std::function<bool()>& cancel = {});

// n values from lo to hi, equally spaced in log scale (lo, hi > 0; n >= 1; n = 1 gives {lo}).
std::vector<double> logSpace(double lo, double hi, int n);
// The shortest text that reads back as the same double ("0.001", "0.0031622776601683794").
std::vector<std::string> sweepValues(const std::vector<double>& values);

}  // namespace layerscope
